"""The segments a promotion or voucher is limited to, and a dry run of a limit."""

import graphene

from ...targeting import discounts
from ..context import Permission, permission_required
from ..core.errors import InputError
from ..segments.mutations import segment_pks
from ..segments.types import Segment
from .resolvers import promotion_id, restricted_segments, voucher_id
from .types import DiscountSegmentDryRun


class DiscountQueries(graphene.ObjectType):
    promotion_segments = graphene.List(
        graphene.NonNull(Segment), promotion=graphene.ID(required=True),
        description="The segments an order promotion is limited to (null: no limit). "
                    "Requires MANAGE_DISCOUNTS.")
    voucher_segments = graphene.List(
        graphene.NonNull(Segment), voucher=graphene.ID(required=True),
        description="The segments a voucher is limited to (null: no limit). "
                    "Requires MANAGE_DISCOUNTS.")
    discount_segment_dry_run = graphene.Field(
        DiscountSegmentDryRun, promotion=graphene.ID(), voucher=graphene.ID(),
        segments=graphene.List(graphene.NonNull(graphene.ID), description=(
            "Count as if limited to these segments (empty: no limit), without saving.")),
        description="How many customers a limited promotion or voucher reaches now, and their "
                    "share of the store's customers. Requires MANAGE_DISCOUNTS.")

    @staticmethod
    @permission_required(Permission.MANAGE_DISCOUNTS)
    def resolve_promotion_segments(_root, info, promotion):
        return restricted_segments(discounts.PROMOTION, promotion_id(promotion))

    @staticmethod
    @permission_required(Permission.MANAGE_DISCOUNTS)
    def resolve_voucher_segments(_root, info, voucher):
        return restricted_segments(discounts.VOUCHER, voucher_id(voucher))

    @staticmethod
    @permission_required(Permission.MANAGE_DISCOUNTS)
    def resolve_discount_segment_dry_run(_root, info, promotion=None, voucher=None,
                                         segments=None):
        if (promotion is None) == (voucher is None):
            raise InputError.one("promotion", "required", "Give a promotion or a voucher.")
        choice = discounts.SAVED if segments is None else segment_pks(segments)
        if promotion is not None:
            result = discounts.dry_run(discounts.PROMOTION, promotion_id(promotion), choice)
        else:
            result = discounts.dry_run(discounts.VOUCHER, voucher_id(voucher), choice)
        return DiscountSegmentDryRun(restricted=result.restricted, members=result.members,
                                     eligible_customers=result.eligible_customers,
                                     customers=result.customers, share=result.share)
