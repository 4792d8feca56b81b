"""Membership event subscriptions and deliveries (MANAGE_USERS)."""

import graphene

from ...webhooks.models import MembershipSubscription
from ..context import Permission, permission_required
from ..core.connection import paginate_queryset
from ..core.ids import decode
from .mutations.base import get_subscription
from .types import (
    SegmentDeliveryStatusEnum,
    SegmentSubscription,
    SegmentSubscriptionCountableConnection,
    deliveries_page,
)
from .types import SegmentMembershipDeliveryCountableConnection as DeliveryConnection


class SubscriptionQueries(graphene.ObjectType):
    segment_subscription = graphene.Field(
        SegmentSubscription, id=graphene.ID(required=True),
        description="A membership event subscription. Requires MANAGE_USERS.")
    segment_subscriptions = graphene.Field(
        SegmentSubscriptionCountableConnection, first=graphene.Int(), after=graphene.String(),
        description="Membership event subscriptions, oldest first. Requires MANAGE_USERS.")
    segment_membership_deliveries = graphene.Field(
        DeliveryConnection, subscription=graphene.ID(), status=SegmentDeliveryStatusEnum(),
        first=graphene.Int(), after=graphene.String(),
        description="Deliveries of membership events (of one subscription), newest first. "
                    "Requires MANAGE_USERS.")

    @staticmethod
    @permission_required(Permission.MANAGE_USERS)
    def resolve_segment_subscription(_root, info, id):
        return MembershipSubscription.objects.filter(
            pk=decode(id, "SegmentSubscription", "id")).first()

    @staticmethod
    @permission_required(Permission.MANAGE_USERS)
    def resolve_segment_subscriptions(_root, info, first=None, after=None):
        return paginate_queryset(MembershipSubscription.objects.all(),
                                 SegmentSubscriptionCountableConnection, sort_field="created_at",
                                 descending=False, first=first, after=after)

    @staticmethod
    @permission_required(Permission.MANAGE_USERS)
    def resolve_segment_membership_deliveries(_root, info, subscription=None, status=None,
                                              first=None, after=None):
        pk = get_subscription(subscription, "subscription").pk if subscription else None
        return deliveries_page(pk, status, first, after)
