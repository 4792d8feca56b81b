from dataclasses import dataclass

import pytest

from saleor_segments.conditions import (
    Condition,
    Event,
    all_kinds,
    parse_tree,
    register,
    temporarily,
    tree_events,
)


def test_every_kind_describes_itself_for_a_builder():
    kinds = all_kinds()
    assert {"customer.field", "customer.attribute", "customer.metadata",
            "customer.gift_card_balance", "address", "address.field", "cart", "products",
            "product.category", "orders", "order.field", "order.address", "order.products",
            "segment"} <= set(kinds)
    for kind, cls in kinds.items():
        described = cls.describe()
        assert described["kind"] == kind and described["label"] and described["group"]
        for field in described["fields"].values():
            assert field["operators"], kind


def test_a_kind_name_is_registered_once():
    @dataclass(frozen=True)
    class Impostor(Condition):
        kind = "cart"

    with pytest.raises(ValueError, match="already registered"):
        register(Impostor)


def test_temporarily_registered_kinds_disappear():
    @dataclass(frozen=True)
    class Always(Condition):
        kind = "test.always"
        label = group = "test"

        @classmethod
        def parse(cls, r):
            return cls()

        def params_json(self):
            return {}

    with temporarily(Always):
        assert parse_tree({"conditions": [{"kind": "test.always"}]})
    assert "test.always" not in all_kinds()


def test_events_say_what_can_change_a_tree():
    tree = parse_tree({"conditions": [
        {"kind": "cart", "field": "lines", "operator": "gt", "value": 0},
        {"kind": "products", "source": "viewed", "period": {"last_days": 7}, "conditions": []},
        {"kind": "customer.field", "field": "date_joined", "operator": "in_last_days",
         "value": 3}]})
    assert tree_events(tree) == {Event.CHECKOUT, Event.ACTIVITY, Event.TIME, Event.CUSTOMER}


def test_periodic_tasks_join_the_beat_schedule(settings):
    from saleor_segments.worker.schedule import BEAT_SCHEDULE, merge_into

    assert set(BEAT_SCHEDULE) <= set(settings.CELERY_BEAT_SCHEDULE)
    mine = {"saleor-segments-refresh-pending": {"task": "x", "schedule": 5}}
    assert merge_into(mine)["saleor-segments-refresh-pending"]["task"] == "x"  # project wins
