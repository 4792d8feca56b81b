"""Celery tasks: thin wrappers over the membership services, safe to retry."""

import functools
import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from ..conditions import Event
from ..conf import app_settings
from ..intake import activity
from ..membership import changes, dbaccess, split
from ..membership.definitions import compiled, subjects_of
from ..membership.refresh import refresh_channel, refresh_segment
from ..models import PendingRefresh, RefreshRun, RefreshRunPart, Segment

logger = logging.getLogger(__name__)


def with_writer(fn):
    """Tasks read and write the primary database (announced to Saleor, when inside it)."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with dbaccess.writer():
            return fn(*args, **kwargs)

    return wrapper


def _summary(result) -> dict:
    return {"segments": result.segment_ids, "joined": result.joined, "left": result.left,
            "seconds": round(result.seconds, 3), "skipped": result.skipped,
            "failed": {str(pk): error for pk, error in result.failed.items()},
            "modes": {str(pk): mode for pk, mode in result.modes.items()}}


# Every task is idempotent: its message is acknowledged only once it has run, and a worker
# process that dies under it (killed, out of memory) hands it back to the queue to be
# delivered again (Celery would otherwise acknowledge it as failed, and the run be lost).
REDELIVERED = {"acks_late": True, "reject_on_worker_lost": True}


class QueueUnavailable(Exception):
    """The broker did not take a refresh's task: the run was recorded as failed."""

    def __init__(self, run: RefreshRun, error: Exception):
        super().__init__(f"The refresh could not be queued: the task broker is unreachable "
                         f"({type(error).__name__}: {error}). Refresh run {run.pk} was "
                         f"recorded as failed; try again when the broker is back.")
        self.run = run


def queue_after_commit(run: RefreshRun, send) -> None:
    """Call ``send`` (which queues the run's tasks) once the run is committed; if the broker
    refuses, the run is failed (no task will ever start it) and QueueUnavailable raised."""
    def publish():
        try:
            send()
        except Exception as exc:  # noqa: BLE001  (kombu's OperationalError, a timeout, ...)
            logger.error("refresh run %s could not be queued: %s", run.pk, exc)
            failed = split.fail(run.pk, f"could not be queued: {type(exc).__name__}: {exc}")
            raise QueueUnavailable(failed, exc) from exc

    transaction.on_commit(publish)


@shared_task(name="saleor_segments.refresh_segment", **REDELIVERED)
@with_writer
def refresh_segment_task(segment_id: int, run_id: int | None = None) -> dict:
    """Recompute one segment ("Refresh Segment Data"). Idempotent. With ``run_id``, the
    outcome is recorded on that RefreshRun (progress for the API)."""
    try:
        result = refresh_segment(segment_id, reason="refresh")
    except Segment.DoesNotExist:
        logger.warning("segment %s vanished before its refresh", segment_id)
        return {"segments": [], "joined": 0, "left": 0, "seconds": 0, "skipped": True}
    except Exception as exc:
        if run_id:
            split.fail(run_id, f"{type(exc).__name__}: {exc}")
        raise
    if run_id:
        split.record(run_id, result)
    return _summary(result)


def request_refresh(segment: Segment, parts: int = 1) -> RefreshRun:
    """Queue a refresh of ``segment`` (split into ``parts`` when more than one) and return
    the run to follow it by."""
    if parts > 1:
        run = split.plan(segment, parts)
        start_parts(run)
        return run
    run = RefreshRun.objects.create(segment=segment, parts=1, evaluated_at=timezone.now(),
                                    definition_version=segment.definition_version)
    queue_after_commit(run, lambda: refresh_segment_task.delay(segment.pk, run.pk))
    return run


@shared_task(name="saleor_segments.refresh_segment_split", **REDELIVERED)
@with_writer
def refresh_segment_split_task(segment_id: int, parts: int | None = None) -> int | None:
    """Split refresh for very large stores: one task per customer-id range, on any number of
    workers; the last part to finish queues the commit. Returns the run id."""
    try:
        run = split.plan(segment_id, parts)
    except Segment.DoesNotExist:
        logger.warning("segment %s vanished before its refresh", segment_id)
        return None
    start_parts(run)
    return run.pk


def start_parts(run: RefreshRun) -> None:
    ids = list(run.part_set.values_list("pk", flat=True))
    queue_after_commit(run, lambda: [refresh_part_task.delay(pk) for pk in ids])


