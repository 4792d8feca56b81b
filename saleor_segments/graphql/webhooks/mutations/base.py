"""What the subscription mutations share: permission, error type, input decoding, queuing."""

import logging

from django.db import transaction

from ....webhooks.models import MembershipSubscription
from ....webhooks.services import SubscriptionError
from ...context import Permission
from ...core.errors import InputError
from ...core.ids import decode
from ...core.mutations import BaseMutation
from ...segments.mutations import segment_pks
from ..types import SegmentSubscriptionError

logger = logging.getLogger(__name__)

REQUIRES = "Requires MANAGE_USERS."


class SubscriptionMutation(BaseMutation):
    permissions = (Permission.MANAGE_USERS,)
    error_type = SegmentSubscriptionError

    class Meta:
        abstract = True


def get_subscription(value, field: str = "id") -> MembershipSubscription:
    found = MembershipSubscription.objects.filter(
        pk=decode(value, "SegmentSubscription", field)).first()
    if found is None:
        raise InputError.one(field, "not_found", "The subscription does not exist.")
    return found


def service_input(data) -> dict:
    """The input as the service's keyword arguments (IDs decoded)."""
    values = {"name": data.get("name"), "target_url": data.get("target_url"),
              "is_active": data.get("is_active")}
    if data.get("segments") is not None:
        values["segment_ids"] = segment_pks(data["segments"])
    if data.get("events") is not None:
        values["actions"] = [getattr(e, "value", e) for e in data["events"]]
    if data.get("app") is not None:
        values["app_id"] = decode(data["app"], "App", "app")
    return values


def api_errors(exc: SubscriptionError) -> InputError:
    return InputError([{"field": p.field, "code": p.code, "message": p.message}
                       for p in exc.problems])


def queue_sending(subscription_id: int) -> None:
    """Send the subscription's due deliveries once this transaction is committed."""
    def publish():
        from ....webhooks.tasks import deliver_membership_events_task

        try:
            deliver_membership_events_task.delay(subscription_id)
        except Exception as exc:  # noqa: BLE001  (the periodic dispatch sends it later)
            logger.warning("membership events: sending not queued (%s)", exc)

    transaction.on_commit(publish)
