"""Split refresh for very large stores: a segment's customers are evaluated in id ranges by
several workers (each part stages its matches), then the run is committed as one change.

Nothing touches membership before the commit, which happens in one transaction under the
segment's refresh lock: a part that fails, a segment edited meanwhile, or staged rows lost in a
crash leave the previous members in place. Every step is idempotent, so tasks may be retried.
A shopper whose membership an event changed after the run started keeps that newer state."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from ..conditions.sql import sql, value
from ..conf import app_settings
from ..evaluation.compile import bind
from ..models import RefreshRun, RefreshRunPart, Segment
from .definitions import compiled, subjects_of
from .refresh import _apply, lock_segments, mark_refreshed, use_refresh_memory
from .tables import BY_SUBJECT

logger = logging.getLogger(__name__)

STAGE = "saleor_segments_refreshstage"


class RefreshError(Exception):
    """A split refresh that could not be committed (the previous members stay)."""


def plan(segment: Segment | int, parts: int | None = None,
         now: dt.datetime | None = None) -> RefreshRun:
    """Create a run: customers cut into ``parts`` id ranges of about equal size (visitors, far
    fewer, form one part of their own). The caller starts one worker task per part."""
    parts = parts or app_settings.REFRESH_PARTS
    if not 1 <= parts <= 256:
        raise ValueError("parts must be between 1 and 256")
    pk = segment if isinstance(segment, int) else segment.pk
    with transaction.atomic():
        segment = cast(Segment, Segment.objects.get(pk=pk))
        run = RefreshRun.objects.create(segment=segment, parts=0,
                                        definition_version=segment.definition_version,
                                        evaluated_at=now or timezone.now())
        ranges: list[tuple[str, int | None, int | None]] = []
        if "customer" in subjects_of(segment):
            ranges += [("customer", lo, hi) for lo, hi in customer_ranges(parts)]
        if "visitor" in subjects_of(segment):
            ranges.append(("visitor", None, None))
        RefreshRunPart.objects.bulk_create(
            RefreshRunPart(run=run, number=n, subject=subject, lo=lo, hi=hi)
            for n, (subject, lo, hi) in enumerate(ranges))
        run.parts = len(ranges)
        run.save(update_fields=["parts"])
    return run


def customer_ranges(parts: int) -> list[tuple[int, int]]:
    """[lo, hi) ranges of customer ids holding about the same number of customers each."""
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT min(id), max(id), percentile_disc(%s::float8[]) WITHIN GROUP (ORDER BY id)
            FROM account_user WHERE NOT is_staff""",
                       [[i / parts for i in range(1, parts)] or [0.5]])
        low, high, cuts = cursor.fetchone()
    if low is None:
        return [(0, 1)]  # no customers: one empty part still commits (everyone leaves)
    bounds = sorted({low, *(cuts if parts > 1 else []), high + 1})
    return list(zip(bounds, bounds[1:]))


def run_part(part_id: int) -> bool:
    """Evaluate one part and stage its matches. True when it was the run's last part to finish
    (the caller then commits). A part of a finished or abandoned run does nothing."""
    with transaction.atomic():
        part = (RefreshRunPart.objects.select_for_update(of=("self",))
                .select_related("run__segment").get(pk=part_id))
        run = part.run
        if run.status != RefreshRun.Status.RUNNING:
            return False
        use_refresh_memory()
        sql, params, _events = compiled(run.segment, part.subject, ranged=part.lo is not None)
        column = BY_SUBJECT[part.subject].column
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {STAGE} WHERE run_id = %s AND part = %s",
                           [run.pk, part.number])
            cursor.execute(f"INSERT INTO {STAGE} (run_id, part, {column}) "
                           f"SELECT %s, %s, q.shopper FROM ({sql}) q",
                           [run.pk, part.number] + bind(list(params), run.evaluated_at,
                                                        (part.lo, part.hi)))
            part.rows = cursor.rowcount
        part.done_at = timezone.now()
        part.save(update_fields=["rows", "done_at"])
    with transaction.atomic():
        run = RefreshRun.objects.select_for_update().get(pk=part.run_id)
        if run.status == RefreshRun.Status.RUNNING and not run.part_set.filter(
                done_at__isnull=True).exists():
            run.status = RefreshRun.Status.COMMITTING
            run.save(update_fields=["status"])
            return True
    return False


