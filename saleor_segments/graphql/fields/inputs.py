"""Input of segmentCustomerFieldDeclare."""

import graphene

from .types import SegmentCustomerFieldSource, SegmentCustomerFieldType


class SegmentCustomerFieldInput(graphene.InputObjectType):
    source = SegmentCustomerFieldSource(required=True)
    key = graphene.String(required=True, description="The attribute's slug, or the metadata key.")
    type = SegmentCustomerFieldType(required=True, description="How its values are compared.")
    label = graphene.String(description="Shown in the segment editor (default: the attribute's "
                                        "name or the key).")
    choices = graphene.List(graphene.NonNull(graphene.String),
                            description="Text fields: the values offered in the editor.")
