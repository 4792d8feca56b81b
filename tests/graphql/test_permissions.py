"""Every admin field of the schema (derived from it: a new field is checked without being
listed) is denied to anonymous callers, customers and staff/apps without the permission its
description names, and changes nothing; the storefront fields are the only public ones."""

import json
import uuid

import pytest
from graphql.type import GraphQLEnumType

from saleor_segments import models
from saleor_segments.graphql.context import Permission, Requestor
from saleor_segments.services import create_segment
from saleor_segments.standalone.rows import insert

from ..factories import ProductFactory, UserFactory, VariantFactory
from ..helpers import EMAIL_SHOP
from .conftest import ADMIN_TOKEN, DISCOUNTS_TOKEN, NO_PERMISSION_TOKEN, USERS_TOKEN, customer, gid
from .schema_walk import STOREFRONT, build_value, enum_values, root_fields

pytestmark = pytest.mark.django_db

ADMIN_FIELDS = [f for f in root_fields() if f.name not in STOREFRONT]
TOKENS = {"MANAGE_USERS": USERS_TOKEN, "MANAGE_DISCOUNTS": DISCOUNTS_TOKEN}
# ID arguments named after what they identify; ``id`` is the object the field is named after
ID_ARGUMENTS = {"segment": "Segment", "segments": "Segment", "ids": "Segment",
                "channel": "Channel", "customer": "User", "customerId": "User",
                "promotion": "Promotion", "voucher": "Voucher", "productId": "Product",
                "variantId": "ProductVariant"}
SCALARS = {"String": "hacked", "Int": 5, "Boolean": True, "Float": 1.5,
           "JSONString": json.dumps(EMAIL_SHOP), "UUID": str(uuid.UUID(int=1)),
           "DateTime": "2026-01-01T00:00:00+00:00"}


@pytest.fixture
def store(channel):
    """One object of each kind an admin field can change, named so that a change shows."""
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
           "Promotion": promotion["id"], "Voucher": voucher["id"], "SegmentRefreshRun": 1}
    return {name: gid(name, pk) for name, pk in ids.items()}


def state():
    return (sorted(models.Segment.objects.values_list("name", "status", "definition_version")),
            list(models.ContentBlock.objects.values_list("name", "placement")),
            list(models.RelatedProductRule.objects.values_list("name", "limit")),
            models.DiscountRestriction.objects.count(), models.CustomerField.objects.count(),
            models.RefreshRun.objects.count(), models.MembershipLog.objects.count())


def operation(field, objects):
    """(document, variables) calling ``field`` with real objects as its arguments."""
    def make(name, gql_type):
        if gql_type.name == "ID":
            owner = ID_ARGUMENTS.get(name) or max(
                (t for t in objects if field.name.lower().startswith(t.lower())), key=len)
            return objects[owner]
        if isinstance(gql_type, GraphQLEnumType):
            return enum_values(gql_type)[0]
        return SCALARS[gql_type.name]

    variables = {name: build_value(gql_type, make, name, required_only=True)
                 for name, gql_type in field.arguments(required_only=True).items()}
    return field.document(required_only=True), variables


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
