"""Re-check one shopper against the active segments whose conditions a kind of event can
change (the "real-time check"): one statement evaluates them all and writes and logs only the
difference (check_statement), sent in one round trip with the locks. On a connection that is
kept it is prepared on the server once; on one closed at the end of its request (Django's
``CONN_MAX_AGE`` 0) it is made of the event's segments only and not prepared. Its commit waits
for the disk like any other: joins and leaves are logged, and the log feeds the webhooks and
the incremental refresh.

Segments that fail at run time are found one by one (each in a savepoint, the rest checked),
then kept out of the prepared statement and checked on their own until their definitions
change."""

import datetime as dt
import logging
import sys
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

import psycopg
from django.db import connection, transaction
from django.utils import timezone

from ..conditions import Event
from ..conditions.sql import TRUE, Fragment, join, sql, value
from ..models import Segment
from .check_statement import STAMP, Statement, array_text, check_query, statement
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


# the active segments, re-read when one changes; "broken": those that failed at run time (kept
# out of the prepared statement: a statement that fails is prepared again on every check)
_ACTIVE: dict = {"stamp": None, "segments": [], "relevant": {}, "broken": set()}


def _load_active(stamp: Any) -> list:
    segments = list(Segment.objects.filter(status=Segment.Status.ACTIVE).order_by("pk"))
    _ACTIVE.update(stamp=stamp, segments=segments, relevant={}, broken=set())
    return segments


def _relevant(segments: list, subject: str, event: Event | None, channel_id: int | None,
              failed: dict) -> list:
    """The segments to check (those ``event`` can change; every one without an event); the
    ones whose stored tree cannot be compiled go to ``failed``."""
    found, bad = _applicable(segments, subject, event, channel_id)
    for segment, exc in bad:
        _failed(failed, segment, exc)
    return found


def _applicable(segments: list, subject: str, event: Event | None,
                channel_id: int | None) -> tuple[list, list]:
    """(segments to check, (segment, error) for those that cannot be compiled); kept while the
    active list stays the same."""
    key = (subject, event, channel_id)
    cached = segments is _ACTIVE["segments"]
    if cached and key in _ACTIVE["relevant"]:
        return _ACTIVE["relevant"][key]
    kinds = {"visitors_and_customers", "customers" if subject == "customer" else "visitors"}
    found, bad = [], []
    for s in segments:
        if s.apply_to not in kinds or (channel_id is not None and s.channel_id != channel_id):
            continue
        try:
            events = compiled(s, subject, single=True)[2]
        except Exception as exc:  # noqa: BLE001  (a tree saved before validation refused it)
            bad.append((s, exc))
            continue
        if event is None or event in events:
            found.append(s)
    if cached:
        _ACTIVE["relevant"][key] = found, bad
    return found, bad


def _failed(failed: dict, segment: Segment, exc: Exception) -> None:
    failed[segment.pk] = f"{type(exc).__name__}: {exc}"[:2000]
    logger.error("segment %s (%s) could not be checked, the shopper's membership of it stays: "
                 "%s", segment.pk, segment.name, failed[segment.pk])


class _CombinedFailed(Exception):
    """The combined check failed (a bad segment, a lost prepared statement); nothing of it
    stays (its implicit transaction or its savepoint is rolled back)."""


def _check(subject: str, shopper: Any, event: Event | None, channel_id: int | None,
           now: dt.datetime | None, reason: str) -> CheckResult:
    now = now or timezone.now()
    for attempt in (1, 2):
        try:
            result = _check_combined(subject, shopper, event, channel_id, now, reason)
            break
        except _CombinedFailed as failure:
            lost = isinstance(failure.__cause__, psycopg.errors.InvalidSqlStatementName)
            if not (lost and attempt == 1):
                logger.warning("the combined check of %s %s failed, checking its segments one "
                               "by one: %s", subject, shopper, failure.__cause__)
                return _check_one_by_one(subject, shopper, event, channel_id, now, reason)
            _forget_prepared(connection.connection)
    if _ACTIVE["broken"] & set(result.checked):
        alone = _check_one_by_one(subject, shopper, event, channel_id, now, reason,
                                  only=_ACTIVE["broken"])
        result.joined, result.left = (sorted(result.joined + alone.joined),
                                      sorted(result.left + alone.left))
        result.failed.update(alone.failed)
    return result


