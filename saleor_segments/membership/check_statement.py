"""The one-shopper check's statement: every active segment's predicate over one shopper row, and
the writing of what changed, as one statement prepared on the server once per connection and
set of definitions.

Planning fifty segments' predicates costs ten times more than running them for one shopper, and
converting their text and values on every call costs more than the run too. So the statement's
text is made once, its values written in as literals by the driver's client-side binding, only
the shopper, the time, the segments to evaluate (those an event can change; the others are
never run), the stamp of the definitions and the log's reason left as parameters ($1 to $5).
The driver prepares it on first use (``prepare=True`` on a RawCursor: the text is sent as is,
never parsed on the client) and later sends only the parameters; a changed definition is a
changed text, so a new statement. On a connection closed at the end of its request the same
text, made of only the segments an event can change, runs unprepared (check._prepares).

The statement writes only when the active definitions still carry the stamp it was made for
(it reads the stamp itself): a definition changed meanwhile makes it write nothing, and the
caller makes the statement again.
"""

import uuid
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.adapt import Dumper
from psycopg.types.numeric import Int4

from ..conditions.operators import NOW
from ..conditions.sql import Fragment, join, sql, value
from ..evaluation.compile import SUBJECTS, shopper_predicate
from ..evaluation.shopper_rows import shopper_rows
from .definitions import segment_tree
from .tables import BY_SUBJECT, LOG_TABLE, SEGMENT_TABLE

_BUILT_LIMIT = 256

# what the active definitions are now, as one value (a check's statement is made for one)
STAMP = Fragment(f"SELECT concat_ws('|', count(*), max(updated_at), sum(definition_version), "
                 f"max(id), string_agg(channel_id || apply_to, ',' ORDER BY id)) "
                 f"FROM {SEGMENT_TABLE} WHERE status = 'active'")


class _Slot:
    """A parameter of the prepared statement (``$n``) among the values written into its text."""

    def __init__(self, number: int):
        self.number = number


class _SlotDumper(Dumper):
    def dump(self, obj: Any) -> bytes:
        return b"$%d" % obj.number

    quote = dump  # written as is: no quotes, no cast


SHOPPER, AT, WHICH, STAMPED, REASON = (_Slot(n) for n in range(1, 6))


@dataclass(frozen=True)
class Statement:
    text: bytes  # its parameters: $1 shopper, $2 now, $3 which, $4 stamp, $5 reason
    subject: str
    segments: tuple[int, ...]  # segment ids, in the order of the statement's result array

    def params(self, shopper: Any, now: Any, relevant: set[int], stamp: str,
               reason: str) -> list:
        """Typed as the statement's parameters always are (an other type is an other
        prepared statement)."""
        typed = Int4(shopper) if self.subject == "customer" else uuid.UUID(str(shopper))
        return [typed, now, array_text("t" if pk in relevant else "f" for pk in self.segments),
                stamp, reason]


def array_text(items: Any) -> str:
    """An array parameter written as PostgreSQL's array text, cast in the statement: fifty
    times cheaper for the driver to send than a list (about 150 µs a check for two arrays)."""
    return "{" + ",".join(map(str, items)) + "}"


_BUILT: dict = {}


def statement(segments: list, subject: str, raw: psycopg.Connection) -> Statement:
    """The statement checking ``segments`` (active, compilable ones) for one ``subject``: it
    returns one row (the stamp of the active definitions now; which of ``segments`` the shopper
    meets, NULL for those not evaluated; the segments the shopper was in) and, when the stamp
    is the one given, writes and logs the joins and leaves among the evaluated segments."""
    key = (subject, tuple((s.pk, s.definition_version, s.updated_at, s.channel_id, s.apply_to)
                          for s in segments))
    found = _BUILT.get(key)
    if found is None:
        if len(_BUILT) >= _BUILT_LIMIT:
            _BUILT.clear()
        found = _BUILT[key] = _build(segments, subject, raw)
    return found


