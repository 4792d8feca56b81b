"""Refresh: recompute a segment's members in one set-based statement that writes only the
difference (who joined, who left) and logs it, in one transaction. A refresh that fails leaves
the previous members in place; two refreshes of a segment never interleave (advisory lock).

A full refresh evaluates every shopper. An incremental one (``incremental=True``) evaluates
only the shoppers whose data changed or whose time windows crossed a bound since the
segment's last refresh (``changes.plan`` names them, or says why a segment needs the full
evaluation), with the same compiled conditions, and diffs only those shoppers' membership."""

import datetime as dt
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from ..conditions.sql import Fragment, join, sql, value
from ..conf import app_settings
from ..evaluation.compile import SUBJECTS, bind
from ..models import Segment
from . import changes
from .definitions import compiled, subjects_of
from .events import memberships_changed
from .tables import BY_SUBJECT, LOCK_SEGMENT, LOG_TABLE, MembershipTable

CANDIDATES = "candidates"  # in an incremental refresh's statement: (segment_id, shopper, loc)
# it re-evaluates, loc being the shopper row's ctid

logger = logging.getLogger(__name__)


@dataclass
class RefreshResult:
    segment_ids: list[int]  # the segments refreshed
    joined: int = 0
    left: int = 0
    seconds: float = 0.0
    skipped: bool = False
    failed: dict[int, str] = field(default_factory=dict)  # combined: segment -> its error
    # segment -> how it was evaluated: "full: <why>" or "incremental: <n> shoppers"
    modes: dict[int, str] = field(default_factory=dict)


def refresh_segment(segment: Segment | int, now: dt.datetime | None = None,
                    reason: str = "refresh", incremental: bool = False) -> RefreshResult:
    """Recompute one segment's members now ("Refresh Segment Data": fully, unless
    ``incremental``)."""
    pk = segment if isinstance(segment, int) else segment.pk
    return _refresh(Segment.objects.filter(pk=pk), now, reason, incremental, expect=[pk])


def refresh_channel(channel_id: int, now: dt.datetime | None = None,
                    reason: str = "refresh", incremental: bool = False,
                    full: Any = ()) -> RefreshResult:
    """Combined refresh of every active segment of a channel, one statement per shopper kind
    (``incremental``: each as ``changes.plan`` says, except the ids in ``full``, evaluated
    fully). A segment whose evaluation fails is logged and left as it was; the others go on."""
    segments = Segment.objects.filter(channel_id=channel_id, status=Segment.Status.ACTIVE)
    return _refresh(segments, now, reason, incremental, isolate=True, full=frozenset(full))


def _refresh(queryset: Any, now: dt.datetime | None, reason: str, incremental: bool,
             expect: Any = None, isolate: bool = False,
             full: frozenset[int] = frozenset()) -> RefreshResult:
    started = time.perf_counter()
    now = now or timezone.now()
    with transaction.atomic():
        ids = sorted(queryset.values_list("pk", flat=True))
        if expect and not ids:
            raise Segment.DoesNotExist(f"segment {expect[0]} does not exist")
        lock_segments(ids)
        # changes stamped from here on are left to the next refresh; those before, seen now
        clock = _clock()
        # read definitions under the lock: a concurrent save can't slip between compile and write
        segments = [s for s in Segment.objects.filter(pk__in=ids).order_by("pk") if s.is_active]
        result = RefreshResult([], skipped=not segments)
        run = _Run(now, reason, clock, incremental, result.modes, full)
        if isolate:
            segments = _refresh_isolated(segments, run, result)
        else:
            result.joined, result.left = _refresh_together(segments, run)
        result.segment_ids = [s.pk for s in segments]
        mark_refreshed(segments, now, clock, result.modes)
    result.seconds = time.perf_counter() - started
    logger.info("refreshed segments %s: +%s -%s in %.2fs (%s)", result.segment_ids,
                result.joined, result.left, result.seconds, result.modes)
    return result


