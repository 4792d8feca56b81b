"""The condition tree: groups ("if ALL/ANY of these are TRUE/FALSE") and condition kinds.

Stored JSON (format version 1)::

    {"version": 1, "aggregator": "all", "expected": true, "conditions": [
        {"kind": "customer.attribute", "attribute": "gender", "operator": "is", "value": "female"},
        {"kind": "address", "address": "any", "aggregator": "all", "expected": true,
         "conditions": [{"kind": "address.field", "field": "city", "operator": "contains",
                         "value": "Los Angeles"}]}]}

A group nests as {"kind": "group", "aggregator", "expected", "conditions"}. Containers (address,
products, orders) carry a group of their own for the rows they open.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from . import registry
from .base import ApplyTo, Condition, Event, Reader, Scope
from .errors import ConditionError, ConditionErrorCode, ConditionValidationError, join_path

FORMAT_VERSION = 1
MAX_DEPTH = 12
MAX_NODES = 500


@dataclass(frozen=True)
class Group:
    aggregator: str = "all"  # "all" | "any"
    expected: bool = True  # TRUE / FALSE
    conditions: tuple = ()

    def to_json(self) -> dict:
        return {"aggregator": self.aggregator, "expected": self.expected,
                "conditions": [node_json(c) for c in self.conditions]}


def node_json(node: Any) -> dict:
    if isinstance(node, Group):
        return {"kind": "group", **node.to_json()}
    data = node.to_json()
    if node.child_group() is not None:
        data.update(node.child_group().to_json())
    return data


def tree_json(tree: Group) -> dict:
    return {"version": FORMAT_VERSION, **tree.to_json()}


def walk(node: Any) -> Iterator:
    """Every node of a tree, depth first (groups and conditions)."""
    yield node
    children = node.conditions if isinstance(node, Group) else ()
    if isinstance(node, Condition) and node.child_group() is not None:
        children = (node.child_group(),)
    for child in children:
        yield from walk(child)


def tree_events(tree: Group) -> set[Event]:
    events: set[Event] = set()
    for node in walk(tree):
        if isinstance(node, Condition):
            events |= node.event_set()
    return events


@dataclass
class ValidationContext:
    """What validation needs to know beyond the JSON (filled from the database by callers)."""

    apply_to: ApplyTo = ApplyTo.CUSTOMERS
    declared_fields: dict | None = None  # (source, key) -> type name; None: not checked
    segment_exists: Callable[[int], bool] = lambda pk: True
    segment_dependencies: Callable[[int], set] = lambda pk: set()  # segments a segment uses
    segment_id: int | None = None  # the segment being saved, for cycle checks


class _Parser:
    def __init__(self, context: ValidationContext):
        self.context, self.nodes = context, 0
        self.errors: list[ConditionError] = []

    def group(self, data: Any, path: str, scope: Scope, depth: int) -> Group | None:
        r = Reader(data, path, self.errors, self.context)
        aggregator = r.get("aggregator", ("all", "any"), default="all")
        expected = r.get("expected", _boolean, default=True)
        raw = data.get("conditions", [])
        if not isinstance(raw, list):
            r.error("conditions", "expected a list of conditions")
            return None
        children = []
        for index, child in enumerate(raw):
            node = self.node(child, join_path(path, "conditions") + f"[{index}]", scope, depth + 1)
            if node is not None:
                children.append(node)
        return Group(aggregator, expected, tuple(children))

    def node(self, data: Any, path: str, scope: Scope, depth: int) -> Any:
        self.nodes += 1
        if depth > MAX_DEPTH:
            self.errors.append(ConditionError(path, f"nested deeper than {MAX_DEPTH} levels",
                                              ConditionErrorCode.TOO_DEEP))
            return None
        if self.nodes > MAX_NODES:
            if self.nodes == MAX_NODES + 1:
                self.errors.append(ConditionError(path, f"more than {MAX_NODES} conditions",
                                                  ConditionErrorCode.TOO_LARGE))
            return None
        if not isinstance(data, dict):
            self.errors.append(ConditionError(path, "expected an object"))
            return None
        kind = data.get("kind")
        if kind == "group":
            return self.group(data, path, scope, depth)
        cls = registry.get(kind) if isinstance(kind, str) else None
        if cls is None:
            self.errors.append(ConditionError(join_path(path, "kind"),
                                              f"unknown condition kind {kind!r}",
                                              ConditionErrorCode.UNKNOWN_KIND))
            return None
        if cls.scope != scope:
            self.errors.append(ConditionError(
                join_path(path, "kind"), f"{kind!r} cannot stand inside a {scope.value} "
                f"condition (it belongs to {cls.scope.value})", ConditionErrorCode.NOT_ALLOWED_HERE))
            return None
        before = len(self.errors)
        r = Reader(data, path, self.errors, self.context)
        r.parse_group = lambda: self.group(data, path, cls.children_scope, depth)
        node = cls.parse(r)
        if len(self.errors) > before:
            return None
        if node.registered_only and self.context.apply_to == ApplyTo.VISITORS:
            self.errors.append(ConditionError(
                join_path(path, "kind"), f"{kind!r} needs a registered customer and this segment "
                "applies to visitors", ConditionErrorCode.NOT_ALLOWED_FOR_APPLY_TO))
            return None
        return node


def _boolean(raw: Any) -> bool:
    if not isinstance(raw, bool):
        raise ValueError("expected true or false")
    return raw


def parse_tree(data: Any, context: ValidationContext | None = None,
               scope: Scope = Scope.SHOPPER) -> Group:
    """Validate stored/submitted JSON into a tree; raise ConditionValidationError with every
    problem found. ``scope=Scope.ITEM`` reads a product condition group (related products)."""
    context = context or ValidationContext()
    parser = _Parser(context)
    if not isinstance(data, dict):
        raise ConditionValidationError([ConditionError("", "expected an object")])
    version = data.get("version", FORMAT_VERSION)
    if type(version) is not int or version != FORMAT_VERSION:  # True and 1.0 == 1 in Python
        raise ConditionValidationError([ConditionError(
            "version", f"unsupported format version {version!r} (expected {FORMAT_VERSION})",
            ConditionErrorCode.UNSUPPORTED_VERSION)])
    tree = parser.group(data, "", scope, 0)
    if parser.errors or tree is None:
        raise ConditionValidationError(parser.errors)
    return tree
