"""Every admin field of the schema (derived from it: a new field is checked without being
listed) is denied to anonymous callers, customers and staff/apps without the permission its
description names, and changes nothing; the storefront fields are the only public ones."""

import json

import pytest

from saleor_segments import models
from saleor_segments.graphql.context import Permission, Requestor

from .conftest import ADMIN_TOKEN, DISCOUNTS_TOKEN, NO_PERMISSION_TOKEN, USERS_TOKEN, customer
from .schema_walk import STOREFRONT, root_fields, valid_variables

pytestmark = pytest.mark.django_db

ADMIN_FIELDS = [f for f in root_fields() if f.name not in STOREFRONT]
TOKENS = {"MANAGE_USERS": USERS_TOKEN, "MANAGE_DISCOUNTS": DISCOUNTS_TOKEN}


@pytest.fixture
def store(store_objects):
    return store_objects


def state():
    return (sorted(models.Segment.objects.values_list("name", "status", "definition_version")),
            list(models.ContentBlock.objects.values_list("name", "placement")),
            list(models.RelatedProductRule.objects.values_list("name", "limit")),
            models.DiscountRestriction.objects.count(), models.CustomerField.objects.count(),
            models.RefreshRun.objects.count(), models.MembershipLog.objects.count(),
            list(models.MembershipSubscription.objects.values_list("name", "target_url",
                                                                   "is_active", "secret")),
            list(models.MembershipDelivery.objects.values_list("status", "attempts")))


def operation(field, objects):
    """(document, variables) calling ``field`` with real objects as its arguments."""
    return field.document(required_only=True), valid_variables(field, objects)


def assert_denied(body, field, permission):
    assert body.get("data") is None or body["data"].get(field.name) is None, body
    (error,) = body["errors"]
    assert error["extensions"]["exception"]["code"] == "PermissionDenied", (field.name, error)
    assert permission in error["message"]


def test_every_admin_field_names_its_permission():
    assert len(ADMIN_FIELDS) >= 30
    unnamed = [f.name for f in ADMIN_FIELDS if f.permission not in TOKENS]
    assert unnamed == [], "admin fields must say 'Requires MANAGE_...' (or be storefront ones)"
    names = {f.name for f in ADMIN_FIELDS}
    assert {"contentBlockUpdate", "relatedProductRuleUpdate", "relatedProductRuleDelete",
            "segmentCreate", "promotionSegmentsSet", "segmentPreview"} <= names


@pytest.mark.parametrize("field", ADMIN_FIELDS, ids=lambda f: f.name)
def test_http_callers_without_the_permission_are_denied(api, store, field):
    before = state()
    other = next(token for perm, token in TOKENS.items() if perm != field.permission)
    document, variables = operation(field, store)
    for token in (None, NO_PERMISSION_TOKEN, other, "wrong-token"):
        status, body = api.post(document, variables, token=token)
        assert status == 200, body
        assert_denied(body, field, field.permission)
    assert state() == before  # nothing changed


@pytest.mark.parametrize("field", ADMIN_FIELDS, ids=lambda f: f.name)
def test_customers_and_staff_without_the_permission_are_denied(api, store, field):
    before = state()
    other = next(Permission(p) for p in TOKENS if p != field.permission)
    document, variables = operation(field, store)
    for who in (customer(1), Requestor(kind="staff", customer_id=1, permissions=frozenset()),
                Requestor(kind="staff", customer_id=1, permissions=frozenset({other}))):
        assert_denied(api.as_requestor(document, variables, requestor=who), field,
                      field.permission)
    assert state() == before


@pytest.mark.parametrize("field", ADMIN_FIELDS, ids=lambda f: f.name)
def test_the_permission_lets_the_caller_in(api, store, field):
    document, variables = operation(field, store)
    for token in (TOKENS[field.permission], ADMIN_TOKEN):
        status, body = api.post(document, variables, token=token)
        assert "PermissionDenied" not in json.dumps(body), (field.name, body)
        assert "InternalServerError" not in json.dumps(body), (field.name, body)