@dataclass
class _Run:
    """What every segment of one refresh shares."""

    now: dt.datetime
    reason: str
    clock: dt.datetime
    incremental: bool
    modes: dict[int, str]
    full: frozenset[int] = frozenset()  # evaluated fully even in an incremental refresh


def _clock() -> dt.datetime:
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        return cursor.fetchone()[0]


def _refresh_together(segments: list, run: _Run) -> tuple[int, int]:
    """Per kind of shopper, one statement for the segments evaluated incrementally, then one
    for those evaluated fully (with those that turned out to have too many candidates):
    (joined, left)."""
    plans = {s.pk: _plan(s, run) for s in segments}
    joined = left = 0
    for subject, table in BY_SUBJECT.items():
        mine = [s for s in segments if subject in subjects_of(s)]
        partial = _with_candidates([s for s in mine if plans[s.pk].full is None], subject,
                                   plans)
        if partial:
            counts = _apply_incremental(partial, table, run, plans)
            joined, left = joined + counts[0], left + counts[1]
        whole = [s for s in mine if plans[s.pk].full]
        if whole:
            counts = _apply(whole, table, run.now, run.reason, evaluated(whole, table, run.now))
            joined, left = joined + counts[0], left + counts[1]
    for pk, plan in plans.items():
        run.modes[pk] = f"full: {plan.full}" if plan.full else (
            f"incremental: {plan.found} shoppers")
    return joined, left


def _plan(segment: Segment, run: _Run) -> changes.Plan:
    if not run.incremental:
        return changes.Plan(segment, full="requested")
    if segment.pk in run.full:
        return changes.Plan(segment, full="data many shoppers share changed (catalogue, "
                                          "customer types or attributes)")
    return changes.plan(segment, run.now, run.clock)


def _with_candidates(segments: list, subject: str, plans: dict) -> list:
    """The segments with at least one candidate (a first row of their sources, not a count:
    with nothing changed, a refresh costs these empty range scans)."""
    if not segments:
        return []
    parts = [sql("SELECT {}::bigint FROM (SELECT 1 FROM ({}) c(shopper, loc) "
                 "WHERE c.shopper IS NOT NULL LIMIT 1) found", value(s.pk),
                 plans[s.pk].candidates[subject]) for s in segments]
    with connection.cursor() as cursor:
        cursor.execute(*join(" UNION ALL ", parts))
        found = {pk for (pk,) in cursor.fetchall()}
    return [s for s in segments if s.pk in found]


def _apply_incremental(segments: list, table: MembershipTable, run: _Run,
                       plans: dict) -> tuple[int, int]:
    """Re-evaluate and diff each segment's candidates, all in one statement: the candidates
    are found (with their shopper row's location where a source read that row), counted,
    and evaluated by a TID scan of those locations (candidates found elsewhere are located by
    their key first). A location is only valid in the statement that read it, hence one
    statement. A segment with more candidates than ``INCREMENTAL_MAX_SHARE`` of all shoppers
    is left out here and evaluated fully (its plan says so)."""
    subject = table.subject
    relation, _alias, key = SUBJECTS[subject]
    share = app_settings.INCREMENTAL_MAX_SHARE
    total = limit = 0.0
    cap = Fragment("")
    if share < 1:
        with connection.cursor() as cursor:
            total = _shoppers(cursor, subject)
        limit = max(share * total, 1)
        cap = sql(" WHERE n.n <= {}", value(limit))
    found = join(" UNION ALL ", [
        sql("SELECT {}::bigint AS segment_id, c.shopper::{cast} AS shopper, c.loc "
            "FROM ({}) c(shopper, loc) WHERE c.shopper IS NOT NULL", value(s.pk),
            plans[s.pk].candidates[subject], cast=table.cast) for s in segments])
    staged = sql(
        "found AS MATERIALIZED (SELECT segment_id, shopper, max(loc) AS loc FROM ({}) k "
        "GROUP BY segment_id, shopper), "
        "counted AS MATERIALIZED (SELECT segment_id, count(*) AS n FROM found "
        "GROUP BY segment_id), "
        "{candidates} AS MATERIALIZED (SELECT f.segment_id, f.shopper, COALESCE(f.loc, "
        "(SELECT r.ctid FROM {relation} r WHERE r.{key} = f.shopper)) AS loc "
        "FROM found f JOIN counted n ON n.segment_id = f.segment_id{}), ",
        found, cap, candidates=CANDIDATES, relation=relation, key=key)
    diff = _diff(segments, table, run.now, run.reason, located(segments, table, run.now),
                 staged=staged)
    for pk, n in diff.counted.items():
        plans[pk].found += n
        if share < 1 and n > limit:
            plans[pk].full = f"{n} of about {int(total)} shoppers changed"
    return diff.joined, diff.left


