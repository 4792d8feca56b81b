import graphene

from .... import models
from ...core.errors import SegmentError
from ..types import RelatedProductRule
from .base import REQUIRES, ContentMutation, get_object


class RelatedProductRuleDelete(ContentMutation):
    error_type = SegmentError
    errors = graphene.List(graphene.NonNull(SegmentError), required=True)
    rule = graphene.Field(RelatedProductRule)

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        description = f"Delete a related product rule. {REQUIRES}"

    @classmethod
    def perform(cls, info, id):
        rule = get_object(models.RelatedProductRule, "RelatedProductRule", id,
                          "related product rule")
        pk = rule.pk
        rule.delete()
        rule.pk = pk  # the payload still shows the ID
        return cls(rule=rule, errors=[])
