"""Property tests of the text form: random trees print and read back identically; random
text never raises anything but ConditionTextError with a position."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saleor_segments.conditions import Scope, all_kinds, parse_tree, tree_json
from saleor_segments.conditions.text import ConditionTextError, parse_text, print_tree

from .strategies import covered_kinds, trees

SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def test_every_kind_has_a_strategy():
    assert covered_kinds() == set(all_kinds())


@SETTINGS
@given(trees())
def test_a_printed_tree_reads_back_identically(data):
    tree = parse_tree(data)
    text = print_tree(tree)
    again = parse_text(text)
    assert again == tree, text
    assert tree_json(again) == tree_json(tree)
    assert print_tree(again) == text  # printing is stable


@SETTINGS
@given(trees(Scope.ITEM))
def test_product_condition_groups_read_back_too(data):  # related product rules: item scope
    tree = parse_tree(data, scope=Scope.ITEM)
    assert parse_text(print_tree(tree, Scope.ITEM), scope=Scope.ITEM) == tree


TOKENS = ["all", "any", "none", "not", "{", "}", "(", ")", "[", "]", ";", ",", ":", ".", "\n",
          "is", "in", "last", "days", "between", "and", "where", "during", "from", "until",
          "contains", "undefined", "defined", "true", "false", "customer", "email", "orders",
          "count", "address", "city", "products", "cart", "sku", "status", '"x"', '"\\q"', "1",
          "-2.5", "1e99999", "2024-01-01", "2024-13-45", ">", ">=", "<", "#", "\"", "é", "\x00"]


def garbage():
    return st.one_of(st.text(max_size=60),
                     st.lists(st.sampled_from(TOKENS), max_size=25).map(" ".join),
                     st.lists(st.sampled_from(TOKENS), max_size=25).map("".join))


@settings(max_examples=600, deadline=None)
@given(garbage())
def test_random_text_gives_a_positioned_error_or_a_tree(text):
    try:
        parse_text(text)
    except ConditionTextError as exc:
        assert exc.errors
        for error in exc.errors:
            assert isinstance(error.line, int) and error.line >= 1, error
            assert isinstance(error.column, int) and error.column >= 1, error
            assert error.message


def test_deep_nesting_is_an_error_not_a_crash():
    for text in ("all {" * 5000 + "}" * 5000, "segment in " + "[" * 5000 + "1" + "]" * 5000):
        try:
            parse_text(text)
        except ConditionTextError as exc:
            assert exc.errors[0].line == 1
        else:  # pragma: no cover
            raise AssertionError("accepted")
