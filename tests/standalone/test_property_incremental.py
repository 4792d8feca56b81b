"""On random small stores, random segments and random changes (customers, addresses,
attributes, orders, carts, views, deletions, products moved in the catalogue; stamped by
Saleor's own columns, or reported by an event, or both) and time passing across windows, an
incremental refresh leaves exactly the members a full evaluation finds."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saleor_segments.conditions import parse_tree
from saleor_segments.membership import changes
from saleor_segments.membership.refresh import refresh_segment
from saleor_segments.models import CustomerMembership, ProductView, Segment, VisitorMembership

from ..factories import NOW, AddressFactory, CheckoutFactory, OrderFactory
from .conftest import sql_matches
from .test_property_sql_equals_python import build_store, leaf, strategies, tree_strategy

pytestmark = pytest.mark.django_db

LATER = [dt.timedelta(0), dt.timedelta(hours=1), dt.timedelta(hours=20), dt.timedelta(days=3),
         dt.timedelta(days=40), dt.timedelta(days=400)]
# full evaluations the incremental refresh may choose (the windows it cannot range-scan)
ALLOWED_FULL = ("its time window cannot be range-scanned",)


def execute(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


def stamp(column="updated_at"):
    """SQL setting Saleor's change stamp, as its ``auto_now`` fields do on save."""
    return f", {column} = clock_timestamp()"


def owner_of(table, key, pk):
    return execute(f"SELECT user_id FROM {table} WHERE {key} = %s", [pk])[0][0]


def reported(customer_id=None, checkout_token=None):
    execute("INSERT INTO saleor_segments_changedshopper (customer_id, checkout_token, at) "
            "VALUES (%s, %s, clock_timestamp())", [customer_id, checkout_token])


CHANGES = ["customer", "new_customer", "address", "order", "new_order", "cart", "new_cart",
           "view", "delete_customer", "delete_order", "delete_cart", "attribute", "product"]
# segments reading products, and changes mostly of the catalogue
CATALOGUE_CHANGES = ["product", "product", "product", "view", "new_cart", "new_order", "order"]


def catalogue_trees(ids):
    """Segments whose result a product moved to another category or type changes: a product
    container (any source) or an order's products, each holding such a condition."""
    moved_by = st.one_of(
        leaf("product.category", {"-": ("id", ids["categories"])}).flatmap(
            lambda d: st.booleans().map(lambda b: {**d, "include_descendants": b})),
        leaf("product.product_type", {"-": ("id", ids["types"])}))
    items = st.lists(moved_by, min_size=1, max_size=2)
    products = st.builds(
        lambda source, found, kids: {"kind": "products", "source": source, "found": found,
                                     "aggregator": "all", "expected": True, "conditions": kids},
        st.sampled_from(["cart", "wishlist", "viewed", "ordered"]), st.booleans(), items)
    ordered = items.map(lambda kids: {
        "kind": "orders", "measure": "count", "operator": "gte", "value": 1,
        "aggregator": "all", "expected": True, "conditions": [{
            "kind": "order.products", "found": True, "aggregator": "any", "expected": True,
            "conditions": kids}]})
    return st.builds(lambda agg, kids: {"aggregator": agg, "expected": True, "conditions": kids},
                     st.sampled_from(["all", "any"]),
                     st.lists(st.one_of(products, ordered), min_size=1, max_size=2))