def located(segments: list, table: MembershipTable, now: dt.datetime) -> Fragment:
    """SQL of (segment_id, shopper) rows: which of each segment's candidates (the
    ``CANDIDATES`` of the same statement, with their row's location) match it now. The
    one-shopper form of the conditions, from a TID scan of the candidates' rows: the work
    follows the number of candidates, not the size of the store."""
    parts = []
    for segment in segments:
        sql_, params, _events = compiled(segment, table.subject, single=True, located=True)
        parts.append(sql("SELECT {pk}::bigint AS segment_id, q.shopper FROM ({}) q "
                         "WHERE q.loc = ANY(ARRAY(SELECT k.loc FROM {candidates} k "
                         "WHERE k.segment_id = {pk} AND k.loc IS NOT NULL))",
                         Fragment(sql_, tuple(bind(list(params), now))),
                         pk=str(int(segment.pk)), candidates=CANDIDATES))
    return join(" UNION ALL ", parts)


def _shoppers(cursor: Any, subject: str) -> float:
    """About how many shoppers of a kind there are (the planner's estimate; counted when
    small or never analysed)."""
    relation = SUBJECTS[subject][0]
    cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [relation])
    estimate = cursor.fetchone()[0]
    if estimate < 10_000:
        cursor.execute(f"SELECT count(*) FROM {relation}")
        return cursor.fetchone()[0]
    return estimate


def _refresh_isolated(segments: list, run: _Run, result: RefreshResult) -> list:
    """All segments in one statement; when that fails, each alone, so that one bad segment
    (a tree saved before validation refused it, an error in its SQL) fails by itself: it is
    logged, its members stay, the others are refreshed. Returns the refreshed segments."""
    segments = [s for s in segments if _compiles(s, result)]
    try:
        with transaction.atomic():
            result.joined, result.left = _refresh_together(segments, run)
        return segments
    except Exception:  # noqa: BLE001  (find the segment at fault below)
        logger.warning("combined refresh of segments %s failed; refreshing them one by one",
                       [s.pk for s in segments])
    done = []
    for segment in segments:
        try:
            with transaction.atomic():
                joined, left = _refresh_together([segment], run)
        except Exception as exc:  # noqa: BLE001
            _failed(result, segment, exc)
        else:
            done.append(segment)
            result.joined, result.left = result.joined + joined, result.left + left
    return done


def _compiles(segment: Segment, result: RefreshResult) -> bool:
    try:
        for subject in subjects_of(segment):
            compiled(segment, subject)
    except Exception as exc:  # noqa: BLE001
        _failed(result, segment, exc)
        return False
    return True


def _failed(result: RefreshResult, segment: Segment, exc: Exception) -> None:
    result.failed[segment.pk] = f"{type(exc).__name__}: {exc}"[:2000]
    logger.error("segment %s (%s) could not be refreshed, its members stay as they were: %s",
                 segment.pk, segment.name, result.failed[segment.pk])


def lock_segments(ids: list[int]) -> None:
    """Take the segments' refresh locks (transaction-scoped) and give the refresh memory."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_advisory_xact_lock({LOCK_SEGMENT}, id) "
                       "FROM unnest(%s::int[]) AS id ORDER BY id", [ids])
    use_refresh_memory()


def use_refresh_memory() -> None:
    """Hashed subplans and hash joins over all customers need memory, not disk. No JIT: a
    refresh's statements are planned afresh each time and run for a second or so, which JIT
    compilation (100-150 ms per statement at 1M customers) lengthens rather than shortens."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('work_mem', %s, true), set_config('jit', 'off', true)",
                       [app_settings.REFRESH_WORK_MEM])


