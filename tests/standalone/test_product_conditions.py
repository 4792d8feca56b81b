import datetime as dt

import pytest

from saleor_segments.models import ProductView, WishlistItem

from ..catalogue import Catalogue
from ..factories import (
    NOW,
    CheckoutFactory,
    CheckoutLineFactory,
    OrderFactory,
    OrderLineFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def products(source, *conditions, found=True, period=None, aggregator="all"):
    data = {"kind": "products", "source": source, "found": found, "aggregator": aggregator,
            "conditions": list(conditions)}
    if period:
        data["period"] = period
    return data


def p(kind, operator, value=None, **extra):
    return {"kind": f"product.{kind}", "operator": operator, "value": value, **extra}


@pytest.fixture
def cat(channel):
    return Catalogue(channel)


def test_product_sub_conditions_in_cart(matches, channel, cat):
    red_buyer, book_buyer, empty = UserFactory(), UserFactory(), UserFactory()
    c1 = CheckoutFactory(user_id=red_buyer["id"], channel_id=channel["id"])
    CheckoutLineFactory(checkout_id=c1["token"], variant_id=cat.sneaker_red["id"])
    c2 = CheckoutFactory(user_id=book_buyer["id"], channel_id=channel["id"])
    CheckoutLineFactory(checkout_id=c2["token"], variant_id=cat.novel_v["id"])
    CheckoutFactory(user_id=empty["id"], channel_id=channel["id"])

    assert matches(products("cart", p("product", "is", cat.sneaker["id"]))) == {red_buyer["id"]}
    assert matches(products("cart", p("variant", "in", [cat.novel_v["id"]]))) == {book_buyer["id"]}
    assert matches(products("cart", p("sku", "contains", "snk"))) == {red_buyer["id"]}
    # category "apparel" includes sneakers two levels down, unless descendants are off
    assert matches(products("cart", p("category", "is", cat.categories["apparel"]["id"]))) == {
        red_buyer["id"]}
    assert matches(products("cart", p("category", "is", cat.categories["apparel"]["id"],
                                      include_descendants=False))) == set()
    # the product's own category is in its own tree; "not" holds for the carts outside it
    assert matches(products("cart", p("category", "is", cat.categories["sneakers"]["id"]))) == {
        red_buyer["id"]}
    assert matches(products("cart", p("category", "is_not", cat.categories["shoes"]["id"]))
                   ) == {book_buyer["id"]}
    # "in": one of the categories is enough (shoes holds the sneaker, books the novel); "not
    # in": none of them; "undefined": no category at or above the item
    shoes_or_books = [cat.categories["shoes"]["id"], cat.categories["books"]["id"]]
    assert matches(products("cart", p("category", "in", shoes_or_books))) == {
        red_buyer["id"], book_buyer["id"]}
    assert matches(products("cart", p("category", "not_in", [cat.categories["shoes"]["id"]]))
                   ) == {book_buyer["id"]}
    assert matches(products("cart", p("category", "undefined", False))) == {
        red_buyer["id"], book_buyer["id"]}
    assert matches(products("cart", p("collection", "is", cat.summer["id"]))) == {red_buyer["id"]}
    assert matches(products("cart", p("product_type", "is", cat.book_type["id"]))) == {
        book_buyer["id"]}
    assert matches(products("cart", p("attribute", "is", "red", attribute="color"))) == {
        red_buyer["id"]}
    assert matches(products("cart", p("attribute", "is", "acme", attribute="brand"))) == {
        red_buyer["id"]}
    assert matches(products("cart", p("price", "gte", 100))) == {red_buyer["id"]}
    # not found: everyone without a sneaker in the cart, including customers without a cart
    not_found = matches(products("cart", p("product", "is", cat.sneaker["id"]), found=False))
    assert not_found == {book_buyer["id"], empty["id"]}


def test_viewed_and_wishlist_with_periods(matches, channel, cat):
    recent, old, visitor_cart = UserFactory(), UserFactory(), CheckoutFactory(
        user_id=None, channel_id=channel["id"])
    ProductView.objects.create(customer_id=recent["id"], channel_id=channel["id"],
                               product_id=cat.sneaker["id"], viewed_at=NOW - dt.timedelta(days=2))
    ProductView.objects.create(customer_id=old["id"], channel_id=channel["id"],
                               product_id=cat.sneaker["id"], viewed_at=NOW - dt.timedelta(days=60))
    ProductView.objects.create(checkout_token=visitor_cart["token"], channel_id=channel["id"],
                               product_id=cat.novel["id"], viewed_at=NOW)
    WishlistItem.objects.create(customer_id=old["id"], product_id=cat.sneaker["id"],
                                added_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))

    sneaker = p("product", "is", cat.sneaker["id"])
    assert matches(products("viewed", sneaker)) == {recent["id"], old["id"]}
    assert matches(products("viewed", sneaker, period={"last_days": 30})) == {recent["id"]}
    assert matches(products("viewed", sneaker, period={"from": "2026-04-01",
                                                       "to": "2026-04-30"})) == {old["id"]}
    # a product-level view matches a SKU of any of the product's variants
    assert matches(products("viewed", p("sku", "is", "snk-blue"))) == {recent["id"], old["id"]}
    assert matches(products("viewed", p("product", "is", cat.novel["id"])),
                   subject="visitor") == {visitor_cart["token"]}
    assert matches(products("wishlist", p("collection", "is", cat.summer["id"]),
                            period={"from": "2026-02-01"})) == {old["id"]}


def test_ordered_products_skip_drafts_and_cancellations(matches, channel, cat):
    buyer, canceller = UserFactory(), UserFactory()
    order = OrderFactory(user_id=buyer["id"], channel_id=channel["id"],
                         created_at=NOW - dt.timedelta(days=5))
    OrderLineFactory(order_id=order["id"], variant_id=cat.sneaker_blue["id"])
    for status in ("draft", "canceled"):
        o = OrderFactory(user_id=canceller["id"], channel_id=channel["id"], status=status)
        OrderLineFactory(order_id=o["id"], variant_id=cat.sneaker_blue["id"])

    ordered = products("ordered", p("product", "is", cat.sneaker["id"]),
                       period={"last_days": 7})
    assert matches(ordered) == {buyer["id"]}
    assert matches({**ordered, "period": {"last_days": 3}}) == set()
