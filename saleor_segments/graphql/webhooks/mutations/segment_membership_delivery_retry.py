import graphene

from ....webhooks.models import MembershipDelivery
from ....webhooks.services import SubscriptionError, redeliver
from ...core.errors import InputError
from ...core.ids import decode
from ..types import SegmentMembershipDelivery, SegmentSubscriptionError
from .base import REQUIRES, SubscriptionMutation, api_errors, queue_sending


class SegmentMembershipDeliveryRetry(SubscriptionMutation):
    errors = graphene.List(graphene.NonNull(SegmentSubscriptionError), required=True)
    delivery = graphene.Field(SegmentMembershipDelivery)

    class Arguments:
        id = graphene.ID(required=True, description="A failed delivery.")

    class Meta:
        description = ("Send a failed delivery again (the same changes; attempts from zero; "
                       f"it goes before the subscription's later deliveries). {REQUIRES}")

    @classmethod
    def perform(cls, info, id):
        delivery = MembershipDelivery.objects.filter(
            pk=decode(id, "SegmentMembershipDelivery", "id")).first()
        if delivery is None:
            raise InputError.one("id", "not_found", "The delivery does not exist.")
        try:
            delivery = redeliver(delivery)
        except SubscriptionError as exc:
            raise api_errors(exc) from None
        queue_sending(delivery.subscription_id)
        return cls(delivery=delivery, errors=[])