def mark_refreshed(segments: list, now: dt.datetime, clock: dt.datetime,
                   modes: dict[int, str]) -> None:
    """Record the time the segments were evaluated at (``now``), the clock the changes they
    saw go up to, how each was evaluated (``modes``: segment -> "full: <why>" or
    "incremental: <n> shoppers") and, for those evaluated fully, their last full evaluation."""
    Segment.objects.filter(pk__in=[s.pk for s in segments]).update(last_refreshed_at=now,
                                                                     changes_seen_at=clock)
    by_mode: dict[str, list[int]] = {}
    for segment in segments:
        if segment.pk in modes:
            by_mode.setdefault(modes[segment.pk][:200], []).append(segment.pk)
    for mode, pks in by_mode.items():
        extra = {"last_full_refresh_at": clock} if mode.startswith("full") else {}
        Segment.objects.filter(pk__in=pks).update(last_refresh_mode=mode, **extra)
    for segment in segments:
        if segment.refreshed_version != segment.definition_version:
            Segment.objects.filter(pk=segment.pk).update(
                refreshed_version=segment.definition_version)


def evaluated(segments: list, table: MembershipTable, now: dt.datetime) -> Fragment:
    """SQL of (segment_id, shopper) rows: who matches each segment now."""
    parts = []
    for segment in segments:
        sql_, params, _events = compiled(segment, table.subject)
        parts.append(sql("SELECT {}::bigint AS segment_id, q.shopper FROM ({}) q",
                         str(int(segment.pk)), Fragment(sql_, tuple(bind(list(params), now)))))
    return join(" UNION ALL ", parts)


@dataclass
class _Diff:
    joined: int
    left: int
    counted: dict[int, int]  # segment -> its candidates (an incremental refresh)


def _apply(segments: list, table: MembershipTable, now: dt.datetime, reason: str,
           matched: Fragment, settled_since: dt.datetime | None = None) -> tuple[int, int]:
    """Diff ``matched`` (SQL of segment_id, shopper rows) against the stored members of
    ``segments``, write and log the difference: (joined, left). With ``settled_since``,
    shoppers whose membership an event changed after that time are left as they are (their
    news is newer)."""
    diff = _diff(segments, table, now, reason, matched, settled_since=settled_since)
    return diff.joined, diff.left


