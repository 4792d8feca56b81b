"""GraphQL API tests in standalone mode: over HTTP (graphene-django view, token settings) and
through ``execute`` with a given requestor (customers have no standalone token)."""

import json
import uuid

import pytest

from saleor_segments.graphql.context import Permission, Requestor, SegmentsContext
from saleor_segments.graphql.execute import execute

from ..factories import ChannelFactory, ProductFactory, UserFactory, VariantFactory
from ..helpers import EMAIL_SHOP

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


@pytest.fixture
def store_objects(channel):
    """One object of each kind an admin field can change (named so that a change shows), as
    {type name: global ID}."""
    from saleor_segments import models
    from saleor_segments.services.segments import create_segment
    from saleor_segments.standalone.rows import insert

    user = UserFactory(email="a@shop.com")
    segment = create_segment(name="S", channel_id=channel["id"], conditions=EMAIL_SHOP)
    block = models.ContentBlock.objects.create(name="B", placement="home")
    rule = models.RelatedProductRule.objects.create(name="R", channel_id=channel["id"],
                                                    applies_to=EMAIL_SHOP, show=EMAIL_SHOP)
    product = ProductFactory()
    promotion = insert("discount_promotion", id=uuid.uuid4(), name="P", type="order")
    voucher = insert("discount_voucher", name="V")
    ids = {"Segment": segment.pk, "Channel": channel["id"], "User": user["id"],
           "ContentBlock": block.pk, "RelatedProductRule": rule.pk, "Product": product["id"],
           "ProductVariant": VariantFactory(product_id=product["id"])["id"],
           "Promotion": promotion["id"], "Voucher": voucher["id"], "SegmentRefreshRun": 1,
           **_subscription_objects(segment)}
    return {name: gid(name, pk) for name, pk in ids.items()}


def _subscription_objects(segment) -> dict:
    """A membership event subscription and a failed delivery of it (primary keys)."""
    from saleor_segments.webhooks.models import MembershipDelivery
    from saleor_segments.webhooks.services import create_subscription

    subscription = create_subscription(name="W", target_url="https://hooks.example.com/in",
                                       segment_ids=[segment.pk]).subscription
    delivery = MembershipDelivery.objects.create(subscription=subscription, status="failed",
                                                 attempts=6)
    return {"SegmentSubscription": subscription.pk, "SegmentMembershipDelivery": delivery.pk}
