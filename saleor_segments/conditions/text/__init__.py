"""The segment query language: a text form of the condition tree (README, "Segment query
language"). ``parse_text`` reads text into a validated tree, ``print_tree`` writes one."""

from __future__ import annotations

from ..ast import Group, ValidationContext, parse_tree
from ..base import Scope
from ..errors import ConditionValidationError
from .errors import ConditionTextError, TextError, UnprintableError
from .grammar import parse_syntax
from .printer import print_tree
from .read import Position, read

__all__ = ["ConditionTextError", "TextError", "UnprintableError", "locate", "parse_text",
           "print_tree", "read_text"]


def read_text(text: str, scope: Scope = Scope.SHOPPER) -> tuple[dict, dict[str, Position]]:
    """(the tree's JSON, not yet validated; where each JSON path stands in the text), or
    ConditionTextError (syntax, unknown names) with line and column."""
    return read(parse_syntax(text), scope)


def parse_text(text: str, context: ValidationContext | None = None,
               scope: Scope = Scope.SHOPPER) -> Group:
    """A validated tree, or ConditionTextError with every problem and where it stands."""
    data, positions = read_text(text, scope)
    try:
        return parse_tree(data, context, scope)
    except ConditionValidationError as exc:
        raise locate(exc, positions) from None


def locate(exc: ConditionValidationError, positions: dict[str, Position]) -> ConditionTextError:
    """The tree's validation errors, each at the line and column of the part it is about."""
    errors = []
    for error in exc.errors:
        line, column = _nearest(error.path, positions)
        errors.append(TextError(error.path, error.message, error.code, line, column))
    return ConditionTextError(errors)


def _nearest(path: str, positions: dict[str, Position]) -> Position:
    while path not in positions and path:
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:max(cut, 0)]
    return positions.get(path, (1, 1))