def _diff(segments: list, table: MembershipTable, now: dt.datetime, reason: str,
          matched: Fragment, settled_since: dt.datetime | None = None,
          staged: Fragment | None = None) -> _Diff:
    """Diff and write, all set-based (see ``_apply``). With ``staged`` (an incremental
    refresh's common table expressions, the statement starts with them: ``CANDIDATES`` of
    segment_id, shopper and ``counted`` of segment_id, n), only the candidates' membership is
    diffed, and their counts are reported.

    The diff is a FULL JOIN (PostgreSQL can only hash or merge it) kept in a temporary table,
    and the writes run with nested loops off: every step stays linear in the number of rows,
    whatever the (often stale) statistics of the membership table say."""
    versions = join(", ", [sql("({}::bigint, {})", str(int(s.pk)), str(int(s.definition_version)))
                           for s in segments])
    ids = [s.pk for s in segments]
    col, mt = table.column, table.table
    stale = any(s.refreshed_version != s.definition_version for s in segments)
    keep = "OR c.version <> v.version" if stale else ""  # stayers whose version must move
    # the stored membership of each candidate is looked up by the (segment, shopper) index
    # (the fence keeps it a look-up, not a hash of all the segment's members): the cost
    # follows the number of candidates, not the size of the segment
    rows = (f"{CANDIDATES} k CROSS JOIN LATERAL (SELECT y.* FROM {mt} y WHERE y.segment_id = "
            f"k.segment_id AND y.{col} = k.shopper OFFSET 0) x" if staged else f"{mt} x")
    settled = Fragment("")
    if settled_since is not None:
        settled = sql("AND NOT EXISTS (SELECT 1 {log} l WHERE l.segment_id = "
                      "COALESCE(m.segment_id, c.segment_id) AND l.{col} = COALESCE(m.shopper, "
                      "c.shopper) AND l.at > {})", value(settled_since),
                      log=f"FROM {LOG_TABLE}", col=col)
    # an incremental refresh's counts travel as extra rows (no shopper) of the diff table
    counts = (" UNION ALL SELECT segment_id, NULL, NULL, NULL, NULL, n FROM counted"
              if staged else "")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS segments_diff")
        cursor.execute(*sql("""
            CREATE TEMPORARY TABLE segments_diff ON COMMIT DROP AS
            WITH {staged}versions(segment_id, version) AS (VALUES {versions}),
            matched AS NOT MATERIALIZED ({matched}),
            stored AS NOT MATERIALIZED (
                SELECT x.segment_id, x.{col} AS shopper, x.definition_version AS version
                FROM {rows} WHERE x.segment_id = ANY({ids}))
            SELECT COALESCE(m.segment_id, c.segment_id) AS segment_id,
                   COALESCE(m.shopper, c.shopper) AS shopper,
                   m.shopper IS NOT NULL AS now_in, c.shopper IS NOT NULL AS was_in, v.version,
                   NULL::bigint AS counted
            FROM matched m FULL JOIN stored c
              ON c.segment_id = m.segment_id AND c.shopper = m.shopper
            JOIN versions v ON v.segment_id = COALESCE(m.segment_id, c.segment_id)
            WHERE (m.shopper IS NULL OR c.shopper IS NULL {keep}) {settled}{counts}""",
                            staged=staged or Fragment(""), versions=versions, matched=matched,
                            col=col, rows=rows, ids=value(ids), keep=keep, settled=settled,
                            counts=counts))
        found: dict[int, int] = {}
        if staged:
            cursor.execute("DELETE FROM segments_diff WHERE counted IS NOT NULL "
                           "RETURNING segment_id, counted")
            found = dict(cursor.fetchall())
        cursor.execute("ANALYZE segments_diff")
        cursor.execute("SELECT set_config('enable_nestloop', 'off', true)")
        cursor.execute(f"""
            INSERT INTO {mt} (segment_id, {col}, joined_at, definition_version)
            SELECT segment_id, shopper, %s, version FROM segments_diff
            WHERE now_in AND NOT was_in""", [now])
        joined = cursor.rowcount
        cursor.execute(f"""
            DELETE FROM {mt} x USING segments_diff d
            WHERE NOT d.now_in AND x.segment_id = d.segment_id AND x.{col} = d.shopper""")
        left = cursor.rowcount
        if stale:
            cursor.execute(f"""
                UPDATE {mt} x SET definition_version = d.version FROM segments_diff d
                WHERE d.now_in AND d.was_in AND x.segment_id = d.segment_id
                  AND x.{col} = d.shopper""")
        cursor.execute(f"""
            INSERT INTO {LOG_TABLE} (segment_id, {col}, action, at, reason, definition_version)
            SELECT segment_id, shopper, CASE WHEN now_in THEN 'joined' ELSE 'left' END, %s, %s,
                   version
            FROM segments_diff WHERE now_in <> was_in""", [now, reason])
        # who changed, told to whoever listens (the discounts expire those shoppers' prices)
        memberships_changed.send(sender=Segment, subject=table.subject, segment_ids=ids,
                                 changed=_changed_shoppers)
        cursor.execute("SELECT set_config('enable_nestloop', 'on', true)")
        cursor.execute("DROP TABLE segments_diff")
    return _Diff(joined, left, found)


def _changed_shoppers(segment_ids: list[int]) -> Fragment:
    """Shoppers whose membership of ``segment_ids`` the running refresh changed (valid inside
    ``_apply``'s transaction, while its diff table exists)."""
    return sql("SELECT shopper FROM segments_diff WHERE now_in <> was_in AND segment_id = "
               "ANY({})", value(list(segment_ids)))
