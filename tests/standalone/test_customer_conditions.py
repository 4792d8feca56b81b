import datetime as dt
from decimal import Decimal

import pytest

from saleor_segments.standalone.rows import insert

from ..factories import NOW, CustomerTypeFactory, GiftCardFactory, UserFactory

pytestmark = pytest.mark.django_db


def field(name, operator, value=None):
    return {"kind": "customer.field", "field": name, "operator": operator, "value": value}


def test_email_operators(matches):
    ann = UserFactory(email="ann@shop.com")
    bob = UserFactory(email="BOB@other.org")
    UserFactory(email="staff@shop.com", is_staff=True)  # staff are never customers

    assert matches(field("email", "is", "ANN@shop.com")) == {ann["id"]}
    assert matches(field("email", "is_not", "ann@shop.com")) == {bob["id"]}
    assert matches(field("email", "contains", "@shop")) == {ann["id"]}
    assert matches(field("email", "not_contains", "@shop")) == {bob["id"]}
    assert matches(field("email", "in", ["x@y.z", "bob@other.org"])) == {bob["id"]}
    assert matches(field("email", "not_in", ["bob@other.org"])) == {ann["id"]}


def test_names_undefined_and_booleans(matches):
    named = UserFactory(first_name="Eve", is_active=False, is_confirmed=True)
    blank = UserFactory(first_name="", is_active=True, is_confirmed=False)

    assert matches(field("first_name", "undefined", True)) == {blank["id"]}
    assert matches(field("first_name", "undefined", False)) == {named["id"]}
    assert matches(field("first_name", "is_not", "eve")) == {blank["id"]}
    assert matches(field("is_active", "is", True)) == {blank["id"]}
    assert matches(field("is_confirmed", "is_not", True)) == {blank["id"]}


def test_dates_compare_as_utc_days(matches):
    old = UserFactory(date_joined=dt.datetime(2024, 1, 10, 23, 30, tzinfo=dt.UTC),
                      last_login=None)
    new = UserFactory(date_joined=NOW - dt.timedelta(days=3), last_login=NOW)

    assert matches(field("date_joined", "is", "2024-01-10")) == {old["id"]}
    assert matches(field("date_joined", "lt", "2025-01-01")) == {old["id"]}
    assert matches(field("date_joined", "gte", "2026-06-12")) == {new["id"]}
    assert matches(field("date_joined", "between", ["2024-01-01", "2024-01-10"])) == {old["id"]}
    assert matches(field("date_joined", "in_last_days", 7)) == {new["id"]}
    assert matches(field("last_login", "undefined", True)) == {old["id"]}


def test_numbers_customer_type_and_language(matches):
    vip = CustomerTypeFactory(name="VIP")
    a = UserFactory(number_of_orders=5, customer_type_id=vip["id"], language_code="de")
    b = UserFactory(number_of_orders=0, customer_type_id=None)

    assert matches(field("number_of_orders", "gt", 4)) == {a["id"]}
    assert matches(field("number_of_orders", "lte", 0)) == {b["id"]}
    assert matches(field("number_of_orders", "in", [0, 1])) == {b["id"]}
    assert matches(field("customer_type", "is", vip["id"])) == {a["id"]}
    assert matches(field("customer_type", "undefined", True)) == {b["id"]}
    assert matches(field("customer_type", "not_in", [vip["id"]])) == {b["id"]}
    assert matches(field("language_code", "is", "DE")) == {a["id"]}


def test_metadata_with_declared_types(matches):
    a = UserFactory(metadata={"gender": "female", "birthday": "1990-05-01", "score": "12.5",
                              "newsletter": "true"})
    b = UserFactory(metadata={"gender": "male", "birthday": "not a date", "score": "abc"},
                    private_metadata={"tier": "gold"})
    UserFactory()

    def meta(key, type_, operator, value=None, source="metadata"):
        return {"kind": "customer.metadata", "key": key, "type": type_, "source": source,
                "operator": operator, "value": value}

    assert matches(meta("gender", "string", "is", "Female")) == {a["id"]}
    assert matches(meta("birthday", "date", "lt", "2000-01-01")) == {a["id"]}
    assert a["id"] not in matches(meta("birthday", "date", "undefined", True))
    assert b["id"] in matches(meta("birthday", "date", "undefined", True))
    assert matches(meta("score", "number", "gte", 10)) == {a["id"]}
    assert matches(meta("newsletter", "boolean", "is", True)) == {a["id"]}
    assert matches(meta("tier", "string", "is", "gold", "private_metadata")) == {b["id"]}


def test_customer_attributes(matches):
    gender = insert("attribute_attribute", slug="gender", name="Gender", type="CUSTOMER",
                    input_type="dropdown")
    height = insert("attribute_attribute", slug="height", name="Height", type="CUSTOMER",
                    input_type="numeric")
    female = insert("attribute_attributevalue", name="Female", slug="female",
                    attribute_id=gender["id"])
    male = insert("attribute_attributevalue", name="Male", slug="male", attribute_id=gender["id"])
    tall = insert("attribute_attributevalue", name="180", slug="180", numeric=180.0,
                  attribute_id=height["id"])
    ann, bob, cid = UserFactory(), UserFactory(), UserFactory()
    insert("attribute_assigneduserattributevalue", user_id=ann["id"], value_id=female["id"])
    insert("attribute_assigneduserattributevalue", user_id=ann["id"], value_id=tall["id"])
    insert("attribute_assigneduserattributevalue", user_id=bob["id"], value_id=male["id"])

    def attr(slug, type_, operator, value=None):
        return {"kind": "customer.attribute", "attribute": slug, "type": type_,
                "operator": operator, "value": value}

    assert matches(attr("gender", "string", "is", "female")) == {ann["id"]}
    assert matches(attr("gender", "string", "is_not", "female")) == {bob["id"], cid["id"]}
    assert matches(attr("gender", "string", "undefined", True)) == {cid["id"]}
    assert matches(attr("height", "number", "gt", 170)) == {ann["id"]}


def test_gift_card_balance(matches, channel):
    rich, poor, expired = UserFactory(), UserFactory(), UserFactory()
    GiftCardFactory(assigned_to_id=rich["id"], current_balance_amount=Decimal("80"))
    GiftCardFactory(used_by_id=rich["id"], current_balance_amount=Decimal("30"))
    GiftCardFactory(used_by_id=poor["id"], current_balance_amount=Decimal("5"))
    GiftCardFactory(used_by_id=poor["id"], current_balance_amount=Decimal("500"), is_active=False)
    GiftCardFactory(used_by_id=expired["id"], current_balance_amount=Decimal("500"),
                    expiry_date=dt.date(2026, 1, 1))
    GiftCardFactory(used_by_id=expired["id"], current_balance_amount=Decimal("900"),
                    currency="EUR")

    balance = {"kind": "customer.gift_card_balance", "operator": "gte", "value": 100}
    assert matches(balance) == {rich["id"]}
    assert matches({**balance, "operator": "lt", "value": 10}) == {poor["id"], expired["id"]}
    assert matches({**balance, "operator": "is", "value": 0}) == {expired["id"]}
