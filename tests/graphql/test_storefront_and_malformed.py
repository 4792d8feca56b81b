"""Storefront mutations (no staff permission) and malformed requests."""

import json
import uuid

import pytest

from saleor_segments.models import ProductView, Segment, VisitorMembership, WishlistItem
from saleor_segments.services.segments import create_segment

from ..factories import CheckoutFactory, ProductFactory, UserFactory, VariantFactory
from ..helpers import EMAIL_SHOP
from .conftest import ADMIN_TOKEN, customer, gid

pytestmark = pytest.mark.django_db

VIEW = """mutation($product: ID!, $variant: ID, $channel: String, $token: UUID) {
  trackProductView(productId: $product, variantId: $variant, channel: $channel,
                   checkoutToken: $token) { recorded errors { field code message } } }"""
ADD = """mutation($product: ID!, $variant: ID) { wishlistAdd(productId: $product,
  variantId: $variant) { wishlist { productId variantId } errors { field code } } }"""
REMOVE = """mutation($product: ID!) { wishlistRemove(productId: $product) {
  wishlist { productId } errors { field code } } }"""


@pytest.fixture
def product(channel):
    product = ProductFactory()
    return product, VariantFactory(product_id=product["id"])


def test_visitor_view_by_checkout_token_joins_a_visitor_segment_silently(api, channel,
                                                                          product):
    product, _ = product
    token = uuid.uuid4()
    CheckoutFactory(token=token, channel_id=channel["id"], user_id=None)
    segment = create_segment(name="Secret visitor segment", channel_id=channel["id"],
                             apply_to="visitors", conditions={"conditions": [
                                 {"kind": "products", "source": "viewed", "conditions": [
                                     {"kind": "product.product", "operator": "is",
                                      "value": product["id"]}]}]})
    status, body = api.post(VIEW, {"product": gid("Product", product["id"]),
                                   "token": str(token)})
    assert body == {"data": {"trackProductView": {"recorded": True, "errors": []}}}
    assert "Secret" not in json.dumps(body)
    assert VisitorMembership.objects.filter(segment=segment, checkout_token=token).exists()

    status, body = api.post(VIEW, {"product": gid("Product", product["id"]),
                                   "token": str(uuid.uuid4())})
    assert body["data"]["trackProductView"]["errors"][0]["field"] == "checkoutToken"
    status, body = api.post(VIEW, {"product": gid("Product", 999999), "token": str(token)})
    assert body["data"]["trackProductView"]["errors"] == [
        {"field": "productId", "code": "NOT_FOUND", "message": "no such product"}]
    assert ProductView.objects.count() == 1


def test_customer_view_and_wishlist(api, channel, product):
    product, variant = product
    ann = UserFactory()
    me = customer(ann["id"])
    result = api.as_requestor(VIEW, {"product": gid("Product", product["id"]),
                                     "channel": channel["slug"]}, requestor=me)
    assert result["data"]["trackProductView"]["recorded"] is True
    assert ProductView.objects.get().customer_id == ann["id"]
    result = api.as_requestor(VIEW, {"product": gid("Product", product["id"]),
                                     "channel": "nope"}, requestor=me)
    assert result["data"]["trackProductView"]["errors"][0]["field"] == "channel"

    result = api.as_requestor(ADD, {"product": gid("Product", product["id"]),
                                    "variant": gid("ProductVariant", variant["id"])},
                              requestor=me)
    assert result["data"]["wishlistAdd"]["wishlist"] == [{
        "productId": gid("Product", product["id"]),
        "variantId": gid("ProductVariant", variant["id"])}]
    result = api.as_requestor("{ wishlist { productId } }", requestor=me)
    assert result["data"]["wishlist"] == [{"productId": gid("Product", product["id"])}]
    other = api.as_requestor("{ wishlist { productId } }", requestor=customer(ann["id"] + 1))
    assert other["data"]["wishlist"] == []  # nobody sees another's wishlist
    api.as_requestor(ADD, {"product": gid("Product", product["id"])}, requestor=me)
    result = api.as_requestor(REMOVE, {"product": gid("Product", product["id"])}, requestor=me)
    assert len(result["data"]["wishlistRemove"]["wishlist"]) == 1  # the variant stays


def test_wishlist_needs_a_customer(api, product):
    product, _ = product
    status, body = api.post(ADD, {"product": gid("Product", product["id"])})
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    status, body = api.post("{ wishlist { productId } }")
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert WishlistItem.objects.count() == 0


def test_malformed_requests_get_errors_and_change_nothing(api, channel):
    create_segment(name="S", channel_id=channel["id"], conditions=EMAIL_SHOP)
    assert api.post(None, raw="{not json")[0] == 400
    assert api.post(None, raw="[1, 2]")[0] == 400
    assert api.post(None, raw="[" * 100_000)[0] == 400  # a nesting bomb in the body
    status, body = api.post(None, raw="x" * 1_100_000)
    assert status == 413
    status, body = api.post("{ segments(first: 5) { totalCount } ", token=ADMIN_TOKEN)
    assert status == 400 and "Syntax Error" in body["errors"][0]["message"]
    deep = "{ segments(first: 1) { edges { node { " + "conditionTree { conditions { " * 8 + \
        "kind" + " } }" * 8 + " } } } }"
    status, body = api.post(deep, token=ADMIN_TOKEN)
    assert status == 400 and "nested deeper" in body["errors"][0]["message"]

    for bad_id in ("garbage", gid("Channel", 1), gid("Segment", "x")):
        status, body = api.post('query($id: ID!) { segment(id: $id) { name } }',
                                {"id": bad_id}, token=ADMIN_TOKEN)
        assert body["data"]["segment"] is None
        assert "Couldn't resolve to a Segment" in body["errors"][0]["message"]
    status, body = api.post("{ segments(first: 10000) { totalCount } }", token=ADMIN_TOKEN)
    assert "between 1 and 100" in body["errors"][0]["message"]
    status, body = api.post("{ segments { totalCount } }", token=ADMIN_TOKEN)
    assert "first" in body["errors"][0]["message"]
    status, body = api.post('{ segments(first: 1, after: "%%%") { totalCount } }',
                            token=ADMIN_TOKEN)
    assert "Invalid cursor" in body["errors"][0]["message"]
    status, body = api.post(
        'mutation { segmentCreate(input: {name: "x", channel: "%s", conditions: "{bad"}) '
        "{ errors { field } } }" % gid("Channel", channel["id"]), token=ADMIN_TOKEN)
    assert body["errors"] and status == 400
    assert list(Segment.objects.values_list("name", flat=True)) == ["S"]


def test_unexpected_failures_say_nothing_of_their_details(api, channel, monkeypatch):
    from saleor_segments.graphql.segments import queries

    def boom(*args, **kwargs):
        raise RuntimeError("secret database detail")

    monkeypatch.setattr(queries, "filter_segments", boom)
    status, body = api.post("{ segments(first: 1) { totalCount } }", token=ADMIN_TOKEN)
    assert body["errors"][0]["message"] == "Internal Server Error"
    assert "secret" not in json.dumps(body)
