"""SQL is combined as (sql, params) parts: templates take fragments, never edited text."""

import ast
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from saleor_segments.conditions import parse_tree
from saleor_segments.conditions.operators import Comparison
from saleor_segments.conditions.sql import TRUE, Fragment, join, sql, value
from saleor_segments.conditions.values import DATE, NUMBER
from saleor_segments.evaluation.compile import rowless_meets, shopper_query

PACKAGE = Path(__file__).resolve().parents[2] / "saleor_segments"


def test_a_fragment_used_twice_brings_its_parameters_twice_in_text_order():
    expr = sql("({}.metadata ->> {})", "u", value("gender"))
    both = sql("{e} IS NULL OR {e} = {v}", e=expr, v=value("f"))
    assert both == Fragment("(u.metadata ->> %s) IS NULL OR (u.metadata ->> %s) = %s",
                            ("gender", "gender", "f"))
    sql_text, params = both  # unpacks for cursor.execute
    assert params == ["gender", "gender", "f"]


def test_join_and_add_keep_parameters_in_order():
    parts = [value(1), TRUE, sql("x = {}", value(2))]
    assert join(" AND ", parts) == Fragment("%s AND TRUE AND x = %s", (1, 2))
    assert sql("a = {}", value(1)) + " AND " + sql("b = {}", value(2)) == Fragment(
        "a = %s AND b = %s", (1, 2))


def test_values_never_enter_the_text():
    with pytest.raises(ValueError):
        sql("x = %s")
    with pytest.raises(TypeError):
        sql("x = {}", "%s")  # plain text parts are code-written SQL, without placeholders
    with pytest.raises(TypeError):
        sql("x = {}", 5)


def test_metadata_key_is_bound_at_each_use_of_its_expression():
    tree = parse_tree({"conditions": [{"kind": "customer.metadata", "key": "score",
                                       "type": "number", "operator": "undefined",
                                       "value": False}]})
    text, params = shopper_query(tree, 1, "customer")
    assert text.count("->> %s") == 1 and params == ["score"]
    tree = parse_tree({"conditions": [{"kind": "customer.metadata", "key": "gender",
                                       "type": "string", "operator": "is_not", "value": "f"}]})
    text, params = shopper_query(tree, 1, "customer")
    assert params == ["gender", "f"]


def test_no_engine_code_counts_or_splits_sql_text():
    """The text edits composable parts replaced: counting an expression in generated SQL
    (``sql.count(expr)``) and cutting it at a keyword (``source.split(" WHERE ")``)."""
    offenders = []
    for path in [*(PACKAGE / "conditions").glob("*.py"), *(PACKAGE / "evaluation").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.args):
                continue
            arg, name = node.args[0], node.func.attr
            counts = name == "count" and not isinstance(arg, ast.Constant)
            cuts = name in ("split", "rsplit", "partition", "index", "find") and isinstance(
                arg, ast.Constant) and isinstance(arg.value, str) and arg.value.strip().isupper()
            if counts or cuts:
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []


NOW = dt.datetime(2026, 6, 10, tzinfo=dt.UTC)


@pytest.mark.parametrize("operator, value_, zero, expected", [
    # written out from README's operator rules, not computed by the engine's comparison
    ("gte", 1, Decimal(0), False), ("lt", 1, Decimal(0), True), ("lte", 0, Decimal(0), True),
    ("gt", 0, Decimal(0), False), ("is", 0, Decimal(0), True), ("is_not", 0, Decimal(0), False),
    ("in", [0, 5], Decimal(0), True), ("not_in", [0, 5], Decimal(0), False),
    ("not_in", [3], Decimal(0), True), ("between", [0, 3], Decimal(0), True),
    ("between", [1, 3], Decimal(0), False), ("undefined", True, Decimal(0), False),
    ("undefined", False, Decimal(0), True),
    # averages: no rows is undefined (NULL)
    ("lt", 100, None, False), ("gte", 0, None, False), ("is_not", 5, None, True),
    ("not_in", [5], None, True), ("undefined", True, None, True),
    ("undefined", False, None, False),
])
def test_rowless_shoppers_meet_per_the_operator_rules(operator, value_, zero, expected):
    cmp = Comparison.parse(NUMBER, operator, value_, pytest.fail)
    assert rowless_meets(cmp, zero) is expected


def test_the_shape_choice_does_not_run_python_matching(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("Compiler.aggregate called Python matching code")

    monkeypatch.setattr(Comparison, "matches", refuse, raising=False)
    monkeypatch.setattr(Comparison, "matches_any", refuse, raising=False)
    tree = parse_tree({"conditions": [
        {"kind": "orders", "measure": "count", "operator": "lt", "value": 2, "conditions": []},
        {"kind": "customer.gift_card_balance", "operator": "gte", "value": 10}]})
    shopper_query(tree, 1, "customer")
    assert Comparison.parse(DATE, "in_last_days", 3, pytest.fail).time_dependent
