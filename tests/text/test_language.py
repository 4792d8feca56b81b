"""Hand-written examples of every construct of the text form, and its error messages."""

from dataclasses import dataclass

import pytest

from saleor_segments.conditions import (
    Comparison,
    Condition,
    ValidationContext,
    parse_tree,
    temporarily,
    tree_json,
)
from saleor_segments.conditions.base import cmp_json
from saleor_segments.conditions.text import ConditionTextError, parse_text, print_tree
from saleor_segments.conditions.values import STRING


def json_of(text, **context):
    return tree_json(parse_text(text, ValidationContext(**context)))


def one(text):
    """The JSON of the single condition ``text`` stands for."""
    [node] = json_of(text)["conditions"]
    return node


EXAMPLES = [
    ('customer.email contains "@example.com"',
     {"kind": "customer.field", "field": "email", "operator": "contains",
      "value": "@example.com"}),
    ("customer.is_active is not true",
     {"kind": "customer.field", "field": "is_active", "operator": "is_not", "value": True}),
    ("customer.date_joined between 2024-01-01 and 2024-06-30",
     {"kind": "customer.field", "field": "date_joined", "operator": "between",
      "value": ["2024-01-01", "2024-06-30"]}),
    ("customer.last_login in last 30 days",
     {"kind": "customer.field", "field": "last_login", "operator": "in_last_days", "value": 30}),
    ("customer.number_of_orders >= 3",
     {"kind": "customer.field", "field": "number_of_orders", "operator": "gte", "value": 3}),
    ("customer.first_name is defined",
     {"kind": "customer.field", "field": "first_name", "operator": "undefined", "value": False}),
    ("customer.customer_type is undefined",
     {"kind": "customer.field", "field": "customer_type", "operator": "undefined",
      "value": True}),
    ('customer.customer_type in [3, "Q3VzdG9tZXJUeXBlOjQ="]',
     {"kind": "customer.field", "field": "customer_type", "operator": "in", "value": [3, 4]}),
    ('customer.metadata(gender) is "female"',
     {"kind": "customer.metadata", "key": "gender", "type": "string", "source": "metadata",
      "operator": "is", "value": "female"}),
    ('customer.metadata("shoe size", source: private_metadata) > 42.5',
     {"kind": "customer.metadata", "key": "shoe size", "type": "number",
      "source": "private_metadata", "operator": "gt", "value": "42.5"}),
    ("customer.metadata(birthday, type: date) is undefined",
     {"kind": "customer.metadata", "key": "birthday", "type": "date", "source": "metadata",
      "operator": "undefined", "value": True}),
    ("customer.attribute(newsletter) is true",
     {"kind": "customer.attribute", "attribute": "newsletter", "type": "boolean",
      "operator": "is", "value": True}),
    ("customer.gift_card_balance < 10",
     {"kind": "customer.gift_card_balance", "operator": "lt", "value": 10}),
    ('address(default_billing) where any { city contains "Los Angeles"; country in ["US"] }',
     {"kind": "address", "address": "default_billing", "aggregator": "any", "expected": True,
      "conditions": [
          {"kind": "address.field", "field": "city", "operator": "contains",
           "value": "Los Angeles"},
          {"kind": "address.field", "field": "country", "operator": "in", "value": ["US"]}]}),
    ('address { address.postal_code not contains "9" }',
     {"kind": "address", "address": "any", "aggregator": "all", "expected": True,
      "conditions": [{"kind": "address.field", "field": "postal_code",
                      "operator": "not_contains", "value": "9"}]}),
    ('cart.voucher_code not in ["SUMMER", "x"]',
     {"kind": "cart", "field": "voucher_code", "operator": "not_in", "value": ["SUMMER", "x"]}),
    ("products(viewed) during last 7 days where { product is 12; variant is not 3 }",
     {"kind": "products", "source": "viewed", "found": True, "period": {"last_days": 7},
      "aggregator": "all", "expected": True, "conditions": [
          {"kind": "product.product", "operator": "is", "value": 12},
          {"kind": "product.variant", "operator": "is_not", "value": 3}]}),
    ("products(wishlist, found: false) from 2024-01-01 until 2024-12-31 where none "
     "{ category(include_descendants: false) is 4; collection in [1, 2]; product_type is 5 }",
     {"kind": "products", "source": "wishlist", "found": False,
      "period": {"from": "2024-01-01", "to": "2024-12-31"}, "aggregator": "all",
      "expected": False, "conditions": [
          {"kind": "product.category", "operator": "is", "value": 4,
           "include_descendants": False},
          {"kind": "product.collection", "operator": "in", "value": [1, 2]},
          {"kind": "product.product_type", "operator": "is", "value": 5}]}),
    ('products(cart) where not all { attribute(color) is "Red"; price between 10 and 20.5; '
     'product.sku contains "SNK" }',
     {"kind": "products", "source": "cart", "found": True, "aggregator": "any",
      "expected": False, "conditions": [
          {"kind": "product.attribute", "attribute": "color", "operator": "is", "value": "Red"},
          {"kind": "product.price", "operator": "between", "value": [10, "20.5"]},
          {"kind": "product.sku", "operator": "contains", "value": "SNK"}]}),
    ("orders.total > 100 until 2025-01-01",
     {"kind": "orders", "measure": "total", "operator": "gt", "value": 100,
      "period": {"to": "2025-01-01"}, "aggregator": "all", "expected": True, "conditions": []}),
    ('orders.count >= 2 where { status in [fulfilled, "partially fulfilled"]; total >= 50; '
     'address(shipping) where { country is "PL" }; products(found: false) where { sku is "X" } }',
     {"kind": "orders", "measure": "count", "operator": "gte", "value": 2,
      "aggregator": "all", "expected": True, "conditions": [
          {"kind": "order.field", "field": "status", "operator": "in",
           "value": ["fulfilled", "partially fulfilled"]},
          {"kind": "order.field", "field": "total", "operator": "gte", "value": 50},
          {"kind": "order.address", "address": "shipping", "aggregator": "all",
           "expected": True, "conditions": [
               {"kind": "address.field", "field": "country", "operator": "is", "value": "PL"}]},
          {"kind": "order.products", "found": False, "aggregator": "all", "expected": True,
           "conditions": [{"kind": "product.sku", "operator": "is", "value": "X"}]}]}),
    ("segment not in [7, 8]", {"kind": "segment", "operator": "not_in", "value": [7, 8]}),
]


