"""Order promotions and vouchers limited to segments (MANAGE_DISCOUNTS)."""

import graphene

from .mutations import PromotionSegmentsSet, VoucherSegmentsSet
from .queries import DiscountQueries
from .resolvers import promotion_id, voucher_id  # noqa: F401  (used by reports.audit)

__all__ = ["DiscountMutations", "DiscountQueries"]


class DiscountMutations(graphene.ObjectType):
    promotion_segments_set = PromotionSegmentsSet.Field()
    voucher_segments_set = VoucherSegmentsSet.Field()
