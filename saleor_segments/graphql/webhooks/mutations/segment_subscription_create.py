import graphene

from ....webhooks.services import SubscriptionError, create_subscription
from ..inputs import SegmentSubscriptionCreateInput
from ..types import SegmentSubscription, SegmentSubscriptionError
from .base import REQUIRES, SubscriptionMutation, api_errors, service_input


class SegmentSubscriptionCreate(SubscriptionMutation):
    errors = graphene.List(graphene.NonNull(SegmentSubscriptionError), required=True)
    segment_subscription = graphene.Field(SegmentSubscription)
    secret = graphene.String(description="The HMAC secret of X-Segments-Signature, shown "
                                         "only now (none for an App: Saleor signs).")

    class Arguments:
        input = SegmentSubscriptionCreateInput(required=True)

    class Meta:
        description = ("Subscribe a URL (or a Saleor App) to joins and leaves of segments: "
                       f"signed, batched JSON deliveries. {REQUIRES}")

    @classmethod
    def perform(cls, info, input):
        values = {k: v for k, v in service_input(input).items() if v is not None}
        values.setdefault("segment_ids", [])
        try:
            created = create_subscription(**values)
        except SubscriptionError as exc:
            raise api_errors(exc) from None
        return cls(segment_subscription=created.subscription, secret=created.secret or None,
                   errors=[])
