from .segment_membership_delivery_retry import SegmentMembershipDeliveryRetry
from .segment_subscription_create import SegmentSubscriptionCreate
from .segment_subscription_delete import SegmentSubscriptionDelete
from .segment_subscription_update import SegmentSubscriptionUpdate

__all__ = ["SegmentMembershipDeliveryRetry", "SegmentSubscriptionCreate",
           "SegmentSubscriptionDelete", "SegmentSubscriptionUpdate"]
