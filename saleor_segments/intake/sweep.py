"""The safety net for checkouts removed behind the plugin's back.

Inside Saleor, deleted checkouts move their shoppers as it happens (``host/signals.py``). Rows
removed any other way (raw SQL, a restore, the plugin switched off at the time, a worker that
died between the deletion and its re-check) would leave visitors and customers in cart
segments for good, since cart conditions have no time window. The periodic sweep ends the
memberships of visitors whose checkout is gone and refreshes the segments whose conditions
depend on checkouts. It reads only the engine's tables and Saleor's, so it works standalone."""

import logging

from django.db import connection, transaction

from ..conditions import Event
from ..membership.definitions import compiled, subjects_of
from ..membership.refresh import refresh_segment
from ..membership.tables import LOG_TABLE
from ..models import Segment

logger = logging.getLogger(__name__)


def end_gone_visitors(tokens=None, reason: str = "sweep:checkout_deleted") -> int:
    """End (and log) every membership, active segment or not, of visitors whose checkout no
    longer exists: those among ``tokens``, or all of them. Returns the memberships ended."""
    only = "AND m.checkout_token = ANY(%s::uuid[])" if tokens is not None else ""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"WITH gone AS (DELETE FROM saleor_segments_visitormembership m "
            f"WHERE NOT EXISTS (SELECT 1 FROM checkout_checkout c "
            f"WHERE c.token = m.checkout_token) {only} "
            f"RETURNING segment_id, checkout_token, definition_version) "
            f"INSERT INTO {LOG_TABLE} (segment_id, checkout_token, action, at, reason, "
            f"definition_version) SELECT segment_id, checkout_token, 'left', now(), %s, "
            f"definition_version FROM gone",
            ([[str(t) for t in tokens]] if tokens is not None else []) + [reason])
        return cursor.rowcount


def checkout_segments() -> list[Segment]:
    """Active segments whose result can change when a checkout disappears."""
    found = []
    for segment in Segment.objects.filter(status=Segment.Status.ACTIVE).order_by("pk"):
        try:
            if any(Event.CHECKOUT in compiled(segment, subject)[2]
                   for subject in subjects_of(segment)):
                found.append(segment)
        except Exception:  # noqa: BLE001  (a stored tree that no longer compiles: skip it)
            logger.exception("segment %s could not be compiled for the sweep", segment.pk)
    return found


def sweep() -> dict:
    """End gone visitors' memberships, then refresh each checkout-dependent segment (a failure
    of one is logged; the others go on). Returns what changed."""
    ended = end_gone_visitors()
    joined = left = 0
    refreshed, failed = [], []
    for segment in checkout_segments():
        try:
            result = refresh_segment(segment.pk, reason="sweep:checkouts")
        except Exception:  # noqa: BLE001
            logger.exception("sweep: refresh of segment %s failed", segment.pk)
            failed.append(segment.pk)
            continue
        refreshed.append(segment.pk)
        joined, left = joined + result.joined, left + result.left
    return {"visitors_ended": ended, "segments": refreshed, "failed": failed,
            "joined": joined, "left": left}
