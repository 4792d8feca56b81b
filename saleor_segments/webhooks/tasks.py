"""Celery tasks of membership events (registered with the plugin's other tasks).

``dispatch`` runs after every committed membership change (``receivers``) and once a minute
(the beat schedule: also catches changes whose wake-up was lost); it turns new log rows into
deliveries and asks ``deliver`` to send each subscription's due ones."""

from celery import shared_task
from django.utils import timezone

from ..membership import dbaccess


@shared_task(name="saleor_segments.dispatch_membership_events")
def dispatch_membership_events_task() -> dict:
    from .mirror import mirror_changed
    from .models import MembershipDelivery, MembershipSubscription
    from .outbox import collect

    with dbaccess.writer():
        mirrored = mirror_changed()
        created = sum(len(collect(pk)) for pk in MembershipSubscription.objects.filter(
            is_active=True).values_list("pk", flat=True))
        due = sorted(set(MembershipDelivery.objects.filter(
            status=MembershipDelivery.Status.PENDING, subscription__is_active=True,
            next_attempt_at__lte=timezone.now()).values_list("subscription_id", flat=True)))
    for pk in due:
        deliver_membership_events_task.delay(pk)
    return {"deliveries": created, "subscriptions": due, "mirrored": mirrored}


@shared_task(bind=True, name="saleor_segments.deliver_membership_events", acks_late=True)
def deliver_membership_events_task(self, subscription_id: int) -> str | None:
    """Send a subscription's due deliveries; come back when the next retry is due."""
    from .sending import send_due

    with dbaccess.writer():
        retry_at = send_due(subscription_id)
    if retry_at is not None and not self.request.is_eager:
        self.apply_async((subscription_id,), eta=retry_at)
    return retry_at.isoformat() if retry_at else None


@shared_task(name="saleor_segments.prune_membership_deliveries", acks_late=True)
def prune_membership_deliveries_task(older_than_days: int | None = None) -> int:
    """Daily: forget deliveries older than ``SEGMENTS_DELIVERY_RETENTION_DAYS``."""
    from ..conf import app_settings
    from .services import prune_deliveries

    with dbaccess.writer():
        return prune_deliveries(older_than_days or app_settings.DELIVERY_RETENTION_DAYS)
