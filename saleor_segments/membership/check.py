"""Re-check one shopper against the active segments whose conditions a kind of event can
change (the "real-time check"): one query evaluates them all, then only the difference is
written and logged."""

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

import psycopg
from django.db import connection, transaction
from django.utils import timezone

from ..conditions import Event
from ..evaluation.compile import SUBJECTS, bind
from ..models import Segment
from .definitions import compiled
from .tables import BY_SUBJECT, LOCK_SEGMENT, LOCK_SHOPPER, LOG_TABLE

logger = logging.getLogger(__name__)


@dataclass
class CheckResult:
    joined: list[int] = field(default_factory=list)
    left: list[int] = field(default_factory=list)
    checked: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)  # segment -> error (logged, skipped)


def check_customer(customer_id: int, event: Event | None = None, channel_id: int | None = None,
                   now: dt.datetime | None = None, reason: str = "check") -> CheckResult:
    return _check("customer", customer_id, event, channel_id, now, reason)


def check_visitor(checkout_token: Any, event: Event | None = None, channel_id: int | None = None,
                  now: dt.datetime | None = None, reason: str = "check") -> CheckResult:
    return _check("visitor", str(checkout_token), event, channel_id, now, reason)


_STAMP_SQL = ("SELECT count(*), max(updated_at), sum(definition_version), max(id), "
              "string_agg(channel_id || apply_to, ',') FROM saleor_segments_segment "
              "WHERE status = 'active'")
_ACTIVE: dict = {"stamp": None, "segments": []}  # re-read when any active segment changes


def _load_active(stamp: Any) -> list:
    segments = list(Segment.objects.filter(status=Segment.Status.ACTIVE).order_by("pk"))
    _ACTIVE.update(stamp=stamp, segments=segments)
    return segments


def _relevant(segments: list, subject: str, event: Event | None, channel_id: int | None,
              failed: dict) -> list:
    kinds = {"visitors_and_customers", "customers" if subject == "customer" else "visitors"}
    found = []
    for s in segments:
        if s.apply_to not in kinds or (channel_id is not None and s.channel_id != channel_id):
            continue
        try:
            events = compiled(s, subject, single=True)[2]
        except Exception as exc:  # noqa: BLE001  (a tree saved before validation refused it)
            _failed(failed, s, exc)
            continue
        if event is None or event in events:
            found.append(s)
    return found


def _failed(failed: dict, segment: Segment, exc: Exception) -> None:
    failed[segment.pk] = f"{type(exc).__name__}: {exc}"[:2000]
    logger.error("segment %s (%s) could not be checked, the shopper's membership of it stays: "
                 "%s", segment.pk, segment.name, failed[segment.pk])


def _check(subject: str, shopper: Any, event: Event | None, channel_id: int | None,
           now: dt.datetime | None, reason: str) -> CheckResult:
    now = now or timezone.now()
    membership = BY_SUBJECT[subject]
    with transaction.atomic(), connection.cursor() as cursor:
        stamp, segments = _ACTIVE["stamp"], _ACTIVE["segments"]
        while True:  # lock, and check in the same round trip that the cached list is current
            failed: dict = {}
            relevant = _relevant(segments, subject, event, channel_id, failed)
            ids = [s.pk for s in relevant]
            cursor.execute(  # JIT compilation costs more than a one-row query
                f"SELECT set_config('jit', 'off', true), "
                f"set_config('plan_cache_mode', 'force_generic_plan', true), "
                f"pg_advisory_xact_lock({LOCK_SHOPPER}, hashtext(%s)), "
                f"(SELECT count(pg_advisory_xact_lock_shared({LOCK_SEGMENT}, id)) "
                f"FROM unnest(%s::int[]) AS id), stamp.* FROM ({_STAMP_SQL}) stamp",
                [f"{subject}:{shopper}", ids])
            fresh = cursor.fetchone()[4:]
            if fresh == stamp:
                break
            stamp, segments = fresh, _load_active(fresh)
        result = CheckResult(checked=ids, failed=failed)
        if not relevant:
            return result
        try:
            with transaction.atomic():  # a savepoint: one bad segment must not stop the rest
                row = _evaluate(relevant, subject, shopper, now)
        except Exception:  # noqa: BLE001  (find the segment at fault, one by one)
            row, relevant = _evaluate_each(relevant, subject, shopper, now, result.failed)
        matched = {s.pk for s, hit in zip(relevant, row[0] if row else [], strict=False) if hit}
        current = set(row[1]) if row else set()
        ids = [s.pk for s in relevant]
        if row is None:  # the shopper is gone (deleted customer, completed checkout)
            cursor.execute(f"SELECT segment_id FROM {membership.table} WHERE "
                           f"{membership.column} = %s::{membership.cast} AND segment_id = ANY(%s)",
                           [shopper, ids])
            current = {r[0] for r in cursor.fetchall()}
        result.joined = sorted(matched - current)
        result.left = sorted(current - matched)
        if result.joined or result.left:
            _write(cursor, membership, shopper, relevant, result, now, reason)
    return result


