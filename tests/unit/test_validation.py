import pytest

from saleor_segments.conditions import (
    ApplyTo,
    ConditionValidationError,
    ValidationContext,
    parse_tree,
    tree_json,
)
from saleor_segments.conditions.ast import MAX_DEPTH


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


# --- what evaluation cannot take is refused (issue 10) ---------------------------------------

def value_error(kind_node):
    return errors_of({"conditions": [kind_node]})


@pytest.mark.parametrize("value", [2 ** 31, 3000000000, "2147483648", "9" * 5000, 0, "0", -1,
                                   True, "\u0661", "1_0", " 7", "+7", "UHJvZHVjdDrZoQ=="])
def test_ids_must_fit_an_integer_column_and_be_ascii_digits(value):
    node = {"kind": "product.product", "operator": "is", "value": value}
    assert errors_of({"conditions": [{"kind": "products", "source": "viewed",
                                      "conditions": [node]}]},
                     apply_to=ApplyTo.VISITORS) == {
        "conditions[0].conditions[0].value": "invalid_value"}
    assert value_error({"kind": "customer.field", "field": "customer_type", "operator": "in",
                        "value": [1, value]}) == {"conditions[0].value": "invalid_value"}


def test_the_largest_integer_id_is_accepted():
    tree = parse_tree({"conditions": [{"kind": "customer.field", "field": "customer_type",
                                       "operator": "is", "value": str(2 ** 31 - 1)}]})
    assert tree_json(tree)["conditions"][0]["value"] == 2 ** 31 - 1


@pytest.mark.parametrize("value", ["1e131072", "1e-20000", "-1e131072", 1e308, "1e20",
                                   "0.0000000000001", "NaN", "Infinity", "\u0661", "1_0", " 1"])
def test_numbers_beyond_what_evaluation_takes_are_refused(value):
    assert value_error({"kind": "cart", "field": "total", "operator": "gt", "value": value}) == {
        "conditions[0].value": "invalid_value"}


@pytest.mark.parametrize("value,expected", [("0e-20000", 0), ("1e19", 10 ** 19),
                                            ("-12.500", "-12.500"), (0.000000000001, "1E-12")])
def test_numbers_within_range_are_kept(value, expected):
    tree = parse_tree({"conditions": [{"kind": "cart", "field": "total", "operator": "gt",
                                       "value": value}]})
    assert tree_json(tree)["conditions"][0]["value"] == expected


@pytest.mark.parametrize("value", ["20240101", "2024-W01-1", "2024-001", "2024-01-01T00:00",
                                   "2024-1-1", "\u0662\u0660\u0662\u0664-01-01", "2024-02-30"])
def test_dates_are_exactly_yyyy_mm_dd(value):
    assert value_error({"kind": "customer.field", "field": "date_joined", "operator": "is",
                        "value": value}) == {"conditions[0].value": "invalid_value"}


@pytest.mark.parametrize("version", [True, 1.0, "1", 2, None])
def test_the_version_is_exactly_the_integer_1(version):
    assert errors_of({"version": version, "conditions": []}) == {
        "version": "unsupported_version"}


def test_text_values_with_nul_are_refused():
    assert value_error({"kind": "customer.field", "field": "email", "operator": "in",
                        "value": ["a", "b\x00"]}) == {"conditions[0].value": "invalid_value"}
