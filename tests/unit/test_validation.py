import pytest

from saleor_segments.conditions import (
    ApplyTo, ConditionValidationError, ValidationContext, parse_tree, tree_json,
)
from saleor_segments.conditions.ast import MAX_DEPTH
from saleor_segments.models import CustomerField, Segment
from saleor_segments.services import create_segment, update_segment


def errors_of(data, **context):
    with pytest.raises(ConditionValidationError) as info:
        parse_tree(data, ValidationContext(**context))
    return {e.path: e.code.value for e in info.value.errors}


def test_every_problem_is_reported_with_its_path():
    data = {"aggregator": "most", "conditions": [
        {"kind": "customer.field", "field": "email", "operator": "gt", "value": "a"},
        {"kind": "address", "conditions": [
            {"kind": "address.field", "field": "country", "operator": "is", "value": "USA"},
            {"kind": "cart", "field": "lines", "operator": "is", "value": 1}]},
        {"kind": "orders", "measure": "count", "operator": "gte", "value": "three",
         "period": {"last_days": -1}},
        {"kind": "nope"},
        {"kind": "products", "source": "cart", "period": {"last_days": 3}, "conditions": []},
        "not an object",
    ]}
    assert errors_of(data) == {
        "aggregator": "invalid_value",
        "conditions[0].operator": "invalid_operator",
        "conditions[1].conditions[0].value": "invalid_value",
        "conditions[1].conditions[1].kind": "not_allowed_here",
        "conditions[2].value": "invalid_value",
        "conditions[2].period.last_days": "invalid_value",
        "conditions[3].kind": "unknown_kind",
        "conditions[4].period": "invalid",
        "conditions[5]": "invalid",
    }


def test_messages_say_what_was_expected():
    with pytest.raises(ConditionValidationError) as info:
        parse_tree({"conditions": [{"kind": "address", "conditions": [
            {"kind": "address.field", "field": "country", "operator": "is", "value": "USA"}]}]})
    assert str(info.value) == "conditions[0].conditions[0].value: expected a country code"


def test_apply_to_visitors_rejects_customer_only_kinds():
    data = {"conditions": [
        {"kind": "customer.field", "field": "email", "operator": "undefined"},
        {"kind": "products", "source": "ordered", "conditions": []},
        {"kind": "products", "source": "viewed", "conditions": []},
        {"kind": "cart", "field": "lines", "operator": "gt", "value": 0}]}
    assert errors_of(data, apply_to=ApplyTo.VISITORS) == {
        "conditions[0].kind": "not_allowed_for_apply_to",
        "conditions[1].kind": "not_allowed_for_apply_to"}


def test_nesting_and_size_limits():
    node = {"kind": "group", "conditions": []}
    for _ in range(MAX_DEPTH + 5):
        node = {"kind": "group", "conditions": [node]}
    assert "too_deep" in errors_of({"conditions": [node]}).values()
    wide = {"conditions": [{"kind": "cart", "field": "lines", "operator": "gt", "value": 1}] * 600}
    assert "too_large" in errors_of(wide).values()


def test_values_are_normalised_and_round_trip():
    data = {"version": 1, "aggregator": "any", "expected": False, "conditions": [
        {"kind": "address", "address": "default_billing", "aggregator": "all", "expected": True,
         "conditions": [{"kind": "address.field", "field": "country", "operator": "in",
                         "value": ["us", "PL"]}]},
        {"kind": "products", "source": "viewed", "found": False, "period": {"from": "2026-01-01"},
         "aggregator": "all", "expected": True, "conditions": [
             {"kind": "product.product", "operator": "is", "value": "UHJvZHVjdDo3"}]}]}
    once = tree_json(parse_tree(data))
    assert once["conditions"][0]["conditions"][0]["value"] == ["US", "PL"]
    assert once["conditions"][1]["conditions"][0]["value"] == 7  # Relay ID "Product:7"
    assert tree_json(parse_tree(once)) == once


@pytest.mark.django_db
def test_services_save_nothing_on_error(channel):
    bad = {"conditions": [{"kind": "customer.metadata", "key": "gender", "type": "string",
                           "operator": "is", "value": "f"}]}
    with pytest.raises(ConditionValidationError, match="not declared"):
        create_segment(name="S", channel_id=channel["id"], conditions=bad)
    with pytest.raises(ConditionValidationError, match="name"):
        create_segment(name=" ", channel_id=channel["id"], conditions={"conditions": []})
    assert not Segment.objects.exists()

    CustomerField.objects.create(source="metadata", key="gender", value_type="string")
    segment = create_segment(name="S", channel_id=channel["id"], conditions=bad)
    with pytest.raises(ConditionValidationError, match="apply_to"):
        update_segment(segment, apply_to="visitors")
    with pytest.raises(ConditionValidationError):
        update_segment(segment, name="renamed", conditions={"conditions": [{"kind": "x"}]})
    segment.refresh_from_db()
    assert (segment.name, segment.definition_version) == ("S", 1)


@pytest.mark.django_db
def test_segment_conditions_refuse_cycles_and_unknown_segments(channel):
    a = create_segment(name="A", channel_id=channel["id"], conditions={"conditions": []})
    b = create_segment(name="B", channel_id=channel["id"], conditions={"conditions": [
        {"kind": "segment", "operator": "is", "value": a.pk}]})
    with pytest.raises(ConditionValidationError, match="cycle"):
        update_segment(a, conditions={"conditions": [
            {"kind": "segment", "operator": "in", "value": [b.pk]}]})
    with pytest.raises(ConditionValidationError, match="does not exist"):
        create_segment(name="C", channel_id=channel["id"], conditions={"conditions": [
            {"kind": "segment", "operator": "is", "value": 99999}]})
