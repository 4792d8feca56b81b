"""Inputs of the content block and related product rule mutations."""

import graphene

from ..core.scalars import JSONString
from ..segments.enums import SegmentStatusEnum


class ContentBlockInput(graphene.InputObjectType):
    name = graphene.String()
    placement = graphene.String()
    content = JSONString()
    page = graphene.ID()
    priority = graphene.Int()
    starts_at = graphene.DateTime()
    ends_at = graphene.DateTime()
    status = graphene.Field(SegmentStatusEnum)
    segments = graphene.List(graphene.NonNull(graphene.ID))


class RelatedProductRuleInput(graphene.InputObjectType):
    name = graphene.String()
    channel = graphene.ID()
    status = graphene.Field(SegmentStatusEnum)
    priority = graphene.Int()
    applies_to = JSONString()
    show = JSONString()
    limit = graphene.Int()
    segments = graphene.List(graphene.NonNull(graphene.ID))
