import graphene

from ....webhooks.services import SubscriptionError, update_subscription
from ..inputs import SegmentSubscriptionUpdateInput
from ..types import SegmentSubscription, SegmentSubscriptionError
from .base import REQUIRES, SubscriptionMutation, api_errors, get_subscription, service_input


class SegmentSubscriptionUpdate(SubscriptionMutation):
    errors = graphene.List(graphene.NonNull(SegmentSubscriptionError), required=True)
    segment_subscription = graphene.Field(SegmentSubscription)
    secret = graphene.String(description="The new secret, when rotateSecret was asked for "
                                         "(shown only now).")

    class Arguments:
        id = graphene.ID(required=True)
        input = SegmentSubscriptionUpdateInput(required=True)

    class Meta:
        description = ("Change a membership event subscription; re-activated, it hears of "
                       f"changes from then on. {REQUIRES}")

    @classmethod
    def perform(cls, info, id, input):
        subscription = get_subscription(id)
        values = service_input(input)
        try:
            updated = update_subscription(subscription,
                                          rotate_secret=bool(input.get("rotate_secret")),
                                          **values)
        except SubscriptionError as exc:
            raise api_errors(exc) from None
        return cls(segment_subscription=updated.subscription, secret=updated.secret or None,
                   errors=[])
