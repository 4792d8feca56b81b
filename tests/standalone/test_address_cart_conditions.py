from decimal import Decimal

import pytest

from saleor_segments.standalone.rows import insert

from ..factories import (
    AddressFactory,
    ChannelFactory,
    CheckoutFactory,
    CheckoutLineFactory,
    GiftCardFactory,
    ProductFactory,
    UserFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db


def user_with_addresses(*addresses, billing=None, shipping=None):
    user = UserFactory(default_billing_address_id=billing and billing["id"],
                       default_shipping_address_id=shipping and shipping["id"])
    for address in addresses:
        insert("account_user_addresses", user_id=user["id"], address_id=address["id"])
    return user


def address(which="any", aggregator="all", expected=True, *conditions):
    return {"kind": "address", "address": which, "aggregator": aggregator,
            "expected": expected, "conditions": list(conditions)}


def af(name, operator, value=None):
    return {"kind": "address.field", "field": name, "operator": operator, "value": value}


def test_seed_example_same_address_must_meet_all(matches):
    la = AddressFactory(city="Los Angeles", country_area="CA", country="US")
    la_wrong_state = AddressFactory(city="Los Angeles", country_area="TX")
    ca_other_city = AddressFactory(city="San Diego", country_area="CA")
    match = user_with_addresses(la)
    split = user_with_addresses(la_wrong_state, ca_other_city)  # two addresses, none meets both
    condition = address("any", "all", True, af("city", "contains", "los angeles"),
                        af("country_area", "is", "CA"))

    assert matches(condition) == {match["id"]}
    assert split["id"] in matches(address("any", "any", True, af("city", "is", "San Diego")))


def test_default_billing_and_shipping(matches):
    home = AddressFactory(country="PL", postal_code="00-001")
    work = AddressFactory(country="DE", postal_code="10115")
    a = user_with_addresses(home, work, billing=home, shipping=work)
    b = user_with_addresses(work, billing=work, shipping=None)

    assert matches(address("default_billing", "all", True, af("country", "is", "pl"))) == {a["id"]}
    assert matches(address("default_shipping", "all", True, af("country", "is", "DE"))) == {
        a["id"]}
    assert matches(address("any", "all", True, af("country", "in", ["DE"]))) == {a["id"], b["id"]}
    # "an address that is not in PL" differs from "no address in PL"
    assert matches(address("any", "all", False, af("country", "is", "PL"))) == {a["id"], b["id"]}
    assert matches({"aggregator": "all", "expected": False, "conditions": [
        address("any", "all", True, af("country", "is", "PL"))]}) == {b["id"]}
    assert matches(address("any", "all", True, af("postal_code", "contains", "101"),
                           af("phone", "undefined", True))) == {a["id"], b["id"]}


def cart(field, operator, value=None):
    return {"kind": "cart", "field": field, "operator": operator, "value": value}


@pytest.fixture
def variant():
    return VariantFactory(product_id=ProductFactory()["id"])


def test_cart_lines_quantity_and_amounts(matches, channel, variant):
    big, small, elsewhere = UserFactory(), UserFactory(), UserFactory()
    c1 = CheckoutFactory(user_id=big["id"], channel_id=channel["id"],
                         subtotal_gross_amount=Decimal("250"), total_gross_amount=Decimal("270"),
                         total_net_amount=Decimal("220"), shipping_price_gross_amount=Decimal(20),
                         discount_amount=Decimal("5"), voucher_code="SUMMER")
    for quantity in (2, 3):
        CheckoutLineFactory(checkout_id=c1["token"], variant_id=variant["id"], quantity=quantity)
    c2 = CheckoutFactory(user_id=small["id"], channel_id=channel["id"],
                         subtotal_gross_amount=Decimal("10"))
    CheckoutLineFactory(checkout_id=c2["token"], variant_id=variant["id"])
    other = ChannelFactory()
    CheckoutFactory(user_id=elsewhere["id"], channel_id=other["id"],
                    subtotal_gross_amount=Decimal("999"))

    assert matches(cart("lines", "gte", 2)) == {big["id"]}
    assert matches(cart("quantity", "is", 5)) == {big["id"]}
    assert matches(cart("subtotal", "lt", 100)) == {small["id"]}
    assert matches(cart("total", "gt", 260)) == {big["id"]}
    assert matches(cart("tax", "is", 50)) == {big["id"]}
    assert matches(cart("shipping", "between", [10, 30])) == {big["id"]}
    assert matches(cart("discount", "gt", 0)) == {big["id"]}
    assert matches(cart("voucher_code", "undefined", False)) == {big["id"]}
    assert matches(cart("voucher_code", "is", "summer")) == {big["id"]}
    # a customer with no cart in this channel meets no cart condition
    assert elsewhere["id"] not in matches(cart("subtotal", "gte", 0))


def test_cart_gift_cards_and_visitors(matches, channel, variant):
    shopper = UserFactory()
    mine = CheckoutFactory(user_id=shopper["id"], channel_id=channel["id"])
    card = GiftCardFactory(current_balance_amount=Decimal("40"))
    insert("checkout_checkout_gift_cards", checkout_id=mine["token"], giftcard_id=card["id"])
    anonymous = CheckoutFactory(user_id=None, channel_id=channel["id"],
                                subtotal_gross_amount=Decimal("300"))
    CheckoutLineFactory(checkout_id=anonymous["token"], variant_id=variant["id"], quantity=4)
    CheckoutFactory(user_id=None, channel_id=channel["id"])  # empty visitor cart

    assert matches(cart("gift_cards", "gte", 40)) == {shopper["id"]}
    assert matches(cart("quantity", "gte", 3), subject="visitor") == {anonymous["token"]}
    assert matches(cart("subtotal", "gt", 100), subject="visitor") == {anonymous["token"]}
    # customer-only conditions are never met by an anonymous checkout
    assert matches({"kind": "customer.field", "field": "email", "operator": "undefined",
                    "value": True}, subject="visitor") == set()
