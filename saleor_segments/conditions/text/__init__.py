"""The segment query language: a text form of the condition tree (README, "Segment query
language"). ``parse_text`` reads text into a validated tree, ``print_tree`` writes one."""

from __future__ import annotations

from ..ast import Group, ValidationContext, parse_tree, tree_json
from ..base import Scope
from ..errors import ConditionValidationError
from .errors import ConditionTextError, TextError, UnprintableError
from .grammar import parse_syntax
from .printer import print_tree
from .read import Reading, read

__all__ = ["ConditionTextError", "Reading", "TextError", "UnprintableError", "parse_text",
           "print_tree", "read_text"]


def read_text(text: str, scope: Scope = Scope.SHOPPER, declared: dict | None = None) -> Reading:
    """The tree's JSON, not yet validated, with where each part stands; ConditionTextError
    (syntax, unknown names) with line and column otherwise. ``declared``: types of declared
    customer fields ((source, key) -> type), for those written without ``type:``."""
    return read(parse_syntax(text), scope, declared)


def parse_text(text: str, context: ValidationContext | None = None,
               scope: Scope = Scope.SHOPPER) -> Group:
    """A validated tree, or ConditionTextError with every problem and where it stands."""
    reading = read_text(text, scope, (context.declared_fields if context else None))
    try:
        tree = parse_tree(reading.data, context, scope)
    except ConditionValidationError as exc:
        raise reading.locate(exc) from None
    reading.check_arguments(tree_json(tree))
    return tree
