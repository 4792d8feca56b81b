"""Optional: a customer's active segments mirrored into a private-metadata key of the customer
(``SEGMENTS_MEMBERSHIP_METADATA_KEY``, off by default), so apps and Saleor's own webhook
payloads that carry private metadata see them.

The value is a JSON list of the segments' global IDs, as a string (Saleor's metadata values
are strings), e.g. ``'["U2VnbWVudDox"]'``. Customers whose membership changed since the last
run (read from the membership log like a subscription) get their current segments written, in
one statement; the dispatch task runs it, never a refresh or a checkout."""

from __future__ import annotations

from django.db import connection, transaction

from ..conf import app_settings
from ..membership.tables import CUSTOMERS, LOG_TABLE, SEGMENT_TABLE
from .models import OutboxPosition
from .outbox import horizon

READER = "private-metadata"

_MIRROR = f"""
    WITH changed AS (
        SELECT DISTINCT customer_id FROM {LOG_TABLE}
        WHERE txid >= %(position)s::text::xid8 AND txid < %(horizon)s::text::xid8
          AND customer_id IS NOT NULL)
    UPDATE account_user u SET private_metadata = COALESCE(u.private_metadata, '{{}}'::jsonb)
        || jsonb_build_object(%(key)s::text, (
            SELECT COALESCE(jsonb_agg(encode(convert_to('Segment:' || m.segment_id, 'UTF8'),
                                             'base64') ORDER BY m.segment_id), '[]'::jsonb)
            FROM {CUSTOMERS.table} m
            JOIN {SEGMENT_TABLE} s ON s.id = m.segment_id AND s.status = 'active'
            WHERE m.customer_id = u.id)::text)
    FROM changed WHERE u.id = changed.customer_id"""


def mirror_changed() -> int:
    """Write the key of customers whose membership changed since the last run (their number;
    0 when the setting is off, nothing read)."""
    key = app_settings.MEMBERSHIP_METADATA_KEY
    if not key:
        return 0
    with transaction.atomic():
        reader, _ = OutboxPosition.objects.get_or_create(
            reader=READER, defaults={"position": horizon(include_own=True)})
        reader = OutboxPosition.objects.select_for_update(skip_locked=True).filter(
            pk=reader.pk).first()
        if reader is None:  # another run is at it
            return 0
        now = horizon()
        with connection.cursor() as cursor:
            cursor.execute(_MIRROR, {"position": reader.position, "horizon": now, "key": key})
            written = cursor.rowcount
        OutboxPosition.objects.filter(pk=reader.pk).update(position=now)
    return written
