"""Membership events: subscriptions of URLs (or Saleor Apps) to segments' joins and leaves,
and their deliveries (MANAGE_USERS)."""

import graphene

from .mutations import (
    SegmentMembershipDeliveryRetry,
    SegmentSubscriptionCreate,
    SegmentSubscriptionDelete,
    SegmentSubscriptionUpdate,
)
from .queries import SubscriptionQueries

__all__ = ["SubscriptionMutations", "SubscriptionQueries"]


class SubscriptionMutations(graphene.ObjectType):
    segment_subscription_create = SegmentSubscriptionCreate.Field()
    segment_subscription_update = SegmentSubscriptionUpdate.Field()
    segment_subscription_delete = SegmentSubscriptionDelete.Field()
    segment_membership_delivery_retry = SegmentMembershipDeliveryRetry.Field()