def change(draw, channel, notes, kinds=tuple(CHANGES)):
    """One random change. Changes Saleor does not stamp come with an event (they are invisible
    otherwise: the periodic full evaluation is their safety net); stamped ones may or may not."""
    customers = [r[0] for r in execute("SELECT id FROM account_user ORDER BY id")]
    checkouts = [r[0] for r in execute("SELECT token FROM checkout_checkout ORDER BY token")]
    orders = [r[0] for r in execute("SELECT id FROM order_order ORDER BY id")]
    pick = lambda options: draw(st.sampled_from(options))  # noqa: E731
    event = draw(st.booleans())
    kind = draw(st.sampled_from(kinds))
    notes.append((kind, event))
    if kind == "product":  # moved in the catalogue: Saleor's product_updated names it
        product = pick([r[0] for r in execute("SELECT id FROM product_product ORDER BY id")])
        column, table = pick([("category_id", "product_category"),
                              ("product_type_id", "product_producttype")])
        execute(f"UPDATE product_product SET {column} = %s WHERE id = %s",
                [pick([r[0] for r in execute(f"SELECT id FROM {table} ORDER BY id")]), product])
        changes.remember_products([product])
        return None
    if kind == "new_customer" or not customers:
        pk = execute("INSERT INTO account_user (email, first_name, last_name, is_staff, "
                     "is_active, is_confirmed, date_joined, updated_at, language_code, "
                     "number_of_orders, metadata, private_metadata) VALUES (%s, 'Ann', '', "
                     "false, true, true, clock_timestamp(), clock_timestamp(), 'en', 0, %s, "
                     "'{}') RETURNING id",  # joined now, as Saleor stamps a new account
                     [f"{uuid.uuid4()}@shop.com", '{"gender": "female"}'])[0][0]
        return reported(pk) if event else None
    who = pick(customers)
    if kind == "customer":
        # Saleor's staffCreate turns a customer into staff (and sends staff_created, which the
        # plugin records); nothing in Saleor turns staff back into a customer
        promoted = draw(st.booleans()) and draw(st.booleans())
        execute("UPDATE account_user SET first_name = %s, email = %s, is_active = %s, "
                "metadata = %s, is_staff = is_staff OR %s, number_of_orders = %s"
                f"{stamp()} WHERE id = %s",
                [pick(["Ann", "Bob", ""]), f"{uuid.uuid4()}{pick(['@x.com', 'x@a.com'])}",
                 draw(st.booleans()), pick(['{}', '{"gender": "female"}', '{"score": "5"}']),
                 promoted, draw(st.integers(0, 3)), who])
        return reported(who) if event or promoted else None
    if kind == "address":
        address = AddressFactory(city=pick(["Los Angeles", "Paris"]), country=pick(["US", "PL"]),
                                 country_area=pick(["CA", "TX"]))
        execute("INSERT INTO account_user_addresses (user_id, address_id) VALUES (%s, %s)",
                [who, address["id"]])
        if draw(st.booleans()):
            execute("UPDATE account_user SET default_billing_address_id = %s WHERE id = %s",
                    [address["id"], who])
        return reported(who)
    if kind == "attribute":
        execute("DELETE FROM attribute_assigneduserattributevalue WHERE user_id = %s", [who])
        value_id = pick([r[0] for r in execute("SELECT id FROM attribute_attributevalue "
                                               "ORDER BY id")])
        execute("INSERT INTO attribute_assigneduserattributevalue (user_id, value_id) "
                "VALUES (%s, %s)", [who, value_id])
        return reported(who)
    if kind in ("order", "delete_order") and orders:
        order = pick(orders)
        owner = owner_of("order_order", "id", order)
        if kind == "order":
            execute("UPDATE order_order SET status = %s, total_gross_amount = %s"
                    f"{stamp()} WHERE id = %s",
                    [pick(["fulfilled", "canceled", "draft"]), Decimal(pick([15, 100, 600])),
                     order])
            return reported(owner) if event else None
        execute("DELETE FROM order_orderline WHERE order_id = %s", [order])
        execute("DELETE FROM order_order WHERE id = %s", [order])
        return reported(owner) if owner else None
    if kind == "delete_cart" and checkouts:
        token = pick(checkouts)
        owner = owner_of("checkout_checkout", "token", token)
        for table in ("checkout_checkoutline", "checkout_checkout_gift_cards"):
            execute(f"DELETE FROM {table} WHERE checkout_id = %s", [token])
        execute("DELETE FROM checkout_checkout WHERE token = %s", [token])
        return reported(owner, None if owner else token)
    if kind == "cart" and checkouts:
        token = pick(checkouts)
        execute("UPDATE checkout_checkout SET total_gross_amount = %s, voucher_code = %s"
                f"{stamp('last_change')} WHERE token = %s",
                [Decimal(pick([0, 50, 600])), pick([None, "SUMMER"]), token])
        owner = owner_of("checkout_checkout", "token", token)
        return reported(owner, None if owner else token) if event else None
    if kind == "new_order":
        OrderFactory(user_id=who, channel_id=channel["id"], status="unfulfilled",
                     created_at=NOW - dt.timedelta(days=pick([1, 50])),
                     total_gross_amount=Decimal(pick([15, 600])),
                     updated_at=execute("SELECT clock_timestamp()")[0][0])
        return reported(who) if event else None
    if kind == "new_cart":
        CheckoutFactory(user_id=pick([who, None]), channel_id=channel["id"],
                        total_gross_amount=Decimal(pick([0, 600])),
                        last_change=execute("SELECT clock_timestamp()")[0][0])
        return None
    if kind == "view":
        products = [r[0] for r in execute("SELECT id FROM product_product ORDER BY id")]
        ProductView.objects.create(customer_id=who, channel_id=channel["id"],
                                   product_id=pick(products))  # viewed now (the clock)
        return reported(who) if event else None
    if kind == "delete_customer":
        for table, column in (("account_user_addresses", "user_id"),
                              ("attribute_assigneduserattributevalue", "user_id"),
                              ("saleor_segments_productview", "customer_id"),
                              ("saleor_segments_wishlistitem", "customer_id")):
            execute(f"DELETE FROM {table} WHERE {column} = %s", [who])
        execute("UPDATE order_order SET user_id = NULL WHERE user_id = %s", [who])  # SET_NULL
        for table in ("checkout_checkoutline", "checkout_checkout_gift_cards"):  # CASCADE
            execute(f"DELETE FROM {table} WHERE checkout_id IN (SELECT token FROM "
                    "checkout_checkout WHERE user_id = %s)", [who])
        execute("DELETE FROM checkout_checkout WHERE user_id = %s", [who])
        execute("UPDATE giftcard_giftcard SET used_by_id = NULL, assigned_to_id = NULL "
                "WHERE used_by_id = %s OR assigned_to_id = %s", [who, who])
        execute("DELETE FROM account_user WHERE id = %s", [who])
        return reported(who)
    return None


