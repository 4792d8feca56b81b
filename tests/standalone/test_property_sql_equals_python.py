"""On random small stores and random condition trees, the set-based SQL (also under forced
parallel plans), the single-shopper SQL, the check's form over the shopper's own rows and the
plain-Python reference evaluation select exactly the same shoppers."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saleor_segments.conditions import all_kinds, parse_tree
from saleor_segments.models import CustomerMembership, ProductView, Segment, WishlistItem
from saleor_segments.standalone.rows import insert

from ..catalogue import Catalogue
from ..factories import (
    NOW,
    AddressFactory,
    ChannelFactory,
    CheckoutFactory,
    CheckoutLineFactory,
    CustomerTypeFactory,
    GiftCardFactory,
    OrderFactory,
    OrderLineFactory,
    UserFactory,
)
from .conftest import (
    own_rows_matches,
    parallel_matches,
    python_matches,
    ranged_matches,
    sql_matches,
)

pytestmark = pytest.mark.django_db

DAYS = [0, 3, 10, 40, 100, 400]
DATES = ["2025-06-01", "2026-06-05", "2026-06-15"]
MONEY = [0, 15, 50, 100, 300, 600]


def comparison(type_, pool):
    """(operator, value) pairs valid for the type, values drawn from ``pool``."""
    ops = {"string": ["is", "is_not", "contains", "not_contains", "in", "not_in", "undefined"],
           "number": ["is", "is_not", "gt", "gte", "lt", "lte", "between", "in", "not_in",
                      "undefined"],
           "date": ["is", "is_not", "gt", "gte", "lt", "lte", "between", "in_last_days",
                    "undefined"],
           "boolean": ["is", "is_not", "undefined"],
           "id": ["is", "is_not", "in", "not_in", "undefined"]}[type_]

    @st.composite
    def build(draw):
        op = draw(st.sampled_from(ops))
        if op == "undefined":
            return op, draw(st.booleans())
        if op in ("in", "not_in"):
            return op, draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3))
        if op == "between":
            pair = sorted(draw(st.lists(st.sampled_from(pool), min_size=2, max_size=2)))
            return op, pair
        if op == "in_last_days":
            return op, draw(st.sampled_from([1, 7, 30, 90, 365]))
        return op, draw(st.sampled_from(pool))

    return build()


def leaf(kind, pools, **fixed):
    """Strategy for one condition: ``pools`` maps a field name to (type, values)."""

    @st.composite
    def build(draw):
        name = draw(st.sampled_from(sorted(pools)))
        type_, values = pools[name]
        op, value = draw(comparison(type_, values))
        data = {"kind": kind, "operator": op, "value": value, **fixed}
        if name != "-":
            data["field"] = name
        return data

    return build()


def strategies(ids):
    """One strategy per registered condition kind (a new kind must add one here)."""
    text = ("string", ["ann", "bob", "an", "x@a.com", "los angeles", "los", "ca"])
    address = leaf("address.field", {
        "city": ("string", ["los angeles", "paris", "los"]), "country": ("string", ["US", "PL"]),
        "country_area": ("string", ["CA", "TX"]), "postal_code": ("string", ["123", "9"]),
        "first_name": text})
    address = address.map(lambda d: {**d, "value": [v.upper() for v in d["value"]]}
                          if d["field"] == "country" and isinstance(d["value"], list) else
                          ({**d, "value": d["value"].upper()}
                           if d["field"] == "country" and isinstance(d["value"], str) else d))
    address = address.filter(lambda d: not (d["field"] == "country" and d["operator"] in (
        "contains", "not_contains")))
    product = st.one_of(
        leaf("product.product", {"-": ("id", ids["products"])}),
        leaf("product.variant", {"-": ("id", ids["variants"])}),
        leaf("product.sku", {"-": ("string", ["snk", "SNK-RED", "book-1"])}),
        leaf("product.category", {"-": ("id", ids["categories"])}).flatmap(
            lambda d: st.booleans().map(lambda b: {**d, "include_descendants": b})),
        leaf("product.collection", {"-": ("id", ids["collections"])}),
        leaf("product.product_type", {"-": ("id", ids["types"])}),
        leaf("product.attribute", {"-": ("string", ["red", "acme", "blue"])}).flatmap(
            lambda d: st.sampled_from(["color", "brand"]).map(lambda a: {**d, "attribute": a})),
        leaf("product.price", {"-": ("number", [15, 90, 100, 120])}),
    )
    period = st.one_of(st.none(), st.sampled_from([{"last_days": 7}, {"last_days": 60},
                                                    {"from": "2026-06-01"},
                                                    {"from": "2025-01-01", "to": "2026-05-01"}]))

    def container(base, children, **extra):
        return st.builds(lambda agg, exp, kids, more: {**base, "aggregator": agg,
                                                       "expected": exp, "conditions": kids,
                                                       **more},
                         st.sampled_from(["all", "any"]), st.booleans(),
                         st.lists(children, min_size=0, max_size=2),
                         st.fixed_dictionaries(extra))

    order_field = leaf("order.field", {
        "status": ("string", ["fulfilled", "canceled", "unfulfilled"]),
        "total": ("number", MONEY)}).filter(
        lambda d: not (d["field"] == "status" and d["operator"] in ("contains", "not_contains")))
    order_children = st.one_of(
        order_field,
        container({"kind": "order.address"}, address,
                  address=st.sampled_from(["billing", "shipping"])),
        container({"kind": "order.products"}, product, found=st.booleans()))

    def products_with_period(d):
        return st.just(d) if d["source"] == "cart" else period.map(
            lambda p: {**d, "period": p} if p else d)

    kinds = {
        "customer.field": leaf("customer.field", {
            "email": text, "first_name": text, "is_active": ("boolean", [True, False]),
            "date_joined": ("date", DATES), "last_login": ("date", DATES),
            "language_code": ("string", ["en", "de"]),
            "customer_type": ("id", ids["customer_types"]),
            "number_of_orders": ("number", [0, 1, 2, 3])}),
        "customer.metadata": st.one_of(
            leaf("customer.metadata", {"-": ("string", ["female", "male", "fe"])},
                 key="gender", type="string"),
            leaf("customer.metadata", {"-": ("number", [1, 5, 12.5])}, key="score",
                 type="number"),
            leaf("customer.metadata", {"-": ("date", DATES)}, key="birthday", type="date"),
            leaf("customer.metadata", {"-": ("boolean", [True, False])}, key="vip",
                 type="boolean", source="private_metadata")),
        "customer.attribute": st.one_of(
            leaf("customer.attribute", {"-": ("string", ["female", "male"])},
                 attribute="gender", type="string"),
            leaf("customer.attribute", {"-": ("number", [170, 180])}, attribute="height",
                 type="number")),
        "customer.gift_card_balance": leaf("customer.gift_card_balance",
                                           {"-": ("number", [0, 10, 50, 100])}),
        "address": container({"kind": "address"}, address,
                             address=st.sampled_from(["any", "default_billing",
                                                      "default_shipping"])),
        "address.field": None,  # only inside containers
        "cart": leaf("cart", {
            "lines": ("number", [0, 1, 2, 3]), "quantity": ("number", [0, 1, 3, 5]),
            "subtotal": ("number", MONEY), "total": ("number", MONEY), "tax": ("number", [0, 10]),
            "shipping": ("number", [0, 5]), "discount": ("number", [0, 5]),
            "gift_cards": ("number", [0, 40]), "voucher_code": ("string", ["summer", "x"])}),
        "products": container({"kind": "products"}, product,
                              source=st.sampled_from(["cart", "wishlist", "viewed", "ordered"]),
                              found=st.booleans()).flatmap(products_with_period),
        "orders": st.one_of(*[
            container({"kind": "orders", "measure": m}, order_children,
                      period=period).flatmap(
                lambda d, pool=pool: comparison("number", pool).map(
                    lambda c: {**{k: v for k, v in d.items() if k != "period" or v},
                               "operator": c[0], "value": c[1]}))
            for m, pool in (("count", [0, 1, 2, 3]), ("total", MONEY),
                            ("average", [50, 100, 300]), ("quantity", [0, 2, 5]))]),
        "segment": leaf("segment", {"-": ("id", ids["segments"])}).filter(
            lambda d: d["operator"] != "undefined"),
    }
    return kinds


def tree_strategy(kinds):
    leaves = st.one_of(*[s for s in kinds.values() if s is not None])
    return st.recursive(
        leaves,
        lambda children: st.builds(
            lambda agg, exp, kids: {"kind": "group", "aggregator": agg, "expected": exp,
                                    "conditions": kids},
            st.sampled_from(["all", "any"]), st.booleans(),
            st.lists(children, min_size=0, max_size=3)),
        max_leaves=6,
    ).map(lambda node: {"aggregator": "all", "expected": True, "conditions": [node]})


def build_store(draw, channel):
    cat = Catalogue(channel)
    other = ChannelFactory()
    types = [CustomerTypeFactory(), CustomerTypeFactory()]
    gender = insert("attribute_attribute", slug="gender", name="Gender", type="CUSTOMER",
                    input_type="dropdown")
    height = insert("attribute_attribute", slug="height", name="Height", type="CUSTOMER",
                    input_type="numeric")
    values = [insert("attribute_attributevalue", name=n, slug=n.lower(), attribute_id=gender["id"])
              for n in ("Female", "Male")]
    values += [insert("attribute_attributevalue", name=str(h), slug=str(h), numeric=float(h),
                      attribute_id=height["id"]) for h in (170, 180)]
    segment = Segment.objects.create(name="Other", channel_id=channel["id"], conditions={})
    variants = [cat.sneaker_red, cat.sneaker_blue, cat.novel_v]
    at = lambda: NOW - dt.timedelta(days=draw(st.sampled_from(DAYS)))  # noqa: E731
    pick = lambda options: draw(st.sampled_from(options))  # noqa: E731

    def address():
        return AddressFactory(city=pick(["Los Angeles", "Paris", ""]), country=pick(["US", "PL"]),
                              country_area=pick(["CA", "TX", ""]),
                              postal_code=pick(["12345", "99", ""]), first_name=pick(["Ann", ""]))

    def lines(checkout):
        for _ in range(draw(st.integers(0, 2))):
            CheckoutLineFactory(checkout_id=checkout["token"], variant_id=pick(variants)["id"],
                                quantity=draw(st.integers(1, 3)))

    def checkout(user_id):
        c = CheckoutFactory(user_id=user_id, channel_id=pick([channel["id"], other["id"]]),
                            subtotal_gross_amount=Decimal(pick(MONEY)),
                            total_gross_amount=Decimal(pick(MONEY)),
                            total_net_amount=pick([Decimal(pick(MONEY)), None]),
                            shipping_price_gross_amount=Decimal(pick([0, 5])),
                            discount_amount=Decimal(pick([0, 5])),
                            voucher_code=pick([None, "SUMMER", "x"]), last_change=at())
        lines(c)
        if draw(st.booleans()):
            card = GiftCardFactory(current_balance_amount=Decimal(pick([10, 40])))
            insert("checkout_checkout_gift_cards", checkout_id=c["token"], giftcard_id=card["id"])
        return c

    for _ in range(draw(st.integers(2, 6))):
        addresses = [address() for _ in range(draw(st.integers(0, 2)))]
        user = UserFactory(
            email=pick(["ann@x.com", "BOB@y.org", "x@a.com"]) + str(draw(st.integers(0, 10**6))),
            first_name=pick(["Ann", "Bob", ""]), is_active=draw(st.booleans()),
            is_staff=draw(st.booleans()) and draw(st.booleans()),
            date_joined=at(), last_login=pick([None, at()]), language_code=pick(["en", "de"]),
            customer_type_id=pick([None] + [t["id"] for t in types]),
            number_of_orders=draw(st.integers(0, 3)),
            metadata=draw(st.fixed_dictionaries({}, optional={
                "gender": st.sampled_from(["female", "Male", ""]),
                "score": st.sampled_from(["1", "12.5", "abc", " 5 "]),
                "birthday": st.sampled_from(["2026-06-05", "2025-06-01T10:00", "bad"])})),
            private_metadata=draw(st.fixed_dictionaries({}, optional={
                "vip": st.sampled_from(["true", "no", "maybe"])})),
            default_billing_address_id=pick([None] + [a["id"] for a in addresses]),
            default_shipping_address_id=pick([None] + [a["id"] for a in addresses]))
        for a in addresses:
            insert("account_user_addresses", user_id=user["id"], address_id=a["id"])
        for value in draw(st.lists(st.sampled_from(values), max_size=2, unique_by=lambda v: v[
                "id"])):
            insert("attribute_assigneduserattributevalue", user_id=user["id"],
                   value_id=value["id"])
        if draw(st.booleans()):
            checkout(user["id"])
        for _ in range(draw(st.integers(0, 3))):
            order = OrderFactory(user_id=user["id"], channel_id=pick([channel["id"]] * 3 + [
                other["id"]]), status=pick(["fulfilled", "canceled", "unfulfilled", "draft"]),
                created_at=at(), total_gross_amount=Decimal(pick(MONEY)),
                billing_address_id=pick([None, address()["id"]]),
                shipping_address_id=pick([None, address()["id"]]))
            for _ in range(draw(st.integers(0, 2))):
                OrderLineFactory(order_id=order["id"],  # None: the variant was deleted
                                 variant_id=pick([v["id"] for v in variants] + [None]),
                                 quantity=draw(st.integers(1, 3)))
        for _ in range(draw(st.integers(0, 2))):
            ProductView.objects.create(customer_id=user["id"], channel_id=channel["id"],
                                       product_id=pick([cat.sneaker, cat.novel])["id"],
                                       variant_id=pick([None, cat.sneaker_red["id"]]),
                                       viewed_at=at())
        if draw(st.booleans()):
            WishlistItem.objects.create(customer_id=user["id"], product_id=pick(
                [cat.sneaker, cat.novel])["id"], added_at=at())
        if draw(st.booleans()):
            GiftCardFactory(used_by_id=user["id"], current_balance_amount=Decimal(pick([10, 60])),
                            is_active=draw(st.booleans()),
                            expiry_date=pick([None, dt.date(2026, 1, 1), dt.date(2027, 1, 1)]))
        if draw(st.booleans()):
            CustomerMembership.objects.create(segment=segment, customer_id=user["id"],
                                              definition_version=1)
    for _ in range(draw(st.integers(0, 2))):
        visitor = checkout(None)
        if draw(st.booleans()):
            ProductView.objects.create(checkout_token=visitor["token"], channel_id=channel["id"],
                                       product_id=cat.novel["id"], viewed_at=at())
    return {"products": [cat.sneaker["id"], cat.novel["id"]],
            "variants": [v["id"] for v in variants],
            "categories": [c["id"] for c in cat.categories.values()],
            "collections": [cat.summer["id"]],
            "types": [cat.shoe_type["id"], cat.book_type["id"]],
            "customer_types": [t["id"] for t in types], "segments": [segment.pk]}


def test_every_kind_has_a_strategy():
    fake_ids = {k: [1] for k in ("products", "variants", "categories", "collections", "types",
                                 "customer_types", "segments")}
    scoped = {"product.product", "product.variant", "product.sku", "product.category",
              "product.collection", "product.product_type", "product.attribute", "product.price",
              "order.field", "order.address", "order.products"}
    assert set(all_kinds()) - scoped == set(strategies(fake_ids))


@settings(max_examples=int(__import__("os").environ.get("PROPERTY_EXAMPLES", 120)),
          deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                HealthCheck.too_slow,
                                                HealthCheck.data_too_large])
@given(data=st.data())
def test_sql_equals_python_reference(channel, data):
    with transaction.atomic():
        ids = build_store(data.draw, channel)
        trees = data.draw(st.lists(tree_strategy(strategies(ids)), min_size=3, max_size=8))
        for raw in trees:
            tree = parse_tree(raw)
            for subject in ("customer", "visitor"):
                expected = python_matches(tree, channel["id"], subject)
                assert sql_matches(tree, channel["id"], subject) == expected, raw
                assert sql_matches(tree, channel["id"], subject, single=True) == expected, raw
                assert own_rows_matches(tree, channel["id"], subject) == expected, raw
                assert parallel_matches(tree, channel["id"], subject,
                                        check_plan=False) == expected, raw
                if subject == "customer":
                    assert ranged_matches(tree, channel["id"]) == expected, raw
                    assert explained(raw, channel["id"]) == expected, raw
        transaction.set_rollback(True)


def explained(raw, channel_id) -> set:
    """Customers whose explanation says the root group is met (every node must evaluate)."""
    from types import SimpleNamespace

    from django.db import connection

    from saleor_segments.evaluation.explain import explain_customer

    segment = SimpleNamespace(pk=None, conditions=raw, channel_id=channel_id,
                              apply_to="customers")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM account_user WHERE NOT is_staff")
        customers = [r[0] for r in cursor.fetchall()]
    return {pk for pk in customers
            if explain_customer(segment, pk, now=NOW)[0].met}