def _forget_prepared(raw: psycopg.Connection) -> None:
    """The server lost the statements the driver prepared (a pooler reset the session): the
    driver forgets them too when it sees DEALLOCATE ALL, and prepares again on next use."""
    _run(raw, [Fragment("DEALLOCATE ALL")])


# planner settings for the check statement (one shopper: index look-ups, no JIT, one generic
# plan), set for its planning and execution; inside a caller's transaction, put back after
_SETTINGS = {"jit": "off", "enable_bitmapscan": "off", "plan_cache_mode": "force_generic_plan"}
_SAVED = "saleor_segments.saved_settings"
_SAVE_AND_SET = sql(
    "set_config({saved}, concat_ws(',', {before}), true), {set} FROM (SELECT {read} OFFSET 0) "
    "before",  # OFFSET 0: read before they are set
    saved=value(_SAVED), before=join(", ", [f"before.s{i}" for i in range(len(_SETTINGS))]),
    set=join(", ", [sql("set_config({}, {}, true)", value(k), value(v))
                    for k, v in _SETTINGS.items()]),
    read=join(", ", [sql("current_setting({}) AS s{}", value(k), str(i))
                     for i, k in enumerate(_SETTINGS)]))
_RESTORE = sql("SELECT {}", join(", ", [
    sql("set_config({}, split_part(current_setting({}), ',', {}), true)", value(k),
        value(_SAVED), str(i)) for i, k in enumerate(_SETTINGS, start=1)]))
_SAVEPOINT = "saleor_segments_check"


def _prepares() -> bool:
    """Whether the check statement is prepared on the server: only on a connection that is
    kept (``CONN_MAX_AGE`` > 0 or None: Celery workers, a host keeping its web connections).
    A connection closed at the end of its request (``CONN_MAX_AGE`` 0, Saleor's default) would
    plan the statement of every segment for one check: there it runs unprepared, made of only
    the segments the event can change."""
    return connection.settings_dict.get("CONN_MAX_AGE") != 0


def _check_combined(subject: str, shopper: Any, event: Event | None, channel_id: int | None,
                    now: dt.datetime, reason: str) -> CheckResult:
    """One round trip: lock the shopper (and the checked segments against a refresh), then
    evaluate and write the difference, in a transaction of its own (the pipeline's implicit
    one) or in a savepoint of the caller's (Saleor's atomic blocks), whose settings are put
    back. Again, after re-reading the definitions, when they changed meanwhile."""
    connection.ensure_connection()
    raw = connection.connection
    own, prepare = raw.autocommit, _prepares()
    stamp, segments = _ACTIVE["stamp"], _ACTIVE["segments"]
    while True:
        failed: dict = {}
        relevant = _relevant(segments, subject, event, channel_id, failed)
        ids, combined, found = _plan(segments, subject, event, channel_id, raw, prepare)
        steps: list = [] if own else [Fragment(f"SAVEPOINT {_SAVEPOINT}")]
        answer = len(steps) + 1  # the step whose first row starts with the stamp
        if found:
            steps += [_lock(subject, shopper, ids, _SAVE_AND_SET),
                      (found, found.params(shopper, now, combined, stamp or "", reason))]
            steps += [] if own else [_RESTORE]
        else:
            answer -= 1
            steps += [_lock(subject, shopper, ids, sql("({}) AS stamp", STAMP), first=True)]
        steps += [] if own else [Fragment(f"RELEASE SAVEPOINT {_SAVEPOINT}")]
        try:
            row = _run(raw, steps, prepare)[answer][0]
        except psycopg.Error as exc:
            if not own:
                _undo(raw)
            raise _CombinedFailed from exc
        if row[0] == stamp:
            break
        stamp, segments = row[0], _load_active(row[0])
    result = CheckResult(checked=list(ids), failed=failed)
    if found:  # written as found here (the statement made the same comparison)
        hits = dict(zip(found.segments, row[1], strict=True))
        _compare(result, [s for s in relevant if s.pk in combined], hits, set(row[2]))
    return result