def stored(segment, subject):
    model, column = ((CustomerMembership, "customer_id") if subject == "customer"
                     else (VisitorMembership, "checkout_token"))
    return set(model.objects.filter(segment=segment).values_list(column, flat=True))


@settings(max_examples=int(__import__("os").environ.get("PROPERTY_EXAMPLES", 25)),
          deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                HealthCheck.too_slow,
                                                HealthCheck.data_too_large])
@given(data=st.data())
@pytest.mark.parametrize("focus", ["every kind", "catalogue"])
def test_incremental_refresh_equals_full_evaluation(channel, data, settings_, focus):
    """``catalogue``: segments of product and order conditions only, and changes mostly of
    products moved to another category or type (the owners of a moved product are found
    through the products Saleor's events name)."""
    with transaction.atomic():
        ids = build_store(data.draw, channel)
        trees = data.draw(st.lists(
            tree_strategy(strategies(ids)) if focus == "every kind" else catalogue_trees(ids),
            min_size=2, max_size=5))
        segments = [Segment.objects.get(pk=ids["segments"][0])]
        segments += [Segment.objects.create(
            name=f"S{i}", channel_id=channel["id"], conditions=raw,
            apply_to=data.draw(st.sampled_from(["customers", "visitors_and_customers"])))
            for i, raw in enumerate(trees)]
        for segment in segments:
            refresh_segment(segment, now=NOW)
        notes = []
        for _ in range(data.draw(st.integers(0, 6))):
            change(data.draw, channel, notes,
                   tuple(CHANGES if focus == "every kind" else CATALOGUE_CHANGES))
        later = NOW + data.draw(st.sampled_from(LATER))
        modes = {}
        for segment in segments:  # in order: the segments refer to the first one
            result = refresh_segment(segment.pk, now=later, incremental=True)
            mode = modes[segment.pk] = result.modes[segment.pk]
            assert mode.startswith("incremental") or mode.endswith(ALLOWED_FULL), mode
        for segment in Segment.objects.filter(pk__in=[s.pk for s in segments]):
            tree = parse_tree(segment.conditions)
            for subject in ("customer", "visitor"):
                if subject == "visitor" and segment.apply_to == "customers":
                    continue
                expected = sql_matches(tree, channel["id"], subject, now=later)
                assert stored(segment, subject) == expected, (
                    segment.conditions, subject, notes, modes[segment.pk], later - NOW)
        transaction.set_rollback(True)


@pytest.fixture
def settings_(settings):
    """Every change is looked at (no share fallback), and no overlap: the watermark itself is
    what is tested."""
    settings.SEGMENTS_INCREMENTAL_MAX_SHARE = 1.0
    settings.SEGMENTS_INCREMENTAL_OVERLAP_SECONDS = 0
    return settings
