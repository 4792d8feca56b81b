"""The segment query language over GraphQL: text to a tree (segmentConditionsParse) and a tree
to text (segmentConditionsText), for the builder's "Text" tab (MANAGE_USERS)."""

import graphene

from ...conditions import ApplyTo, ConditionValidationError, parse_tree, tree_json
from ...conditions.text import UnprintableError, print_tree
from ...services.conditions_text import conditions_from_text
from ...services.segments import validation_context
from ..context import Permission, permission_required
from ..core.errors import InputError, SegmentError
from ..core.scalars import JSONString
from ..segments.enums import SegmentApplyToEnum
from .types import SegmentConditionsText


class TextQueries(graphene.ObjectType):
    segment_conditions_parse = graphene.Field(
        SegmentConditionsText, text=graphene.String(required=True),
        apply_to=SegmentApplyToEnum(description="Validate for this apply to (default "
                                                "customers)."),
        description="Read a condition tree written in the segment query language (README, "
                    "'Segment query language'): the tree, or every problem with its line and "
                    "column. Nothing is saved. Requires MANAGE_USERS.")
    segment_conditions_text = graphene.Field(
        SegmentConditionsText, conditions=JSONString(required=True),
        apply_to=SegmentApplyToEnum(),
        description="A condition tree (JSON) in the segment query language, or every problem "
                    "with its path. Requires MANAGE_USERS.")

    @staticmethod
    @permission_required(Permission.MANAGE_USERS)
    def resolve_segment_conditions_parse(_root, info, text, apply_to=None):
        try:
            data = conditions_from_text(text, ApplyTo(apply_to or ApplyTo.CUSTOMERS.value))
        except ConditionValidationError as exc:
            return _errors(exc, "text")
        return SegmentConditionsText(conditions=data, text=print_tree(parse_tree(data)),
                                     errors=[])

    @staticmethod
    @permission_required(Permission.MANAGE_USERS)
    def resolve_segment_conditions_text(_root, info, conditions, apply_to=None):
        try:
            tree = parse_tree(conditions, validation_context(
                ApplyTo(apply_to or ApplyTo.CUSTOMERS.value)))
            text = print_tree(tree)
        except ConditionValidationError as exc:
            return _errors(exc, "conditions")
        except UnprintableError as exc:
            return SegmentConditionsText(errors=[SegmentError(
                field="conditions", code="invalid", message=str(exc))])
        return SegmentConditionsText(conditions=tree_json(tree), text=text, errors=[])


def _errors(exc: ConditionValidationError, field: str) -> SegmentConditionsText:
    errors = InputError.from_conditions(exc, field).errors
    return SegmentConditionsText(errors=[SegmentError(**e) for e in errors])