@pytest.mark.parametrize(("text", "expected"), EXAMPLES, ids=[t for t, _ in EXAMPLES])
def test_each_construct_reads_as_the_json_the_builder_stores(text, expected):
    assert one(text) == tree_json(parse_tree({"conditions": [expected]}))["conditions"][0]
    tree = parse_text(text)
    assert parse_text(print_tree(tree)) == tree


@pytest.mark.parametrize(("text", "aggregator", "expected"), [
    ("all { }", "all", True), ("any {}", "any", True), ("none {}", "all", False),
    ("not any {}", "all", False), ("not all {}", "any", False)])
def test_group_quantifiers(text, aggregator, expected):
    assert json_of(text) == {"version": 1, "aggregator": aggregator, "expected": expected,
                             "conditions": []}


def test_a_bare_list_is_all_of_it_and_separators_are_new_lines_or_semicolons():
    text = """
    # women in Los Angeles
    customer.metadata(gender) is "female"   # declared as text
    address(any) where {
      city contains "Los Angeles"; country_area is "CA"
    }
    any { cart.total > 100; orders.count >= 1 during last 1 day }
    """
    data = json_of(text)
    assert (data["aggregator"], data["expected"]) == ("all", True)
    assert [n["kind"] for n in data["conditions"]] == ["customer.metadata", "address", "group"]
    assert data["conditions"][2]["conditions"][1]["period"] == {"last_days": 1}
    assert json_of("all { customer.email is \"a\" }") == json_of("customer.email is \"a\"")


def test_a_line_break_inside_brackets_continues_the_condition():
    assert one('segment in [1,\n 2]') == one("segment in [1, 2]")
    assert one('customer.metadata(\n  gender\n) is "f"') == one('customer.metadata(gender) is "f"')


def test_the_issue_example_prints_as_documented():
    text = ('all { customer.metadata(gender) is "female"; address(any) { city contains '
            '"Los Angeles"; country_area is "CA" } }')
    assert print_tree(parse_text(text)) == (
        'all {\n'
        '  customer.metadata(gender) is "female"\n'
        '  address(any) where {\n'
        '    city contains "Los Angeles"\n'
        '    country_area is "CA"\n'
        '  }\n'
        '}\n')


def test_text_values_keep_quotes_escapes_and_unicode():
    value = 'say "hi"\\ to\tZoë ☃'
    text = print_tree(parse_tree({"conditions": [
        {"kind": "customer.field", "field": "first_name", "operator": "is", "value": value}]}))
    assert '"say \\"hi\\"\\\\ to\\tZoë ☃"' in text
    assert one(text)["value"] == value


def error_of(text, **context):
    with pytest.raises(ConditionTextError) as info:
        parse_text(text, ValidationContext(**context))
    return info.value.errors


def test_a_syntax_error_names_line_column_and_what_was_expected():
    [error] = error_of('all {\n  customer.email is\n}')
    assert (error.line, error.column, error.code.value) == (2, 20, "syntax")
    assert "a new line" not in error.expected and '"not"' in error.expected
    assert 'a "quoted text"' in error.expected
    assert str(error).startswith("line 2, column 20: unexpected")


