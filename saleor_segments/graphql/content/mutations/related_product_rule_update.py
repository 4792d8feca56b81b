import graphene

from .... import models
from ...core.errors import SegmentError
from ..inputs import RelatedProductRuleInput
from ..types import RelatedProductRule
from .base import REQUIRES, ContentMutation, get_object
from .related_product_rule_create import save


class RelatedProductRuleUpdate(ContentMutation):
    error_type = SegmentError
    errors = graphene.List(graphene.NonNull(SegmentError), required=True)
    rule = graphene.Field(RelatedProductRule)

    class Arguments:
        id = graphene.ID(required=True)
        input = RelatedProductRuleInput(required=True)

    class Meta:
        description = f"Change a related product rule. {REQUIRES}"

    @classmethod
    def perform(cls, info, id, input):
        rule = get_object(models.RelatedProductRule, "RelatedProductRule", id,
                          "related product rule")
        return cls(rule=save(rule, input), errors=[])