def commit(run_id: int, reason: str = "refresh") -> RefreshRun:
    """Apply a run whose parts are all staged, as one change. Idempotent."""
    try:
        with transaction.atomic():
            run = RefreshRun.objects.select_for_update().get(pk=run_id)
            if run.status in (RefreshRun.Status.DONE, RefreshRun.Status.FAILED,
                              RefreshRun.Status.STALE):
                return run
            lock_segments([run.segment_id])
            segment = Segment.objects.get(pk=run.segment_id)
            if not segment.is_active or segment.definition_version != run.definition_version:
                return _finish(run, RefreshRun.Status.STALE,
                               error="the segment was changed or deactivated during the refresh")
            _check_staged(run)
            run.joined = run.left = 0
            for subject in subjects_of(segment):
                table = BY_SUBJECT[subject]
                matched = sql("SELECT {}::bigint AS segment_id, {col} AS shopper FROM {stage} "
                              "WHERE run_id = {} AND {col} IS NOT NULL", str(int(segment.pk)),
                              value(run.pk), col=table.column, stage=STAGE)
                joined, left = _apply([segment], table, run.evaluated_at, reason, matched,
                                      settled_since=run.evaluated_at)
                run.joined += joined
                run.left += left
            mark_refreshed([segment], run.evaluated_at, run.requested_at,
                           {segment.pk: f"full: split refresh ({run.parts} parts)"})
            return _finish(run, RefreshRun.Status.DONE)
    except RefreshError as exc:
        return fail(run_id, str(exc))


def _check_staged(run: RefreshRun) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT part, count(*) FROM {STAGE} WHERE run_id = %s GROUP BY part",
                       [run.pk])
        staged = dict(cursor.fetchall())
    for part in run.part_set.all():
        if part.done_at is None or staged.get(part.number, 0) != part.rows:
            raise RefreshError(f"part {part.number} is missing staged rows "
                               f"({staged.get(part.number, 0)} of {part.rows})")


def fail(run_id: int, error: str) -> RefreshRun:
    """Give a run up: members stay as they were, staged rows go."""
    with transaction.atomic():
        run = RefreshRun.objects.select_for_update().get(pk=run_id)
        if run.status == RefreshRun.Status.DONE:
            return run
        logger.warning("split refresh %s of segment %s failed: %s", run.pk, run.segment_id,
                       error)
        return _finish(run, RefreshRun.Status.FAILED, error=error)


def record(run_id: int, result: Any) -> None:
    """Record a whole (unsplit) refresh's outcome on its run."""
    with transaction.atomic():
        run = RefreshRun.objects.select_for_update().get(pk=run_id)
        run.joined, run.left = result.joined, result.left
        _finish(run, RefreshRun.Status.STALE if result.skipped else RefreshRun.Status.DONE,
                error="the segment is inactive" if result.skipped else "")


def _finish(run: RefreshRun, status: Any, error: str = "") -> RefreshRun:
    """``status``: a RefreshRun.Status."""
    run.status, run.error, run.finished_at = status, error[:2000], timezone.now()
    run.save(update_fields=["status", "error", "finished_at", "joined", "left"])
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {STAGE} WHERE run_id = %s", [run.pk])
    return run


def abandon_stuck(older_than: dt.timedelta = dt.timedelta(hours=6),
                  never_started: dt.timedelta = dt.timedelta(hours=1)) -> int:
    """Fail runs that stopped making progress: no part finished for ``older_than`` (a worker
    lost for good), or nothing ever ran ``never_started`` after the request (its messages
    lost, or queued where no worker listens). Keep the history short."""
    now = timezone.now()
    stuck = list(RefreshRun.objects.filter(status__in=[RefreshRun.Status.RUNNING,
                                                       RefreshRun.Status.COMMITTING])
                 .annotate(progress=Max("part_set__done_at"))
                 .filter(Q(progress__isnull=True, requested_at__lt=now - never_started)
                         | Q(progress__lt=now - older_than))
                 .values_list("pk", "progress"))
    for pk, progress in stuck:
        fail(pk, "no progress: abandoned" if progress else
             "never started (its tasks were lost or no worker took them): abandoned")
    RefreshRun.objects.filter(finished_at__lt=now - dt.timedelta(days=30)).delete()
    return len(stuck)


def run_inline(segment: Segment | int, parts: int | None = None,
               progress: Any = None) -> RefreshRun:
    """A split refresh in this process, part after part (management command, tests)."""
    run = plan(segment, parts)
    try:
        for part in run.part_set.order_by("number"):
            run_part(part.pk)
            if progress:
                progress(part)
    except Exception as exc:
        fail(run.pk, f"{type(exc).__name__}: {exc}")
        raise
    return commit(run.pk)
