import datetime as dt
from decimal import Decimal

import pytest

from ..catalogue import Catalogue
from ..factories import (
    NOW,
    AddressFactory,
    ChannelFactory,
    OrderFactory,
    OrderLineFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def orders(measure, operator, value, *conditions, period=None):
    data = {"kind": "orders", "measure": measure, "operator": operator, "value": value,
            "conditions": list(conditions)}
    if period:
        data["period"] = period
    return data


def of(name, operator, value):
    return {"kind": "order.field", "field": name, "operator": operator, "value": value}


@pytest.fixture
def history(channel):
    cat = Catalogue(channel)
    loyal, once, never, canceled = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    la = AddressFactory(city="Los Angeles", country_area="CA")
    for days, total in ((5, "600"), (20, "700"), (80, "550"), (400, "50")):
        order = OrderFactory(user_id=loyal["id"], channel_id=channel["id"],
                             created_at=NOW - dt.timedelta(days=days),
                             total_gross_amount=Decimal(total), billing_address_id=la["id"])
        OrderLineFactory(order_id=order["id"], variant_id=cat.sneaker_red["id"], quantity=2)
    order = OrderFactory(user_id=once["id"], channel_id=channel["id"],
                         total_gross_amount=Decimal("30"))
    OrderLineFactory(order_id=order["id"], variant_id=cat.novel_v["id"], quantity=7)
    OrderFactory(user_id=canceled["id"], channel_id=channel["id"], status="canceled")
    OrderFactory(user_id=never["id"], channel_id=ChannelFactory()["id"])  # other channel
    OrderFactory(user_id=never["id"], channel_id=channel["id"], status="draft")
    return {"cat": cat, "loyal": loyal, "once": once, "never": never, "canceled": canceled}


def test_counts_totals_averages_quantities(matches, history):
    loyal, once, never, canceled = (history[k]["id"] for k in ("loyal", "once", "never",
                                                              "canceled"))
    assert matches(orders("count", "gte", 3)) == {loyal}
    assert matches(orders("count", "is", 0)) == {never}  # drafts and other channels don't count
    assert matches(orders("count", "lt", 2)) == {once, never, canceled}
    assert matches(orders("total", "gt", 1000)) == {loyal}
    assert matches(orders("total", "lte", 30)) == {once, never}  # canceled: 100, unfiltered
    assert matches(orders("average", "undefined", True)) == {never}
    assert matches(orders("average", "between", [400, 500])) == {loyal}
    assert matches(orders("quantity", "gte", 7)) == {loyal, once}


def test_filters_period_status_address_and_products(matches, history):
    loyal, once = history["loyal"]["id"], history["once"]["id"]
    cat = history["cat"]
    # the benchmark's segment: 3+ non-cancelled orders worth 500+ in 90 days with a category
    rich = orders("count", "gte", 3, of("status", "not_in", ["canceled"]), of("total", "gte", 500),
                  {"kind": "order.products", "conditions": [
                      {"kind": "product.category", "operator": "is",
                       "value": cat.categories["shoes"]["id"]}]},
                  period={"last_days": 90})
    assert matches(rich) == {loyal}
    assert matches({**rich, "period": {"last_days": 30}}) == set()
    assert matches(orders("count", "gte", 1, of("status", "is", "canceled"))) == {
        history["canceled"]["id"]}
    assert matches(orders("count", "gte", 1, {
        "kind": "order.address", "address": "billing", "conditions": [
            {"kind": "address.field", "field": "city", "operator": "is",
             "value": "los angeles"}]})) == {loyal}
    assert matches(orders("count", "gte", 1, {"kind": "order.products", "found": False,
                                              "conditions": [{"kind": "product.sku",
                                                              "operator": "contains",
                                                              "value": "SNK"}]})) == {
        once, history["canceled"]["id"]}
    assert matches(orders("total", "gte", 100, period={"from": "2025-01-01",
                                                       "to": "2025-12-31"})) == set()