@shared_task(name="saleor_segments.refresh_part", bind=True, max_retries=3, **REDELIVERED)
@with_writer
def refresh_part_task(self, part_id: int) -> dict:
    """Evaluate one part of a split refresh; retried with back-off, then the run fails
    (members unchanged)."""
    try:
        last = split.run_part(part_id)
    except RefreshRunPart.DoesNotExist:
        return {"part": part_id, "skipped": True}  # its segment (and run) were deleted
    except Exception as exc:
        if self.request.retries < self.max_retries:
            raise self.retry(exc=exc, countdown=2 ** self.request.retries) from exc
        for run_id in RefreshRunPart.objects.filter(pk=part_id).values_list("run_id",
                                                                             flat=True):
            split.fail(run_id, f"part {part_id}: {type(exc).__name__}: {exc}")
        raise
    if last:
        run_id = RefreshRunPart.objects.get(pk=part_id).run_id
        transaction.on_commit(lambda: commit_refresh_run_task.delay(run_id))
    return {"part": part_id, "last": last}


@shared_task(name="saleor_segments.commit_refresh_run", **REDELIVERED)
@with_writer
def commit_refresh_run_task(run_id: int) -> dict:
    try:
        run = split.commit(run_id)
    except RefreshRun.DoesNotExist:
        return {"run": run_id, "status": "deleted"}
    return {"run": run.pk, "status": run.status, "joined": run.joined, "left": run.left,
            "error": run.error}


@shared_task(name="saleor_segments.refresh_channel", **REDELIVERED)
@with_writer
def refresh_channel_task(channel_id: int) -> dict:
    """Combined refresh of a channel's active segments (real-time check: No)."""
    return _summary(refresh_channel(channel_id, reason="refresh"))


@shared_task(name="saleor_segments.refresh_all", **REDELIVERED)
@with_writer
def refresh_all_task() -> list[dict]:
    """Full evaluation of every active segment: the daily safety net for changes no event and
    no timestamp showed (rows edited by hand, a catalogue change while the plugin was off)."""
    channels = Segment.objects.filter(status="active").values_list("channel_id", flat=True)
    return [refresh_channel_task(channel) for channel in sorted(set(channels))]


@shared_task(name="saleor_segments.refresh_time_windows", **REDELIVERED)
@with_writer
def refresh_time_windows_task() -> list[dict]:
    """Re-evaluate segments with time windows ("last 30 days") so members age out: each
    incrementally (the shoppers whose dated rows crossed a window's bound, or whose data
    changed, since its last refresh), and fully once its last full evaluation is a day old."""
    results = []
    for segment in Segment.objects.filter(status="active").order_by("pk"):
        if any(Event.TIME in compiled(segment, subject)[2] for subject in subjects_of(segment)):
            try:
                results.append(_summary(refresh_segment(segment.pk, reason="refresh",
                                                        incremental=True)))
            except Segment.DoesNotExist:
                logger.warning("segment %s vanished before its refresh", segment.pk)
    changes.prune()
    return results


@shared_task(name="saleor_segments.sweep_checkouts", **REDELIVERED)
@with_writer
def sweep_checkouts_task() -> dict:
    """Safety net for checkouts removed behind the plugin's back (see ``sweep``)."""
    from ..intake.sweep import sweep

    return sweep()


@shared_task(name="saleor_segments.prune_product_views", **REDELIVERED)
@with_writer
def prune_product_views_task(older_than_days: int | None = None) -> int:
    days = older_than_days or app_settings.VIEW_RETENTION_DAYS
    return activity.prune_views(days)


@shared_task(name="saleor_segments.abandon_stuck_refreshes", **REDELIVERED)
@with_writer
def abandon_stuck_refreshes_task() -> int:
    """Fail split refreshes that stopped making progress; drop old run history."""
    return split.abandon_stuck()


@shared_task(name="saleor_segments.refresh_pending", **REDELIVERED)
@with_writer
def refresh_pending_task() -> list[dict]:
    """Combined refresh of every channel an event marked. A refresh that fails leaves its mark,
    so the next run retries it."""
    results = []
    for channel_id in PendingRefresh.objects.order_by("requested_at").values_list("channel_id",
                                                                               flat=True):
        try:
            with transaction.atomic():
                mark = PendingRefresh.objects.select_for_update().filter(
                    channel_id=channel_id).first()
                if mark is None:
                    continue  # another worker took it
                mark.delete()  # fully, or the marked segments fully and the others
                # only for the shoppers recorded
                results.append(_summary(refresh_channel(
                    channel_id, reason="refresh:events", incremental=not mark.full_refresh,
                    full=mark.full_segments)))
        except Exception:  # noqa: BLE001  (one channel's failure must not stop the others)
            logger.exception("combined refresh of channel %s failed; kept pending", channel_id)
    return results


from ..reports.tasks import delete_expired_exports_task, export_customers_task  # noqa: E402,F401
from ..webhooks.tasks import (  # noqa: E402,F401
    deliver_membership_events_task,
    dispatch_membership_events_task,
    prune_membership_deliveries_task,
)
