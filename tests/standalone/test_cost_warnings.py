"""Cost warnings: on a store large enough for the planner's choices to be those of a real one
(a demo store of 2,000 customers and ~13,000 order lines, ANALYZEd), a tree that reads every
order line is flagged and a cheap one is not. Only EXPLAIN runs: nothing is evaluated."""

import pytest
from django.db import connection

from saleor_segments.conditions import ApplyTo, parse_tree
from saleor_segments.demo.store import DemoStore
from saleor_segments.evaluation.cost import MIN_ROWS, estimate_cost, top_conditions
from saleor_segments.standalone.rows import insert

from ..factories import NOW, AddressFactory, OrderFactory, OrderLineFactory, UserFactory

pytestmark = pytest.mark.django_db

ORDERED_SKU = {"kind": "products", "source": "ordered", "conditions": [
    {"kind": "product.sku", "operator": "contains", "value": "TEE"}]}
EMAIL = {"kind": "customer.field", "field": "email", "operator": "contains",
         "value": "@example.com"}


def tree(*conditions, **group):
    return parse_tree({**group, "conditions": list(conditions)})


def order_lines() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM order_orderline")
        return cursor.fetchone()[0]


def test_on_a_real_sized_store_order_line_scans_are_flagged_and_cheap_trees_are_not():
    ids = DemoStore(2000, seed=5, now=NOW).build()  # ANALYZEs: the planner's statistics
    assert order_lines() >= MIN_ROWS
    channel = ids["channel"]

    cost = estimate_cost(tree(EMAIL, {"kind": "group", "aggregator": "any", "conditions": [
        ORDERED_SKU]}), channel, ApplyTo.CUSTOMERS, now=NOW)
    assert cost.estimated_cost > 0 and cost.estimated_rows >= 0 and not cost.budget_exceeded
    [warning] = cost.expensive
    assert (warning.path, warning.kind) == ("conditions[1].conditions[0]", "products")
    assert "order lines (order_orderline)" in warning.reason and "~1" in warning.reason
    assert "Add a period" in warning.hint
    assert 0 < warning.estimated_cost <= cost.estimated_cost

    cheap = estimate_cost(tree(EMAIL), channel, ApplyTo.VISITORS_AND_CUSTOMERS, now=NOW)
    assert cheap.expensive == [] and cheap.estimated_cost < cost.estimated_cost

    with connection.cursor() as cursor:  # nothing ran: EXPLAIN only
        cursor.execute("SELECT count(*) FROM saleor_segments_customermembership")
        assert cursor.fetchone()[0] == 0


@pytest.fixture
def small_store(channel):
    """A few rows, ANALYZEd: the planner reads such tiny tables from start to end."""
    user = UserFactory()
    address = AddressFactory()
    insert("account_user_addresses", user_id=user["id"], address_id=address["id"])
    order = OrderFactory(user_id=user["id"], channel_id=channel["id"])
    OrderLineFactory(order_id=order["id"])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return channel


def test_small_tables_are_not_worth_a_warning(small_store):
    channel = small_store
    data = tree(EMAIL, ORDERED_SKU)
    assert estimate_cost(data, channel["id"], ApplyTo.CUSTOMERS, now=NOW).expensive == []
    # the same plan judged with no floor: the scan of order lines is what is named
    [warning] = estimate_cost(data, channel["id"], ApplyTo.CUSTOMERS, now=NOW,
                              min_rows=0).expensive
    assert (warning.path, warning.kind) == ("conditions[1]", "products")


def test_the_hint_fits_the_condition(small_store):
    channel = small_store
    with_period = {**ORDERED_SKU, "period": {"last_days": 30}}
    orders = {"kind": "orders", "measure": "quantity", "operator": "gte", "value": 3}
    address = {"kind": "address", "conditions": [
        {"kind": "address.field", "field": "city", "operator": "contains", "value": "LA"}]}
    hints = {w.kind: w.hint for w in estimate_cost(
        tree(with_period, orders, address), channel["id"], ApplyTo.CUSTOMERS, now=NOW,
        min_rows=0).expensive}
    assert hints["products"].startswith("Shorten the period")
    assert hints["orders"].startswith("Add a period")
    assert hints["address"].startswith("`contains` cannot use an index")


def test_conditions_are_judged_at_the_shopper_level():
    data = tree(EMAIL, {"kind": "group", "conditions": [ORDERED_SKU, EMAIL]})
    assert [p for p, _ in top_conditions(data)] == [
        "conditions[0]", "conditions[1].conditions[0]", "conditions[1].conditions[1]"]


def test_planning_out_of_time_says_so(channel):
    data = tree(*[{**ORDERED_SKU, "period": {"last_days": d}} for d in range(1, 60)],
                aggregator="any")
    cost = estimate_cost(data, channel["id"], ApplyTo.VISITORS_AND_CUSTOMERS, now=NOW,
                         budget_ms=1)
    assert cost.budget_exceeded and cost.expensive == []
    assert not estimate_cost(data, channel["id"], ApplyTo.CUSTOMERS, now=NOW).budget_exceeded
    with connection.cursor() as cursor:  # the caller's setting is back
        cursor.execute("SELECT current_setting('statement_timeout')")
        assert cursor.fetchone()[0] == "0"
