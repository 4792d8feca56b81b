"""Content blocks and related product rules as the API shows them."""

import graphene

from ..context import Permission, permission_required
from ..core.ids import global_id
from ..core.scalars import JSONString
from ..segments.enums import SegmentStatusEnum
from ..segments.types import Segment


class ContentBlock(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    placement = graphene.String(required=True)
    content = JSONString()
    page_id = graphene.ID(description="A Saleor page to show instead of (or with) content.")
    priority = graphene.Int(required=True)
    starts_at = graphene.DateTime()
    ends_at = graphene.DateTime()
    status = graphene.Field(SegmentStatusEnum, required=True)
    segments = graphene.List(graphene.NonNull(Segment), required=True,
                             description="Admin only: who sees it (empty: everyone).")

    @staticmethod
    def resolve_id(root, _info):
        return global_id("ContentBlock", root.pk)

    @staticmethod
    def resolve_page_id(root, _info):
        return global_id("Page", root.page_id) if root.page_id else None

    @staticmethod
    @permission_required(Permission.MANAGE_USERS)
    def resolve_segments(root, info):
        return list(root.segments.all())


class RelatedProductRule(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    channel_id = graphene.ID(required=True)
    status = graphene.Field(SegmentStatusEnum, required=True)
    priority = graphene.Int(required=True)
    applies_to = JSONString(required=True, description="Product conditions: the products "
                                                      "the rule applies to.")
    show = JSONString(required=True, description="Product conditions: the products to show.")
    limit = graphene.Int(required=True)
    segments = graphene.List(graphene.NonNull(Segment), required=True)

    @staticmethod
    def resolve_id(root, _info):
        return global_id("RelatedProductRule", root.pk)

    @staticmethod
    def resolve_channel_id(root, _info):
        return global_id("Channel", root.channel_id)

    @staticmethod
    def resolve_segments(root, _info):
        return list(root.segments.all())
