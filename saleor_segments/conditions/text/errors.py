"""Errors of the text form: a condition error with the line and column it points at."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import ConditionError, ConditionValidationError


@dataclass(frozen=True)
class TextError(ConditionError):
    line: int | None = None  # 1-based; None: the problem has no place in the text
    column: int | None = None  # 1-based
    expected: tuple[str, ...] = ()  # what the parser would have taken there (syntax errors)

    def __str__(self) -> str:
        where = f"line {self.line}, column {self.column}: " if self.line else ""
        return where + super().__str__()


class ConditionTextError(ConditionValidationError):
    """Every problem found in a text form (syntax, unknown names, or the tree's validation),
    each with its line and column; nothing was saved."""

    errors: list[TextError]  # type: ignore[assignment]  # narrower than the base's

    def __init__(self, errors: Sequence[TextError]) -> None:
        super().__init__(list[ConditionError](errors))

    def as_json_data(self) -> list[dict]:
        return [{"path": e.path, "message": e.message, "code": e.code.value, "line": e.line,
                 "column": e.column, "expected": list(e.expected)} for e in self.errors]


class UnprintableError(ValueError):
    """A tree (a third-party kind's) that the text form cannot express."""