def check_query(segments: list, subject: str, shopper: Any, now: Any, which: Any) -> Fragment:
    """One row: which of ``segments`` the shopper meets (NULL for those ``which`` leaves out),
    and the segments the shopper is in now. ``now`` replaces NOW in the segments' values."""
    table, alias, pk = SUBJECTS[subject]
    membership = BY_SUBJECT[subject]
    columns = [sql("CASE WHEN run.which[{}] THEN ({}) IS TRUE END", str(i),
                   shopper_predicate(segment_tree(s), s.channel_id, subject, single=True,
                                     own_rows=True))
               for i, s in enumerate(segments, start=1)]
    # the shopper's orders, checkouts, addresses and items: read once, by the segments that
    # run (see shopper_rows); the shopper row is joined, not required: a shopper who is gone
    # meets nothing and leaves; the segments to run: their array read once (OFFSET 0 keeps it
    # from being written back into, and parsed again by, every segment's CASE)
    own = shopper_rows(subject, sql("{}::{}", value(shopper), membership.cast))
    query = sql("{own}SELECT ARRAY[{columns}]::boolean[] AS hits, ARRAY(SELECT m.segment_id "
                "FROM {mt} m WHERE m.{col} = {shopper}::{cast}) AS current "
                "FROM (SELECT {which}::boolean[] AS which OFFSET 0) AS run "
                "LEFT JOIN {table} {a} ON {a}.{pk} = {shopper}::{cast}",
                own=own, columns=join(", ", columns), which=value(which),
                mt=membership.table, col=membership.column,
                cast=membership.cast, shopper=value(shopper), table=table, a=alias, pk=pk)
    return Fragment(query.sql, tuple(now if p is NOW else p for p in query.params))


def _check_and_write(segments: list, subject: str) -> Fragment:
    membership = BY_SUBJECT[subject]
    shopper = sql("{}::{}", value(SHOPPER), membership.cast)
    return sql(
        "WITH r AS MATERIALIZED ({evaluation}), s AS MATERIALIZED ({stamp}), "
        "d AS MATERIALIZED (SELECT t.segment_id, t.version, t.hit FROM r, s, "
        "unnest({ids}::bigint[], {versions}::int[], r.hits) AS t(segment_id, version, hit) "
        "WHERE s.stamp = {stamped} AND t.hit IS NOT NULL "
        "AND t.hit <> (t.segment_id = ANY(r.current))), "
        "joined AS (INSERT INTO {mt} (segment_id, {col}, joined_at, definition_version) "
        "SELECT d.segment_id, {shopper}, {at}, d.version FROM d WHERE d.hit), "
        "gone AS (DELETE FROM {mt} m USING d WHERE m.{col} = {shopper} "
        "AND m.segment_id = d.segment_id AND NOT d.hit), "
        "logged AS (INSERT INTO {log} (segment_id, {col}, action, at, reason, "
        "definition_version) SELECT d.segment_id, {shopper}, "
        "CASE WHEN d.hit THEN 'joined' ELSE 'left' END, {at}, {reason}, d.version FROM d) "
        "SELECT s.stamp, r.hits, r.current FROM r, s",
        evaluation=check_query(segments, subject, SHOPPER, AT, WHICH),
        stamp=sql("SELECT ({}) AS stamp", STAMP), ids=value([s.pk for s in segments]),
        versions=value([s.definition_version for s in segments]), stamped=value(STAMPED),
        mt=membership.table, col=membership.column, shopper=shopper, at=value(AT),
        log=LOG_TABLE, reason=value(REASON))


def _build(segments: list, subject: str, raw: psycopg.Connection) -> Statement:
    with psycopg.ClientCursor(raw) as cursor:
        cursor.adapters.register_dumper(_Slot, _SlotDumper)
        text = cursor.mogrify(*_check_and_write(segments, subject))
    return Statement(text.encode(raw.info.encoding), subject, tuple(s.pk for s in segments))
