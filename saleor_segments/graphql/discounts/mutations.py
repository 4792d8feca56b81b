"""Limiting an order promotion or a voucher to segments (MANAGE_DISCOUNTS)."""

import graphene

from ...targeting import discounts
from ..context import Permission
from ..core.errors import SegmentError
from ..core.mutations import BaseMutation
from ..segments.mutations import segment_pks
from ..segments.types import Segment
from .resolvers import promotion_id, restricted_segments, voucher_id


class DiscountSegmentsSet(BaseMutation):
    permissions = (Permission.MANAGE_DISCOUNTS,)
    error_type = SegmentError
    errors = graphene.List(graphene.NonNull(SegmentError), required=True)
    restricted = graphene.Boolean(description="False when the list was empty (no limit).")
    segments = graphene.List(graphene.NonNull(Segment))
    kind = ""

    class Meta:
        abstract = True

    @classmethod
    def set(cls, discount_id, segments):
        ids = segment_pks(segments)
        discounts.set_segments(cls.kind, discount_id, ids)
        return cls(restricted=bool(ids), segments=restricted_segments(cls.kind, discount_id)
                   or [], errors=[])


SEGMENTS_ARGUMENT = "Its members only; [] lifts the limit."


class PromotionSegmentsSet(DiscountSegmentsSet):
    kind = discounts.PROMOTION

    class Arguments:
        promotion = graphene.ID(required=True, description="A Saleor order promotion.")
        segments = graphene.List(graphene.NonNull(graphene.ID), required=True,
                                 description=SEGMENTS_ARGUMENT)

    class Meta:
        description = "Limit a order promotion to members of segments. Requires MANAGE_DISCOUNTS."

    @classmethod
    def perform(cls, info, promotion, segments):
        return cls.set(promotion_id(promotion), segments)


class VoucherSegmentsSet(DiscountSegmentsSet):
    kind = discounts.VOUCHER

    class Arguments:
        voucher = graphene.ID(required=True, description="A Saleor voucher.")
        segments = graphene.List(graphene.NonNull(graphene.ID), required=True,
                                 description=SEGMENTS_ARGUMENT)

    class Meta:
        description = "Limit a voucher to members of segments. Requires MANAGE_DISCOUNTS."

    @classmethod
    def perform(cls, info, voucher, segments):
        return cls.set(voucher_id(voucher), segments)