def test_an_unclosed_group_points_at_the_end():
    [error] = error_of('all {\n  cart.total > 1')
    assert (error.line, error.column) == (2, 17)
    assert error.expected == ('"}"',) or '"}"' in error.expected
    assert "end of the text" in error.message


def test_a_container_quantifier_needs_where():
    [error] = error_of('address(any) any { city is "x" }')
    assert (error.line, error.column) == (1, 14) and '"where"' in error.expected


def test_an_unknown_name_lists_what_may_stand_there():
    [error] = error_of('address(any) where {\n  street is "x"\n}')
    assert (error.line, error.column, error.code.value) == (2, 3, "unknown_kind")
    assert "city" in error.expected and "customer.email" not in error.expected
    [error] = error_of("customer.emial is 1")  # a known prefix: the field is checked
    assert (error.path, error.line, error.column) == ("conditions[0].field", 1, 1)
    assert "email" in error.message


def test_validation_errors_point_at_the_part_they_are_about():
    errors = error_of('all {\n  customer.email is "a"\n  address(any) where {\n'
                      '    country is "USA"\n  }\n  orders.count >= "many"\n}')
    found = {(e.path, e.line, e.column) for e in errors}
    assert found == {("conditions[1].conditions[0].value", 4, 16),
                     ("conditions[2].value", 6, 19)}


def test_undeclared_fields_and_missing_segments_are_reported_with_positions():
    errors = error_of('customer.metadata(shoe) > 3\nsegment is 99',
                      declared_fields={("metadata", "gender"): "string"},
                      segment_exists=lambda pk: False)
    assert {(e.code.value, e.line, e.column) for e in errors} == {
        ("unknown_field", 1, 19), ("invalid_value", 2, 12)}


@pytest.mark.parametrize(("text", "message"), [
    ("customer.last_login in last 1.5 days", "whole number of days"),
    ('customer.email is "\\q"', "invalid escape"),
    ('customer.metadata(a, key: b) is "x"', "given twice"),
    ('customer.metadata(a, b) is "x"', "no more unnamed"),
    ('customer.email(value: 1) is "x"', "own syntax"),
    ('customer.email(colour: 1) is "x"', "customer.field takes no argument 'colour'"),
    ('products(cart, period: 1) where { sku(x: 1) is "x" }', "own syntax"),
    ('customer.email is "x" where { city is "y" }', "no sub-conditions"),
])
def test_text_only_mistakes(text, message):
    [error] = error_of(text)
    assert message in error.message and error.line == 1 and error.column >= 1


def test_every_unknown_argument_is_reported():
    errors = error_of('products(cart, fund: false) where {\n  sku(x: 1) is "x"\n}')
    assert {(e.path, e.line, e.column) for e in errors} == {
        ("conditions[0].fund", 1, 16), ("conditions[0].conditions[0].x", 2, 7)}


def test_too_long_text_is_refused():
    [error] = error_of("segment is 1\n" * 20000)
    assert error.code.value == "too_large"


@dataclass(frozen=True)
class Tier(Condition):
    """A kind another app registers: a parameter of its own and a comparison."""

    kind = "acme.loyalty_tier"
    label = group = "acme"
    registered_only = False
    program: str
    cmp: Comparison

    @classmethod
    def parse(cls, r):
        program = r.get("program", STRING)
        cmp = r.comparison(STRING)
        return cls(program, cmp) if program and cmp else None

    def params_json(self):
        return {"program": self.program, **cmp_json(self.cmp)}


def test_a_kind_of_another_app_is_written_with_named_arguments():
    with temporarily(Tier):
        data = {"conditions": [{"kind": "acme.loyalty_tier", "program": "gold club",
                                "operator": "in", "value": ["gold", "silver"]}]}
        tree = parse_tree(data)
        text = print_tree(tree)
        assert 'acme.loyalty_tier(program: "gold club") in ["gold", "silver"]' in text
        assert parse_text(text) == tree
    with pytest.raises(ConditionTextError):  # gone with its app
        parse_text(text)


def test_a_declared_fields_type_needs_no_type_argument():
    declared = {("metadata", "age"): "number", ("attribute", "vip"): "boolean"}
    data = json_of('customer.metadata(age) is undefined\ncustomer.metadata(age) is "30"\n'
                   'customer.attribute(vip) is defined', declared_fields=declared)
    assert [(n["type"], n["value"]) for n in data["conditions"]] == [
        ("number", True), ("number", 30), ("boolean", False)]
    private = json_of("customer.metadata(age, source: private_metadata) is undefined",
                      declared_fields={("private_metadata", "age"): "date"})
    assert private["conditions"][0]["type"] == "date"
