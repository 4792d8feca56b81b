import graphene

from .... import models
from ...core.errors import SegmentError
from ..inputs import ContentBlockInput
from ..types import ContentBlock
from .base import REQUIRES, ContentMutation, get_object
from .content_block_create import save


class ContentBlockUpdate(ContentMutation):
    error_type = SegmentError
    errors = graphene.List(graphene.NonNull(SegmentError), required=True)
    content_block = graphene.Field(ContentBlock)

    class Arguments:
        id = graphene.ID(required=True)
        input = ContentBlockInput(required=True)

    class Meta:
        description = f"Change a content block. {REQUIRES}"

    @classmethod
    def perform(cls, info, id, input):
        block = get_object(models.ContentBlock, "ContentBlock", id, "content block")
        return cls(content_block=save(block, input), errors=[])
