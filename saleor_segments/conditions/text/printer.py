"""Printing a condition tree in the text form; reading the text back gives the same tree."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from ..ast import Group
from ..base import Condition, Scope
from ..customer import DeclaredFieldCondition
from ..operators import Comparison
from ..values import BooleanType, ChoiceType, DateType, NumberType, ValueType
from .errors import UnprintableError
from .names import NAME, POSITIONAL, Named, dot_key, text_name

INDENT = "  "
VALUE_KEYWORDS = frozenset({"true", "false", "not", "undefined", "defined"})
QUANTIFIERS = {("all", True): "all", ("any", True): "any", ("all", False): "none",
               ("any", False): "not all"}
SYMBOLS = {"is": "is", "is_not": "is not", "gt": ">", "gte": ">=", "lt": "<", "lte": "<=",
           "contains": "contains", "not_contains": "not contains", "in": "in",
           "not_in": "not in"}
DEFAULTS = {("products", "found"): True, ("order.products", "found"): True,
            ("product.category", "include_descendants"): True,
            ("customer.metadata", "source"): "metadata"}
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NUMBER = re.compile(r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?")


def print_tree(tree: Group, scope: Scope = Scope.SHOPPER) -> str:
    """The text form of a (validated) tree. UnprintableError for a kind it cannot express."""
    return "\n".join(_group(tree, scope, 0)) + "\n"


def _group(group: Group, scope: Scope, depth: int, head: str | None = None) -> list[str]:
    opening = head if head is not None else QUANTIFIERS[group.aggregator, group.expected] + " "
    if not group.conditions:
        return [INDENT * depth + opening + "{}"]
    lines = [INDENT * depth + opening + "{"]
    for child in group.conditions:
        lines += _node(child, scope, depth + 1)
    return lines + [INDENT * depth + "}"]


def _node(node: Any, scope: Scope, depth: int) -> list[str]:
    if isinstance(node, Group):
        return _group(node, scope, depth)
    line = INDENT * depth + condition_head(node, scope)
    child = node.child_group()
    if child is None or (not child.conditions and (child.aggregator, child.expected) == (
            "all", True)):
        return [line]
    where = "where " if (child.aggregator, child.expected) == ("all", True) else (
        "where " + QUANTIFIERS[child.aggregator, child.expected] + " ")
    return _group(child, node.children_scope, depth, head=line.lstrip() + " " + where)


def condition_head(node: Condition, scope: Scope) -> str:
    """A condition without its sub-conditions: name, arguments, comparison, period."""
    params = node.params_json()
    key = dot_key(type(node))
    named = Named(type(node), key, params.get(key)) if key else Named(type(node))
    name = text_name(named, scope)
    if name is None:  # the kind's own name, the key as an argument
        name, named = node.kind, Named(type(node))
        if not NAME.fullmatch(name.replace(".", "_")):
            raise UnprintableError(f"{node.kind!r} has no name in the text form")
    elif key:
        params.pop(key, None)
    cmp = _comparison_of(node, params)
    if isinstance(node, DeclaredFieldCondition) and cmp is not None and _implied(cmp) == params.get(
            "type"):
        params.pop("type")
    period = params.pop("period", None)
    positional = [params.pop(k) for k in POSITIONAL.get(node.kind, ()) if k in params]
    named_args = [f"{k}: {_plain(v)}" for k, v in params.items()
                  if k not in ("operator", "value") and DEFAULTS.get((node.kind, k), not v) != v]
    args = [_plain(v) for v in positional] + named_args
    text = name + (f"({', '.join(args)})" if args else "")
    if cmp is not None:
        text += " " + comparison_text(cmp)
    elif "operator" in params:
        raise UnprintableError(f"{node.kind!r}: a comparison without a value type")
    if period:
        text += " " + period_text(period)
    return text


def _comparison_of(node: Condition, params: dict) -> Comparison | None:
    if "operator" not in params:
        return None
    found = [v for v in vars(node).values() if isinstance(v, Comparison)]
    return found[0] if len(found) == 1 and found[0].operator == params["operator"] else None


def _implied(cmp: Comparison) -> str:
    """The declared type a reader infers from how the comparison is written."""
    return {"undefined": "string", "in_last_days": "date"}.get(cmp.operator, cmp.type.name)


def comparison_text(cmp: Comparison) -> str:
    op, value = cmp.operator, cmp.to_json()
    if op == "undefined":
        return "is undefined" if value else "is defined"
    if op == "in_last_days":
        return f"in last {value} {'day' if value == 1 else 'days'}"
    if op == "between":
        return f"between {typed(value[0], cmp.type)} and {typed(value[1], cmp.type)}"
    if op in ("in", "not_in"):
        return f"{SYMBOLS[op]} [{', '.join(typed(v, cmp.type) for v in value)}]"
    return f"{SYMBOLS[op]} {typed(value, cmp.type)}"


def period_text(period: dict) -> str:
    if "last_days" in period:
        days = period["last_days"]
        return f"during last {days} {'day' if days == 1 else 'days'}"
    parts = [f"from {_plain(period['from'])}"] if "from" in period else []
    if "to" in period:
        parts.append(f"until {_plain(period['to'])}")
    return " ".join(parts)


def typed(value: Any, vtype: ValueType) -> str:
    """A comparison value as the text writes values of its type."""
    if isinstance(vtype, NumberType) and isinstance(value, int | str):
        return str(value)  # NumberType.to_json: an int, or the decimal's digits
    if isinstance(vtype, DateType | BooleanType):
        return _plain(value)
    if isinstance(vtype, ChoiceType) and isinstance(value, str):
        return word(value)
    if isinstance(value, str):
        return quoted(value)
    return _plain(value)


def _plain(value: Any) -> str:
    """A JSON value: true/false, numbers and dates bare, words (any, cart) bare, text quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal | float) and Decimal(value).is_finite():
        return str(value)
    if isinstance(value, str):
        if _DATE.fullmatch(value) or _NUMBER.fullmatch(value):
            return value if _DATE.fullmatch(value) else quoted(value)
        return word(value)
    if isinstance(value, list):
        return f"[{', '.join(_plain(v) for v in value)}]"
    raise UnprintableError(f"the text form has no way to write {value!r}")


def word(value: str) -> str:
    """Bare where the grammar takes a name as a value (words it reads otherwise are quoted)."""
    return value if NAME.fullmatch(value) and value not in VALUE_KEYWORDS else quoted(value)


def quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)
