"""The safety net for checkouts removed behind the plugin's back.

Inside Saleor, deleted checkouts move their shoppers as it happens (``host/signals.py``). Rows
removed any other way (raw SQL, a restore, the plugin switched off at the time, a worker that
died between the deletion and its re-check) would leave visitors and customers in cart
segments for good, since cart conditions have no time window. The periodic sweep ends the
memberships of visitors whose checkout is gone and refreshes the segments whose conditions
depend on checkouts. It reads only the engine's tables and Saleor's, so it works standalone."""

import logging

from django.db import transaction

from ..conditions import Event
from ..conditions.sql import sql, value
from ..membership.definitions import compiled, subjects_of
from ..membership.refresh import refresh_segment
from ..membership.tables import VISITORS, end_memberships
from ..models import Segment

logger = logging.getLogger(__name__)


def end_gone_visitors(tokens=None, reason: str = "sweep:checkout_deleted") -> int:
    """End (and log) every membership, active segment or not, of visitors whose checkout no
    longer exists: those among ``tokens``, or all of them. Returns the memberships ended."""
    where = sql("NOT EXISTS (SELECT 1 FROM checkout_checkout c WHERE c.token = m.checkout_token)")
    if tokens is not None:
        where += sql(" AND m.checkout_token = ANY({}::uuid[])", value([str(t) for t in tokens]))
    with transaction.atomic():
        return end_memberships(VISITORS, where, reason)


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
