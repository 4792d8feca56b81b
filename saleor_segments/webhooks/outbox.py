"""The membership log as the outbox of membership events.

Every log row carries the id of the transaction that wrote it (``txid``, migration 0009). A
reader takes the changes of transactions that have all ended (ids below the oldest transaction
of this database still running, ``horizon``): none of them can still appear, so advancing a
position past them loses nothing, whichever the writer (refresh, a shop event's re-check, a
deletion) and however long its transaction. ``DeliveredChange`` (unique per subscription and
change) puts a change into one delivery at most; a change is held back while an earlier change
of the same shopper is not readable yet (its transaction is at or above the horizon), so one
shopper's changes are delivered in the order they happened.

Nothing here runs inside a refresh: Celery's dispatch task calls ``collect`` after commit.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from graphql_relay import to_global_id

from ..conf import app_settings
from ..membership.tables import LOG_TABLE, SEGMENT_TABLE
from .models import DeliveredChange, MembershipDelivery, MembershipSubscription

DELIVERED_TABLE = DeliveredChange._meta.db_table
MAX_BATCHES_PER_RUN = 20  # a run stops after this many deliveries; the task runs again

# log rows for a subscription, of ended transactions, not delivered yet, none of them after a
# change of the same shopper that is still in a running transaction
_FRESH = f"""
    WITH late AS (
        SELECT customer_id, checkout_token, min(id) AS first_id FROM {LOG_TABLE}
        WHERE txid >= %(horizon)s::text::xid8 GROUP BY customer_id, checkout_token)
    SELECT l.id, l.action, l.at, l.reason, l.segment_id, s.name, l.customer_id, u.email,
           l.checkout_token
    FROM {LOG_TABLE} l
    LEFT JOIN {SEGMENT_TABLE} s ON s.id = l.segment_id
    LEFT JOIN account_user u ON u.id = l.customer_id
    WHERE l.txid >= %(position)s::text::xid8 AND l.txid < %(horizon)s::text::xid8
      AND l.segment_id = ANY(%(segments)s) AND l.action = ANY(%(actions)s)
      AND NOT EXISTS (SELECT 1 FROM {DELIVERED_TABLE} d
                      WHERE d.subscription_id = %(subscription)s AND d.change_id = l.id)
      AND NOT EXISTS (SELECT 1 FROM late
                      WHERE late.customer_id IS NOT DISTINCT FROM l.customer_id
                        AND late.checkout_token IS NOT DISTINCT FROM l.checkout_token
                        AND late.first_id < l.id)
    ORDER BY l.id
    LIMIT %(limit)s"""

# the lowest transaction id of the subscription's changes still to deliver (held back ones,
# or those past this run's limit); the position moves up to it, or to the horizon
_NEXT_POSITION = f"""
    SELECT COALESCE(min(l.txid::text::bigint), %(horizon)s) FROM {LOG_TABLE} l
    WHERE l.txid >= %(position)s::text::xid8 AND l.txid < %(horizon)s::text::xid8
      AND l.segment_id = ANY(%(segments)s) AND l.action = ANY(%(actions)s)
      AND NOT EXISTS (SELECT 1 FROM {DELIVERED_TABLE} d
                      WHERE d.subscription_id = %(subscription)s AND d.change_id = l.id)"""

# delivered changes below the position can never be read again: their marks can go
_FORGET = f"""
    DELETE FROM {DELIVERED_TABLE} d USING {LOG_TABLE} l
    WHERE d.subscription_id = %(subscription)s AND l.id = d.change_id
      AND l.txid < %(position)s::text::xid8"""


def horizon(include_own: bool = False) -> int:
    """A transaction id below which every transaction of this database has ended: the
    oldest one still running here (others' databases don't count), else the next to come.
    The caller's own transaction counts only with ``include_own`` (where a reader starts: a
    subscription created in a transaction that also writes changes hears of them); a reader
    writes no changes itself, so it reads past its own transaction (given an id here).

    The next id is taken first (the snapshot's xmax, which follows the last *completed*
    transaction, or past our own id): a transaction given an id after that has a higher one,
    and one given an id before is either still running (then seen below) or has ended."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint, "
                       "pg_current_xact_id()::text::bigint")
        xmax, own = cursor.fetchone()
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # pg_stat_activity as of now
        cursor.execute(_RUNNING)
        running = [row[0] for row in cursor.fetchall()]
    next_id = max(xmax, own + 1)
    # the 32-bit ids of running transactions as 64-bit ones: each is within 2**31 below
    oldest = min([next_id, *(next_id - (next_id - xid) % 2**32 for xid in running)])
    return min(oldest, own) if include_own else oldest


_RUNNING = """
    SELECT backend_xid::text::bigint FROM pg_stat_activity
    WHERE datname = current_database() AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()
    UNION ALL
    SELECT transaction::text::bigint FROM pg_prepared_xacts WHERE database = current_database()"""


def collect(subscription_id: int, batch_size: int | None = None) -> list[MembershipDelivery]:
    """Put the subscription's new changes into pending deliveries (oldest first, at most
    ``batch_size`` changes each). Returns them; [] when another run holds the subscription."""
    batch_size = batch_size or app_settings.WEBHOOK_BATCH_SIZE
    with transaction.atomic():
        subscription = (MembershipSubscription.objects.select_for_update(skip_locked=True)
                        .filter(pk=subscription_id, is_active=True).first())
        if subscription is None:
            return []
        params = {"subscription": subscription.pk, "position": subscription.position,
                  "horizon": horizon(), "actions": subscription.actions,
                  "segments": [int(pk) for pk in subscription.segment_ids],
                  "limit": batch_size * MAX_BATCHES_PER_RUN}
        with connection.cursor() as cursor:
            cursor.execute(_FRESH, params)
            rows = cursor.fetchall()
        deliveries = [_deliver(subscription, rows[i:i + batch_size])
                      for i in range(0, len(rows), batch_size)]
        with connection.cursor() as cursor:
            cursor.execute(_NEXT_POSITION, params)
            position = cursor.fetchone()[0]
            if position != subscription.position:
                cursor.execute(_FORGET, {**params, "position": position})
                MembershipSubscription.objects.filter(pk=subscription.pk).update(
                    position=position)
    return deliveries


def _deliver(subscription: MembershipSubscription, rows: list[tuple]) -> MembershipDelivery:
    delivery = MembershipDelivery.objects.create(
        subscription=subscription, changes=[change_json(*row) for row in rows],
        change_ids=[row[0] for row in rows])
    with connection.cursor() as cursor:  # one statement (the ORM's bulk insert is slower)
        cursor.execute(f"INSERT INTO {DELIVERED_TABLE} (subscription_id, change_id, delivery_id) "
                       "SELECT %s, unnest(%s::bigint[]), %s",
                       [subscription.pk, delivery.change_ids, delivery.pk])
    return delivery


def change_json(change_id: int, action: str, at: dt.datetime, reason: str, segment_id: int,
                segment_name: str | None, customer_id: int | None, email: str | None,
                checkout_token) -> dict:
    """One change of the payload (README, "Membership events"); ids as Saleor's API spells
    them (Relay global ids)."""
    return {
        "id": change_id,
        "action": action,
        "at": at.isoformat(),
        "reason": reason,
        "segment": {"id": to_global_id("Segment", str(segment_id)), "name": segment_name},
        "customer": None if customer_id is None else {
            "id": to_global_id("User", str(customer_id)), "email": email},
        "checkoutToken": None if checkout_token is None else str(checkout_token),
    }