def _evaluate(relevant: list, subject: str, shopper: Any, now: dt.datetime) -> Any:
    """(whether the shopper meets each segment, the segments among them it is in), or None
    when the shopper does not exist."""
    table, alias, pk = SUBJECTS[subject]
    membership = BY_SUBJECT[subject]
    columns, params = [], []
    for segment in relevant:
        sql, seg_params, _ = compiled(segment, subject, single=True)
        # the compiled query selects the shopper among all; correlate it to this one row
        columns.append(f"EXISTS ({sql} AND {alias}.{pk} = outer_row.{pk})")
        params += bind(list(seg_params), now)
    return _run_prepared(
        f"SELECT ARRAY[{', '.join(columns)}], ARRAY(SELECT segment_id FROM "
        f"{membership.table} WHERE {membership.column} = outer_row.{pk} AND segment_id = "
        f"ANY(%s)) FROM {table} outer_row WHERE outer_row.{pk} = %s::{membership.cast}",
        params + [[s.pk for s in relevant], shopper])


def _evaluate_each(relevant: list, subject: str, shopper: Any, now: dt.datetime,
                   failed: dict) -> Any:
    """``_evaluate`` segment by segment, each in a savepoint; those that fail are logged and
    left out. Returns (the combined row, the segments evaluated)."""
    hits, current, done, row = [], [], [], None
    for segment in relevant:
        try:
            with transaction.atomic():
                row = _evaluate([segment], subject, shopper, now)
        except Exception as exc:  # noqa: BLE001
            _failed(failed, segment, exc)
            continue
        done.append(segment)
        if row is not None:
            hits += row[0]
            current += row[1]
    return (None if row is None and not hits else [hits, current]), done


def _run_prepared(sql: str, params: list) -> Any:
    """Run as a server-side prepared statement: planning 50 segments' predicates costs ten
    times more than running them for one shopper. Django's own cursors are left untouched."""
    raw = connection.connection
    threshold = raw.prepare_threshold
    if threshold is None:  # psycopg prepares nothing while the connection's threshold is None
        raw.prepare_threshold = 5
    try:
        with psycopg.Cursor(raw) as cursor:
            cursor.execute(sql, params, prepare=True)
            return cursor.fetchone()
    finally:
        raw.prepare_threshold = threshold


def _write(cursor: Any, membership: Any, shopper: Any, segments: list, result: Any,
           now: dt.datetime, reason: str) -> None:
    """Insert joins, delete leaves and log both, in one statement."""
    versions = {s.pk: s.definition_version for s in segments}
    col, mt, cast = membership.column, membership.table, membership.cast
    changes = [(s, "joined") for s in result.joined] + [(s, "left") for s in result.left]
    cursor.execute(
        f"WITH joined AS (INSERT INTO {mt} (segment_id, {col}, joined_at, definition_version) "
        f"SELECT s, %s::{cast}, %s, v FROM unnest(%s::bigint[], %s::int[]) AS t(s, v) "
        f"RETURNING 1), "
        f"gone AS (DELETE FROM {mt} WHERE {col} = %s::{cast} AND segment_id = ANY(%s) "
        f"RETURNING 1) "
        f"INSERT INTO {LOG_TABLE} (segment_id, {col}, action, at, reason, definition_version) "
        f"SELECT s, %s::{cast}, a, %s, %s, v FROM unnest(%s::bigint[], %s::text[], %s::int[]) "
        f"AS t(s, a, v)",
        [shopper, now, result.joined, [versions[s] for s in result.joined],
         shopper, result.left,
         shopper, now, reason, [c[0] for c in changes], [c[1] for c in changes],
         [versions[c[0]] for c in changes]])
