"""The preview's time budget holds whatever the tree: JIT compilation (which never checks for
interrupts, so no statement timeout stops it) is off, and every statement, planning included,
gets only what is left of the budget."""

import time

import pytest
from django.db import connection

from saleor_segments.conditions import ApplyTo, parse_tree, temporarily
from saleor_segments.membership.preview import preview

from ..catalogue import Catalogue
from ..factories import NOW, OrderFactory, OrderLineFactory, UserFactory
from .test_refresh import Sleeping

pytestmark = pytest.mark.django_db


def orders_of_red(i):
    return {"kind": "orders", "measure": "count", "operator": "gte", "value": 1, "conditions": [
        {"kind": "order.products", "conditions": [
            {"kind": "product.attribute", "attribute": "color", "operator": "contains",
             "value": f"red{i}"}]}]}


@pytest.fixture
def jit_everywhere():
    """What a large store's plan costs: PostgreSQL JIT-compiles every statement."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_jit_available()")
        if not cursor.fetchone()[0]:
            pytest.skip("this PostgreSQL has no JIT (llvmjit)")
        cursor.execute("SET jit = on; SET jit_above_cost = 0; SET jit_optimize_above_cost = 0; "
                       "SET jit_inline_above_cost = 0")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET jit; RESET jit_above_cost; RESET jit_optimize_above_cost; "
                       "RESET jit_inline_above_cost")


def test_budget_holds_against_a_tree_that_made_jit_run_long(channel, jit_everywhere):
    catalogue = Catalogue(channel)
    for _ in range(30):
        order = OrderFactory(user_id=UserFactory()["id"], channel_id=channel["id"])
        OrderLineFactory(order_id=order["id"], variant_id=catalogue.sneaker_red["id"])
    tree = parse_tree({"aggregator": "any", "conditions": [orders_of_red(i) for i in range(20)]})

    started = time.monotonic()
    result = preview(tree, channel["id"], ApplyTo.VISITORS_AND_CUSTOMERS, budget_ms=1000, now=NOW)
    elapsed = time.monotonic() - started
    assert elapsed < 1 + 4, f"a 1 s budget took {elapsed:.1f} s"  # (generous margin)
    assert result.budget_exceeded or result.customers == 0
    with connection.cursor() as cursor:  # the caller's settings are back
        cursor.execute("SELECT current_setting('jit'), current_setting('statement_timeout')")
        assert cursor.fetchone() == ("on", "0")


def test_the_budget_covers_every_statement_together(channel):
    """The statements (customers, their sample, visitors) share one budget."""
    for _ in range(3):
        UserFactory()
    with temporarily(Sleeping):  # 0.4 s per customer: 1.2 s per statement
        tree = parse_tree({"conditions": [
            {"kind": "test.sleeping", "operator": "is", "value": 0.4}]})
        started = time.monotonic()
        result = preview(tree, channel["id"], ApplyTo.VISITORS_AND_CUSTOMERS, budget_ms=1500,
                         now=NOW)
    assert result.budget_exceeded
    assert time.monotonic() - started < 1.5 + 1.0
