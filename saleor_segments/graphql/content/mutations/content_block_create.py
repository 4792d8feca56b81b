import graphene

from .... import models
from ....conditions import ConditionValidationError
from ....targeting import content
from ...core.errors import SegmentError
from ..inputs import ContentBlockInput
from ..types import ContentBlock
from .base import REQUIRES, ContentMutation, api_errors, page_of_input, segments_of_input


class ContentBlockCreate(ContentMutation):
    error_type = SegmentError
    errors = graphene.List(graphene.NonNull(SegmentError), required=True)
    content_block = graphene.Field(ContentBlock)

    class Arguments:
        input = ContentBlockInput(required=True)

    class Meta:
        description = f"Create a content block. {REQUIRES}"

    @classmethod
    def perform(cls, info, input):
        return cls(content_block=save(models.ContentBlock(), input), errors=[])


def save(block: models.ContentBlock, data) -> models.ContentBlock:
    """Decode the input's IDs, then let the service check and save (shared by update)."""
    page_id = page_of_input(data)
    segment_ids = segments_of_input(data)
    try:
        return content.save_block(
            block, segment_ids, page_id=page_id,
            **{key: data.get(key) for key in ("name", "placement", "content", "priority",
                                              "starts_at", "ends_at", "status")})
    except ConditionValidationError as exc:
        raise api_errors(exc) from None
