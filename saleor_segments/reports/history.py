"""How a segment's size changes over time (from the join/leave log) and how segments overlap,
each in one statement."""

import datetime as dt
from dataclasses import dataclass

from ..membership.tables import CUSTOMERS, LOG_TABLE
from .sets import report_cursor

MAX_POINTS = 1000
MAX_OVERLAP = 20
STEPS = {"day": dt.timedelta(days=1), "week": dt.timedelta(days=7)}


@dataclass(frozen=True)
class SizePoint:
    start: dt.datetime  # the bucket [start, end)
    end: dt.datetime
    members: int  # at the end of the bucket
    joined: int
    left: int


def size_history(segment_id: int, start: dt.date, end: dt.date, step: str = "day"
                 ) -> list[SizePoint]:
    """Members (customers and visitors) at the end of each day (or week) from ``start`` to
    ``end`` (UTC dates, both included), with the joins and leaves in it. The log records
    transitions (a join of a non-member, a leave of a member), so the size is the count
    before ``start`` plus a running sum of joins less leaves."""
    if step not in STEPS:
        raise ValueError("step must be day or week")
    if end < start:
        raise ValueError("the period ends before it starts")
    origin = dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC)
    last = dt.datetime.combine(end, dt.time(), tzinfo=dt.UTC)
    if (last - origin) // STEPS[step] + 1 > MAX_POINTS:
        raise ValueError(f"at most {MAX_POINTS} points")
    with report_cursor() as cursor:
        cursor.execute(f"""
            WITH per AS (
                SELECT date_bin(%(step)s, at, %(origin)s::timestamptz) AS b,
                       count(*) FILTER (WHERE action = 'joined') AS joined,
                       count(*) FILTER (WHERE action = 'left') AS left_
                FROM {LOG_TABLE}
                WHERE segment_id = %(segment)s AND at >= %(origin)s
                  AND at < %(last)s::timestamptz + %(step)s
                GROUP BY 1),
            base AS (
                SELECT count(*) FILTER (WHERE action = 'joined')
                       - count(*) FILTER (WHERE action = 'left') AS n
                FROM {LOG_TABLE} WHERE segment_id = %(segment)s AND at < %(origin)s)
            SELECT bk.b, bk.b + %(step)s,
                   base.n + sum(coalesce(p.joined, 0) - coalesce(p.left_, 0))
                                OVER (ORDER BY bk.b),
                   coalesce(p.joined, 0), coalesce(p.left_, 0)
            FROM generate_series(%(origin)s::timestamptz, %(last)s::timestamptz,
                                 %(step)s) AS bk(b)
            CROSS JOIN base LEFT JOIN per p ON p.b = bk.b
            ORDER BY bk.b""",
                       {"step": STEPS[step], "origin": origin, "last": last,
                        "segment": segment_id})
        return [SizePoint(b, e, int(members), joined, left)
                for b, e, members, joined, left in cursor.fetchall()]


@dataclass(frozen=True)
class Overlap:
    segment_id: int
    other_id: int
    shared: int  # customers in both (the segment's size on the diagonal)
    percent: float  # of the segment's customers
    other_percent: float  # of the other segment's customers


BITMAP_SPAN = 1 << 24  # customer ids one segment's bitmap may span (2 MB; else masks)


