import graphene

from .... import models
from ...core.errors import SegmentError
from ..types import ContentBlock
from .base import REQUIRES, ContentMutation, get_object


class ContentBlockDelete(ContentMutation):
    error_type = SegmentError
    errors = graphene.List(graphene.NonNull(SegmentError), required=True)
    content_block = graphene.Field(ContentBlock)

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        description = f"Delete a content block. {REQUIRES}"

    @classmethod
    def perform(cls, info, id):
        block = get_object(models.ContentBlock, "ContentBlock", id, "content block")
        pk = block.pk
        block.delete()
        block.pk = pk  # the payload still shows the ID
        return cls(content_block=block, errors=[])
