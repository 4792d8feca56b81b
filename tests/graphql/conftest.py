"""GraphQL API tests in standalone mode: over HTTP (graphene-django view, token settings) and
through ``execute`` with a given requestor (customers have no standalone token)."""

import json

import pytest

from saleor_segments.graphql.context import Permission, Requestor, SegmentsContext
from saleor_segments.graphql.execute import execute

from ..factories import ChannelFactory

ADMIN_TOKEN = "admin-token-0123456789"
DISCOUNTS_TOKEN = "discounts-only-token"
NO_PERMISSION_TOKEN = "no-permission-token"
USERS_TOKEN = "manage-users-only-token"


@pytest.fixture(autouse=True)
def api_tokens(settings):
    settings.SEGMENTS_API_TOKENS = {ADMIN_TOKEN: ["MANAGE_USERS", "MANAGE_DISCOUNTS"],
                                    DISCOUNTS_TOKEN: ["MANAGE_DISCOUNTS"],
                                    NO_PERMISSION_TOKEN: [], USERS_TOKEN: ["MANAGE_USERS"]}


@pytest.fixture
def channel(db):
    return ChannelFactory()


class Api:
    def __init__(self, client):
        self.client = client

    def post(self, query, variables=None, token=None, raw=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        body = raw if raw is not None else json.dumps({"query": query,
                                                       "variables": variables or {}})
        response = self.client.post("/graphql/", data=body, content_type="application/json",
                                    **headers)
        return response.status_code, response.json()

    def admin(self, query, variables=None):
        """Data of a query that must succeed with the admin token."""
        status, body = self.post(query, variables, token=ADMIN_TOKEN)
        assert status == 200 and "errors" not in body, body
        return body["data"]

    @staticmethod
    def as_requestor(query, variables=None, requestor=None):
        result, _status = execute({"query": query, "variables": variables or {}},
                                  SegmentsContext(requestor=requestor or Requestor()))
        return result


@pytest.fixture
def api(client, db):
    return Api(client)


def customer(pk):
    return Requestor(kind="customer", customer_id=pk)


STAFF = Requestor(kind="staff", customer_id=None, permissions=frozenset({
    Permission.MANAGE_USERS}))


def gid(type_name, pk):
    from graphql_relay import to_global_id

    return to_global_id(type_name, str(pk))
