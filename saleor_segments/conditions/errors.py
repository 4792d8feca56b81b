"""Validation errors that point into the condition tree."""

from dataclasses import dataclass
from enum import Enum


class ConditionErrorCode(Enum):
    REQUIRED = "required"
    INVALID = "invalid"
    UNKNOWN_KIND = "unknown_kind"
    NOT_ALLOWED_HERE = "not_allowed_here"
    NOT_ALLOWED_FOR_APPLY_TO = "not_allowed_for_apply_to"
    INVALID_OPERATOR = "invalid_operator"
    INVALID_VALUE = "invalid_value"
    UNKNOWN_FIELD = "unknown_field"
    TOO_DEEP = "too_deep"
    TOO_LARGE = "too_large"
    CYCLE = "cycle"
    UNSUPPORTED_VERSION = "unsupported_version"
    SYNTAX = "syntax"  # the text form (conditions/text) could not be read


@dataclass(frozen=True)
class ConditionError:
    path: str  # dotted/indexed path into the JSON tree, e.g. "conditions[1].value"
    message: str
    code: ConditionErrorCode = ConditionErrorCode.INVALID

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ConditionValidationError(ValueError):
    """Every problem found in a tree; nothing was saved."""

    def __init__(self, errors: list[ConditionError]):
        self.errors = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors))

    def as_json_data(self) -> list[dict]:
        return [{"path": e.path, "message": e.message, "code": e.code.value} for e in self.errors]


def join_path(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key