def overlap_matrix(segment_ids: list[int], bitmap_span: int = BITMAP_SPAN) -> list[Overlap]:
    """Customers shared by every pair of segments (both orders, and the diagonal), in one
    statement over the memberships.

    When the customer ids span at most ``bitmap_span``, each segment becomes a bitmap of its
    customers (64 customers a word: the memberships grouped into words, the words of a
    segment strung together, gaps as zero words) and each pair's count is ``bit_count`` of
    the two bitmaps ANDed: the memberships are grouped, a segment at a time, into about 64
    times fewer groups than there are customers. Otherwise each customer's set of segments is a bit mask, customers
    are counted per mask, and masks are expanded to pairs."""
    ids = list(dict.fromkeys(segment_ids))
    if not 1 <= len(ids) <= MAX_OVERLAP:
        raise ValueError(f"give 1 to {MAX_OVERLAP} segments")
    with report_cursor() as cursor:
        cursor.execute(_SPAN, {"ids": ids})
        low, high = cursor.fetchone()
        if low is not None and high - low < bitmap_span:
            cursor.execute(_BY_BITMAPS, {"ids": ids, "low": low,
                                         "words": (high - low) // 64 + 1})
        else:
            cursor.execute(_BY_MASKS, {"ids": ids})
        return [Overlap(a, b, int(shared), _percent(shared, size_a), _percent(shared, size_b))
                for a, b, shared, size_a, size_b in cursor.fetchall()]


# the lowest and highest customer id of the segments (two index probes a segment)
_SPAN = f"""
    SELECT min(low), max(high) FROM unnest(%(ids)s::bigint[]) AS s(id),
    LATERAL (SELECT min(customer_id) AS low, max(customer_id) AS high
             FROM {CUSTOMERS.table} WHERE segment_id = s.id) AS m"""

# (segment, other, shared, segment's size, other's size) in the order of the ids given
_BY_BITMAPS = f"""
    WITH ids AS (SELECT id, ord FROM unnest(%(ids)s::bigint[]) WITH ORDINALITY AS t(id, ord)),
    maps AS MATERIALIZED (  -- a segment at a time: its own small hash of words
        SELECT ids.id AS segment_id, m.bits FROM ids CROSS JOIN LATERAL (
            SELECT ('x' || string_agg(hex, '' ORDER BY word)
                    || repeat('0', 16 * (%(words)s - 1 - max(word))::int))::varbit AS bits
            FROM (  -- a word as 16 hex digits, after the zero words of the gap before it
                SELECT word, repeat('0', 16 * (word - coalesce(lag(word) OVER (ORDER BY word),
                                                               -1) - 1)::int)
                             || lpad(to_hex(bits), 16, '0') AS hex
                FROM (SELECT (customer_id - %(low)s) / 64 AS word,
                             bit_or(1::bigint << ((customer_id - %(low)s) %% 64)) AS bits
                      FROM (SELECT customer_id FROM {CUSTOMERS.table}
                            WHERE segment_id = ids.id ORDER BY customer_id) AS o  -- (the index)
                      GROUP BY 1) AS w) AS r) AS m)
    SELECT a.id, b.id, coalesce(bit_count(ma.bits & mb.bits), 0),
           coalesce(bit_count(ma.bits), 0), coalesce(bit_count(mb.bits), 0)
    FROM ids a CROSS JOIN ids b
    LEFT JOIN maps ma ON ma.segment_id = a.id LEFT JOIN maps mb ON mb.segment_id = b.id
    ORDER BY a.ord, b.ord"""

_BY_MASKS = f"""
    WITH ids AS (
        SELECT id, (ord - 1)::int AS bit
        FROM unnest(%(ids)s::bigint[]) WITH ORDINALITY AS t(id, ord)),
    masks AS (
        SELECT bit_or(1 << ids.bit) AS mask
        FROM {CUSTOMERS.table} m JOIN ids ON ids.id = m.segment_id
        GROUP BY m.customer_id),
    groups AS (SELECT mask, count(*) AS n FROM masks GROUP BY mask),
    pairs AS (
        SELECT a.id AS a, b.id AS b, sum(g.n) AS shared
        FROM groups g
        JOIN ids a ON g.mask & (1 << a.bit) <> 0
        JOIN ids b ON g.mask & (1 << b.bit) <> 0
        GROUP BY a.id, b.id)
    SELECT a.id, b.id, coalesce(p.shared, 0), coalesce(sa.shared, 0), coalesce(sb.shared, 0)
    FROM ids a CROSS JOIN ids b
    LEFT JOIN pairs p ON p.a = a.id AND p.b = b.id
    LEFT JOIN pairs sa ON sa.a = a.id AND sa.b = a.id
    LEFT JOIN pairs sb ON sb.a = b.id AND sb.b = b.id
    ORDER BY a.bit, b.bit"""


def _percent(part, whole) -> float:
    return round(100.0 * float(part) / float(whole), 2) if whole else 0.0