def _plan(segments: list, subject: str, event: Event | None, channel_id: int | None,
          raw: psycopg.Connection, prepare: bool) -> tuple[list[int], set[int], Statement | None]:
    """(ids of the segments to check, those of them the statement checks, the statement: to be
    prepared, every segment the event can change in any channel but the broken; else only the
    relevant ones); kept while the active list stays."""
    key = ("plan", subject, event, channel_id, prepare)
    cached = segments is _ACTIVE["segments"]
    if cached and key in _ACTIVE["relevant"]:
        return _ACTIVE["relevant"][key]
    broken = _ACTIVE["broken"] if cached else set()
    relevant = _applicable(segments, subject, event, channel_id)[0]
    combined = {s.pk for s in relevant if s.pk not in broken}
    # prepared: one statement per kind of shopper and of event, holding only the segments the
    # event can change (a segment a statement holds costs its executor's start and end even
    # when not run; the channel only chooses what runs); unprepared: planned for this check
    # alone, so only what it runs
    made_of = _applicable(segments, subject, event, None)[0] if prepare else relevant
    found = statement([s for s in made_of if s.pk not in broken], subject,
                      raw) if combined else None
    plan = [s.pk for s in relevant], combined, found
    if cached:
        _ACTIVE["relevant"][key] = plan
    return plan


def _lock(subject: str, shopper: Any, ids: list[int], rest: Fragment,
          first: bool = False) -> Fragment:
    """Lock the shopper, share-lock the segments; ``rest``: more of the select list (first
    with ``first``), and FROM."""
    locks = sql("pg_advisory_xact_lock({shopper_lock}, hashtext({})), "
                "(SELECT count(pg_advisory_xact_lock_shared({segment_lock}, id)) "
                "FROM unnest({}::int[]) AS id)",
                value(f"{subject}:{shopper}"), value(array_text(ids)),
                shopper_lock=str(LOCK_SHOPPER),
                segment_lock=str(LOCK_SEGMENT))
    return sql("SELECT {}, {}", rest, locks) if first else sql("SELECT {}, {}", locks, rest)


def _undo(raw: psycopg.Connection) -> None:
    try:
        _run(raw, [Fragment(f"ROLLBACK TO SAVEPOINT {_SAVEPOINT}"),
                   Fragment(f"RELEASE SAVEPOINT {_SAVEPOINT}")])
    except psycopg.Error:  # the connection is gone, and the transaction with it
        logger.debug("could not roll the check back", exc_info=True)


_NEVER_BY_COUNT = sys.maxsize  # prepare only what is asked to be (prepare=True)
# statements a connection keeps (the driver deallocates the least used beyond): the check's
# per kind of shopper and of event (eight in Saleor: a customer's six, a visitor's two; the
# one of fifty segments takes about 3 MB on the server, an event's takes its share of it),
# and the small ones taking the locks and reading the definitions' stamp
_KEEP_PREPARED = 12


def _run(raw: psycopg.Connection, statements: list, prepare: bool = True) -> list:
    """Run ``statements`` (fragments, or (Statement, params)) in one round trip (a pipeline: in
    autocommit mode, one implicit transaction); the rows of each (None for commands). With
    ``prepare``, the statements with parameters are prepared on the server.

    Django's connections prepare nothing (``prepare_threshold`` None); it is lifted while the
    check runs, so the driver prepares the check statement and remembers it."""
    threshold, kept = raw.prepare_threshold, raw.prepared_max
    if prepare:
        raw.prepare_threshold = _NEVER_BY_COUNT
        raw.prepared_max = min(kept or _KEEP_PREPARED, _KEEP_PREPARED)
    cursors = []
    together = len(statements) > 1 and psycopg.Pipeline.is_supported()
    try:
        with raw.pipeline() if together else nullcontext():
            for part in statements:
                if isinstance(part, Fragment):  # the locks and settings: prepared too
                    cursor: psycopg.Cursor = psycopg.Cursor(raw)
                    cursor.execute(part.sql, list(part.params) if part.params else None,
                                   prepare=prepare and bool(part.params))
                else:
                    cursor = psycopg.RawCursor(raw)
                    cursor.execute(part[0].text, part[1], prepare=prepare)
                cursors.append(cursor)
        return [c.fetchall() if c.description else None for c in cursors]
    finally:
        raw.prepare_threshold, raw.prepared_max = threshold, kept
        for c in cursors:
            c.close()


