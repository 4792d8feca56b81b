import graphene

from .... import models
from ....conditions import ConditionValidationError
from ....targeting import related
from ...core.errors import SegmentError
from ..inputs import RelatedProductRuleInput
from ..types import RelatedProductRule
from .base import REQUIRES, ContentMutation, api_errors, channel_of_input, segments_of_input


class RelatedProductRuleCreate(ContentMutation):
    error_type = SegmentError
    errors = graphene.List(graphene.NonNull(SegmentError), required=True)
    rule = graphene.Field(RelatedProductRule)

    class Arguments:
        input = RelatedProductRuleInput(required=True)

    class Meta:
        description = f"Create a related product rule. {REQUIRES}"

    @classmethod
    def perform(cls, info, input):
        return cls(rule=save(models.RelatedProductRule(), input), errors=[])


def save(rule: models.RelatedProductRule, data) -> models.RelatedProductRule:
    """Decode the input's IDs, then let the service check and save (shared by update)."""
    channel_id = channel_of_input(data)
    segment_ids = segments_of_input(data)
    try:
        return related.save_rule(
            rule, segment_ids, applies_to=data.get("applies_to"), show=data.get("show"),
            channel_id=channel_id,
            **{key: data.get(key) for key in ("name", "status", "priority", "limit")})
    except ConditionValidationError as exc:
        raise api_errors(exc) from None
