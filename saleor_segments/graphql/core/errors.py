"""Mutation errors as Saleor returns them: ``errors { field code message }`` with enum codes."""

from __future__ import annotations

import graphene

from ...conditions import ConditionErrorCode, ConditionValidationError

# the engine's validation codes (ConditionErrorCode) plus the API's own
SegmentErrorCode = graphene.Enum("SegmentErrorCode", [
    ("GRAPHQL_ERROR", "graphql_error"), ("NOT_FOUND", "not_found"),
    *((code.name, code.value) for code in ConditionErrorCode)])


class SegmentError(graphene.ObjectType):
    field = graphene.String(description="The input field, or a path into the condition tree "
                                        "such as `conditions[1].conditions[0].value`.")
    code = graphene.Field(SegmentErrorCode, required=True)
    message = graphene.String()
    line = graphene.Int(description="Conditions given as text: the line of the problem "
                                    "(1-based).")
    column = graphene.Int(description="Conditions given as text: the column (1-based).")


class ActivityErrorCode(graphene.Enum):
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    REQUIRED = "required"


class ActivityError(graphene.ObjectType):
    field = graphene.String()
    code = graphene.Field(ActivityErrorCode, required=True)
    message = graphene.String()


class InputError(Exception):
    """Raised inside a mutation; becomes its ``errors`` (nothing was saved)."""

    def __init__(self, errors: list[dict]):
        super().__init__("; ".join(e["message"] for e in errors))
        self.errors = errors

    @classmethod
    def one(cls, field, code, message):
        return cls([{"field": field, "code": code, "message": message}])

    @classmethod
    def from_conditions(cls, exc: ConditionValidationError, field: str = "conditions"):
        """Engine errors; their paths already start at the tree (``conditions[0].value``).
        Errors of a text form (conditions/text) keep their line and column; ``field`` names
        what the whole tree came as."""
        names = {"apply_to": "applyTo", "": field}
        return cls([{"field": names.get(e.path, e.path), "code": e.code.value,
                     "message": e.message,
                     **({"line": e.line, "column": e.column} if hasattr(e, "line") else {})}
                    for e in exc.errors])


def check_lengths(model, values: dict, names: dict | None = None) -> None:
    """InputError when a text value is longer than its model field's ``max_length``;
    ``values`` maps model field names to values, ``names`` them to API field names."""
    names = names or {}
    for name, value in values.items():
        limit = model._meta.get_field(name).max_length
        if isinstance(value, str) and limit is not None and len(value) > limit:
            raise InputError.one(names.get(name, name), "invalid",
                                 f"At most {limit} characters.")
