"""Sending a subscription's deliveries: oldest first, one at a time, each retried with
exponential back-off until it succeeds or runs out of attempts; a later delivery never
overtakes an earlier one that is waiting for its retry (one shopper's changes stay in order).

Runs in a Celery worker (``tasks``); nothing here is called from a refresh or a checkout."""

from __future__ import annotations

import datetime as dt
import json
import logging
from contextlib import contextmanager

from django.db import connection
from django.utils import timezone
from graphql_relay import to_global_id

from ..conf import app_settings
from . import signing
from .models import MembershipDelivery, MembershipSubscription
from .transport import AppUnavailable, Response, get_host

logger = logging.getLogger(__name__)

LOCK_SENDING = 0x5E67  # advisory lock class id: one sender per subscription


def body_of(delivery: MembershipDelivery, sent_at: dt.datetime) -> bytes:
    """The JSON document POSTed (README, "Membership events")."""
    return json.dumps({
        "event": signing.EVENT,
        "deliveryId": to_global_id("SegmentMembershipDelivery", str(delivery.pk)),
        "subscriptionId": to_global_id("SegmentSubscription", str(delivery.subscription_id)),
        "attempt": delivery.attempts + 1,
        "sentAt": sent_at.isoformat(),
        "changes": delivery.changes,
    }, separators=(",", ":")).encode()


def headers_for(subscription: MembershipSubscription, delivery: MembershipDelivery,
                body: bytes, now: dt.datetime) -> dict[str, str]:
    headers = {"Content-Type": "application/json", signing.EVENT_HEADER: signing.EVENT,
               signing.DELIVERY_HEADER: to_global_id("SegmentMembershipDelivery",
                                                     str(delivery.pk))}
    if subscription.app_id is not None:
        return {**headers, **get_host().app_headers(subscription.app_id, body)}
    return {**headers, **signing.hmac_headers(subscription.secret, int(now.timestamp()), body)}


def attempt(delivery: MembershipDelivery, now: dt.datetime) -> Response:
    """POST the delivery once and record the outcome (status, attempts, code, error)."""
    subscription = delivery.subscription
    body = body_of(delivery, now)
    try:
        headers = headers_for(subscription, delivery, body, now)
    except AppUnavailable as exc:
        response = Response(None, str(exc))
    else:
        response = get_host().post(subscription.target_url, body, headers,
                                   app_settings.WEBHOOK_TIMEOUT)
    record(delivery, response, now)
    return response


def record(delivery: MembershipDelivery, response: Response, now: dt.datetime) -> None:
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.response_code = response.status_code
    if response.ok:
        delivery.status, delivery.delivered_at, delivery.last_error = (
            MembershipDelivery.Status.SUCCESS, now, "")
    else:
        delivery.last_error = response.error or "failed"
        if delivery.attempts >= app_settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.status = MembershipDelivery.Status.FAILED
            logger.warning("delivery %s to %s failed for good after %s attempts: %s",
                           delivery.pk, delivery.subscription.target_url, delivery.attempts,
                           delivery.last_error)
        else:
            delivery.next_attempt_at = now + retry_delay(delivery.attempts)
    delivery.save(update_fields=["attempts", "last_attempt_at", "response_code", "status",
                                 "delivered_at", "last_error", "next_attempt_at"])


def retry_delay(attempts: int) -> dt.timedelta:
    """After the n-th failed attempt: base, 2 x base, 4 x base, ..."""
    return dt.timedelta(seconds=app_settings.WEBHOOK_RETRY_SECONDS * 2 ** (attempts - 1))


def send_due(subscription_id: int, now=None) -> dt.datetime | None:
    """Send the subscription's pending deliveries in order while they are due. Returns when
    the first one still pending may be tried again (None: none left, or another worker is
    sending for this subscription). ``now``: a callable giving the time (tests)."""
    clock = now or timezone.now
    with _sending(subscription_id) as mine:
        if not mine:
            return None
        while True:
            delivery = (MembershipDelivery.objects.select_related("subscription")
                        .filter(subscription_id=subscription_id,
                                subscription__is_active=True,
                                status=MembershipDelivery.Status.PENDING)
                        .order_by("pk").first())
            if delivery is None:
                return None
            at = clock()
            if delivery.next_attempt_at > at:
                return delivery.next_attempt_at
            attempt(delivery, at)
            if delivery.status == MembershipDelivery.Status.PENDING:
                return delivery.next_attempt_at


@contextmanager
def _sending(subscription_id: int):
    """A session-level advisory lock (no transaction stays open during a POST)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_SENDING, subscription_id])
        mine = cursor.fetchone()[0]
    try:
        yield mine
    finally:
        if mine:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)",
                               [LOCK_SENDING, subscription_id])