def _compare(result: CheckResult, relevant: list, hits: dict, current: set) -> None:
    ids = {s.pk for s in relevant}
    matched = {pk for pk in ids if hits.get(pk)}
    current &= ids
    result.joined = sorted(matched - current)
    result.left = sorted(current - matched)


def _check_one_by_one(subject: str, shopper: Any, event: Event | None, channel_id: int | None,
                      now: dt.datetime, reason: str, only: set | None = None) -> CheckResult:
    """The slow path: each segment (of ``only``, or every relevant one) in its own savepoint,
    not prepared; those that fail are logged, left out, and kept out of the prepared statement
    from then on."""
    with transaction.atomic(), connection.cursor() as cursor:
        failed: dict = {}
        if only is None:
            relevant = _relevant(_ACTIVE["segments"], subject, event, channel_id, failed)
        else:  # what cannot be compiled was reported by the combined check
            relevant = [s for s in _applicable(_ACTIVE["segments"], subject, event,
                                               channel_id)[0] if s.pk in only]
        ids = [s.pk for s in relevant]
        cursor.execute(*_lock(subject, shopper, ids, TRUE, first=True))
        result = CheckResult(checked=ids, failed=failed)
        hits, current, done = {}, set(), []
        for segment in relevant:
            try:
                with transaction.atomic():
                    cursor.execute(*check_query([segment], subject, shopper, now, [True]))
                    row = cursor.fetchone()
            except Exception as exc:  # noqa: BLE001
                _failed(failed, segment, exc)
                _ACTIVE["broken"].add(segment.pk)
                _ACTIVE["relevant"].clear()  # plans leave it out from now on
                continue
            done.append(segment)
            hits[segment.pk] = row[0][0]
            current = set(row[1])
        _compare(result, done, hits, current)
        if result.joined or result.left:
            cursor.execute(*_write(BY_SUBJECT[subject], shopper, done, result, now, reason))
    return result


def _write(membership: Any, shopper: Any, segments: list, result: Any, now: dt.datetime,
           reason: str) -> Fragment:
    """Insert joins, delete leaves and log both, in one statement."""
    versions = {s.pk: s.definition_version for s in segments}
    col, mt, cast = membership.column, membership.table, membership.cast
    changes = [(s, "joined") for s in result.joined] + [(s, "left") for s in result.left]
    return Fragment(
        f"WITH joined AS (INSERT INTO {mt} (segment_id, {col}, joined_at, definition_version) "
        f"SELECT s, %s::{cast}, %s, v FROM unnest(%s::bigint[], %s::int[]) AS t(s, v) "
        f"RETURNING 1), "
        f"gone AS (DELETE FROM {mt} WHERE {col} = %s::{cast} AND segment_id = ANY(%s) "
        f"RETURNING 1) "
        f"INSERT INTO {LOG_TABLE} (segment_id, {col}, action, at, reason, definition_version) "
        f"SELECT s, %s::{cast}, a, %s, %s, v FROM unnest(%s::bigint[], %s::text[], %s::int[]) "
        f"AS t(s, a, v)",
        (shopper, now, result.joined, [versions[s] for s in result.joined],
         shopper, result.left,
         shopper, now, reason, [c[0] for c in changes], [c[1] for c in changes],
         [versions[c[0]] for c in changes]))
