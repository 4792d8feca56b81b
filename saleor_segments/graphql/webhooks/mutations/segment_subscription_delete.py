import graphene

from ....webhooks.services import delete_subscription
from ..types import SegmentSubscription, SegmentSubscriptionError
from .base import REQUIRES, SubscriptionMutation, get_subscription


class SegmentSubscriptionDelete(SubscriptionMutation):
    errors = graphene.List(graphene.NonNull(SegmentSubscriptionError), required=True)
    segment_subscription = graphene.Field(SegmentSubscription)

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        description = f"Delete a membership event subscription and its deliveries. {REQUIRES}"

    @classmethod
    def perform(cls, info, id):
        subscription = get_subscription(id)
        pk = subscription.pk
        delete_subscription(subscription)
        subscription.pk = pk  # the payload still shows the ID
        return cls(segment_subscription=subscription, errors=[])
