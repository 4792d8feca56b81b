"""Wakes the dispatch task once a membership change is committed (connected in apps.py).

Inside the writer's transaction this only checks that someone is subscribed (or the metadata
mirror is on) and registers an on-commit callback: no delivery, no network call, no broker
call before the commit."""

import logging

from django.db import transaction

from ..conf import app_settings

logger = logging.getLogger(__name__)


def wake_dispatch(sender=None, **kwargs) -> None:
    """Receiver of ``memberships_changed`` and ``shopper_checked``."""
    from .models import MembershipSubscription

    if "result" in kwargs and not _changed(kwargs["result"]):  # a re-check, nothing moved
        return
    try:
        with transaction.atomic():  # a savepoint: a failure here leaves the writer's work be
            wanted = bool(app_settings.MEMBERSHIP_METADATA_KEY) or (
                MembershipSubscription.objects.filter(is_active=True).exists())
    except Exception:  # noqa: BLE001  (never break a refresh or a checkout)
        logger.exception("membership events: could not check for subscriptions")
        return
    if wanted:
        transaction.on_commit(_publish)


def _changed(result) -> bool:
    return bool(result is not None and (getattr(result, "joined", None)
                                        or getattr(result, "left", None)))


def _publish() -> None:
    from .tasks import dispatch_membership_events_task

    try:
        dispatch_membership_events_task.delay()
    except Exception as exc:  # noqa: BLE001  (broker down: the beat schedule catches up)
        logger.warning("membership events: dispatch not queued (%s); the periodic run "
                       "will deliver", exc)
