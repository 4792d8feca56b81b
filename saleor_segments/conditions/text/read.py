"""Reading the text form: the lark tree of segments.lark to the condition tree's JSON (the
shape the builder stores), remembering the line and column of every part for error messages."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from lark import Token, Tree

from ..ast import FORMAT_VERSION
from ..base import Scope
from ..customer import DeclaredFieldCondition
from ..errors import ConditionErrorCode, ConditionValidationError, join_path
from .errors import ConditionTextError, TextError
from .names import POSITIONAL, names_in, resolve

Position = tuple[int, int]  # line, column (1-based)
MAX_NESTING = 40  # groups/containers and lists (the tree allows 12 levels: reported there)
QUANTIFIERS = {"all": ("all", True), "any": ("any", True), "none": ("all", False),
               "not_all": ("any", False)}
OPERATORS = {"is", "is_not", "gt", "gte", "lt", "lte", "contains", "not_contains", "in",
             "not_in", "between", "in_last_days", "undefined", "defined"}
PERIODS = {"last_days", "since", "until"}
RESERVED = {"kind", "aggregator", "expected", "conditions", "operator", "value", "period"}
_INTEGER = re.compile(r"[-+]?[0-9]{1,30}")
# what a comparison's value says about the type of a declared field (customer.metadata, ...)
VALUE_TYPES = {"string": "string", "word": "string", "number": "number", "date": "date",
               "true": "boolean", "false": "boolean"}


class Reader:
    def __init__(self, declared: dict | None = None) -> None:
        self.declared = declared or {}  # (source, key) -> type of declared customer fields
        self.errors: list[TextError] = []
        self.positions: dict[str, Position] = {}
        self.given: dict[str, dict[str, Position]] = {}  # node path -> its arguments

    def error(self, at: Any, message: str,
              code: ConditionErrorCode = ConditionErrorCode.INVALID,
              expected: tuple[str, ...] = ()) -> None:
        line, column = position(at)
        self.errors.append(TextError("", message, code, line, column, expected))

    # --- groups -----------------------------------------------------------------------------

    def root(self, tree: Tree, scope: Scope) -> dict:
        items = tree.children[0]
        if len(items.children) == 1 and items.children[0].data == "group":
            data = self.group(items.children[0], "", scope, 0)
        else:
            data = {"aggregator": "all", "expected": True,
                    "conditions": self.items(items, "", scope, 0)}
            self.positions[""] = (1, 1)
        return {"version": FORMAT_VERSION, **data}

    def group(self, tree: Tree, path: str, scope: Scope, depth: int) -> dict:
        quantifier, items = tree.children
        self.positions[path] = position(tree)
        aggregator, expected = QUANTIFIERS[quantifier.data]
        return {"aggregator": aggregator, "expected": expected,
                "conditions": self.items(items, path, scope, depth)}

    def items(self, tree: Tree, path: str, scope: Scope, depth: int) -> list:
        if depth >= MAX_NESTING:
            self.error(tree, f"nested deeper than {MAX_NESTING} levels", ConditionErrorCode.TOO_DEEP)
            return []
        result = []
        for index, child in enumerate(tree.children):
            child_path = join_path(path, "conditions") + f"[{index}]"
            if child.data == "group":
                result.append({"kind": "group", **self.group(child, child_path, scope, depth + 1)})
            else:
                result.append(self.condition(child, child_path, scope, depth + 1))
        return result

    # --- conditions -------------------------------------------------------------------------

    def condition(self, tree: Tree, path: str, scope: Scope, depth: int) -> dict:
        parts = {child.data: child for child in tree.children}
        name_tree = parts["name"]
        name = ".".join(str(token) for token in name_tree.children)
        self.positions[path] = self.positions[join_path(path, "kind")] = position(name_tree)
        readings = resolve(name, scope)
        if len(readings) != 1:
            if readings:
                options = sorted(r.cls.kind for r in readings)
                self.error(name_tree, f"{name!r} may mean {' or '.join(options)}: write the "
                           "full name", expected=tuple(options))
            else:
                self.error(name_tree, f"unknown condition {name!r} here ({scope.value})",
                           ConditionErrorCode.UNKNOWN_KIND, tuple(names_in(scope)))
            return {"kind": name}
        named = readings[0]
        cls = named.cls
        data: dict[str, Any] = {"kind": cls.kind}
        if named.key:
            data[named.key] = named.key_value
            self.positions[join_path(path, named.key)] = position(name_tree)
        if "args" in parts:
            self.arguments(parts["args"], cls.kind, path, data, depth)
        value_type = None
        for operator in OPERATORS & set(parts):
            value_type = self.comparison(parts[operator], path, data, depth)
        for period in PERIODS & set(parts):
            self.period(parts[period], path, data, depth)
        if issubclass(cls, DeclaredFieldCondition) and "type" not in data:
            # the declared type when known, else what the value shows
            source = cls.source_name or data.get("source", "metadata")
            data["type"] = self.declared.get((source, data.get(cls.key_name))) or (
                value_type or "string")
        if "block" in parts:
            self.block(parts["block"], cls, path, data, depth)
        return data

    def arguments(self, tree: Tree, kind: str, path: str, data: dict, depth: int) -> None:
        positional = list(POSITIONAL.get(kind, ()))
        for arg in tree.children:
            if arg.data == "positional":
                if not positional:
                    self.error(arg, f"{kind} takes no more unnamed arguments: write "
                               "name: value")
                    continue
                key, value_tree = positional.pop(0), arg.children[0]
            else:
                key_token, value_tree = arg.children
                key = str(key_token)
                if key in RESERVED:
                    self.error(arg, f"{key!r} is not an argument (it has its own syntax)")
                    continue
                if key in positional:
                    positional.remove(key)
            if key in data:
                self.error(arg, f"{key!r} is given twice")
                continue
            self.positions[join_path(path, key)] = position(arg)
            self.given.setdefault(path, {})[key] = position(arg)
            data[key] = self.value(value_tree, depth)[0]

    def comparison(self, tree: Tree, path: str, data: dict, depth: int) -> str | None:
        """Set operator and value; return the value type the literal implies (or None)."""
        operator = tree.data
        self.positions[join_path(path, "operator")] = position(tree)
        values = [child for child in tree.children if isinstance(child, Tree)]
        numbers = [child for child in tree.children
                   if isinstance(child, Token) and child.type == "NUMBER"]
        if operator in ("undefined", "defined"):
            data["operator"], data["value"] = "undefined", operator == "undefined"
            return None
        data["operator"] = operator
        if operator == "in_last_days":
            data["value"] = self.days(numbers[0])
            self.positions[join_path(path, "value")] = position(numbers[0])
            return "date"
        self.positions[join_path(path, "value")] = position(values[0])
        if operator == "between":
            (low, implied), (high, _) = (self.value(v, depth) for v in values)
            data["value"] = [low, high]
            return implied
        data["value"], implied = self.value(values[0], depth)
        return implied

    def period(self, tree: Tree, path: str, data: dict, depth: int) -> None:
        self.positions[join_path(path, "period")] = position(tree)
        values = [child for child in tree.children if isinstance(child, Tree)]
        if tree.data == "last_days":
            number = next(t for t in tree.children if isinstance(t, Token) and t.type == "NUMBER")
            data["period"] = {"last_days": self.days(number)}
        elif tree.data == "since":
            data["period"] = dict(zip(("from", "to"), (self.value(v, depth)[0] for v in values),
                                      strict=False))
        else:
            data["period"] = {"to": self.value(values[0], depth)[0]}

    def block(self, tree: Tree, cls: Any, path: str, data: dict, depth: int) -> None:
        if cls.children_scope is None:
            self.error(tree, f"{cls.kind} has no sub-conditions")
            return
        *quantifier, items = tree.children
        aggregator, expected = QUANTIFIERS[quantifier[0].data] if quantifier else ("all", True)
        data.update(aggregator=aggregator, expected=expected,
                    conditions=self.items(items, path, cls.children_scope, depth))

    # --- values -----------------------------------------------------------------------------

    def value(self, tree: Tree, depth: int) -> tuple[Any, str | None]:
        """(JSON value, the value type the literal implies)."""
        if tree.data == "list":
            if depth >= MAX_NESTING:
                self.error(tree, f"nested deeper than {MAX_NESTING} levels",
                           ConditionErrorCode.TOO_DEEP)
                return [], None
            items = [self.value(child, depth + 1) for child in tree.children]
            return [v for v, _ in items], items[0][1] if items else None
        token = tree.children[0]
        assert isinstance(token, Token)
        kind = tree.data
        if kind == "string":
            try:
                return json.loads(token, strict=False), "string"
            except ValueError:
                self.error(token, "invalid escape in quoted text (use \\\" \\\\ \\n \\t or "
                           "\\uXXXX)")
                return "", "string"
        if kind == "number":
            return (int(token) if _INTEGER.fullmatch(token) else str(token)), "number"
        if kind in ("true", "false"):
            return kind == "true", "boolean"
        return str(token), VALUE_TYPES[kind]  # date, word

    def days(self, token: Token) -> Any:
        if not _INTEGER.fullmatch(token):
            self.error(token, "expected a whole number of days", ConditionErrorCode.INVALID_VALUE)
            return None
        return int(token)


def position(at: Any) -> Position:
    if isinstance(at, Token):
        return at.line or 1, at.column or 1
    meta = at.meta
    return (1, 1) if meta.empty else (meta.line, meta.column)


def read(tree: Tree, scope: Scope, declared: dict | None = None) -> Reading:
    """The condition tree's JSON and where its parts stand; ConditionTextError for names that
    are unknown here and other problems only the text can have. ``declared`` ((source, key) ->
    type) gives the type of a declared field written without ``type:``."""
    reader = Reader(declared)
    data = reader.root(tree, scope)
    if reader.errors:
        raise ConditionTextError(reader.errors)
    return Reading(data, reader.positions, reader.given)


@dataclass(frozen=True)
class Reading:
    """A text read into the tree's JSON (not yet validated)."""

    data: dict
    positions: dict[str, Position]  # JSON path -> where it stands in the text
    arguments: dict[str, dict[str, Position]]  # node path -> its arguments

    def locate(self, exc: ConditionValidationError) -> ConditionTextError:
        """The tree's validation errors, each at the line and column of the part it is about."""
        return ConditionTextError([TextError(e.path, e.message, e.code, *self.nearest(e.path))
                                   for e in exc.errors])

    def nearest(self, path: str) -> Position:
        while path not in self.positions and path:
            path = path[:max(path.rfind("."), path.rfind("["), 0)]
        return self.positions.get(path, (1, 1))

    def check_arguments(self, normalized: dict) -> None:
        """ConditionTextError for arguments the kind does not take (validation ignores keys
        it does not read; a text should not say what is not kept)."""
        errors = []
        for path, names in sorted(self.arguments.items()):
            node = node_at(normalized, path)
            for name, (line, column) in names.items():
                if name not in node:
                    errors.append(TextError(join_path(path, name), f"{node['kind']} takes no "
                                            f"argument {name!r}", ConditionErrorCode.INVALID,
                                            line, column))
        if errors:
            raise ConditionTextError(errors)


def node_at(tree: dict, path: str) -> dict:
    """The JSON node at a path such as ``conditions[1].conditions[0]``."""
    node = tree
    for index in re.findall(r"\[([0-9]+)\]", path):
        node = node["conditions"][int(index)]
    return node
