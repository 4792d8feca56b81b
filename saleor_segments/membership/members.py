"""Reading membership: the "Matched Customers" grid and point-in-time membership."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from .cursors import decode_cursor, encode_cursor
from .tables import CUSTOMERS, LOG_TABLE, VISITORS

GRID_COLUMNS = ("id", "first_name", "last_name", "email", "customer_type", "phone",
                "postal_code", "country", "country_area", "date_joined", "joined_at")
MAX_PAGE = 500
# sortable grid columns (all NOT NULL, so keyset pagination over (value, id) is exact)
SORT_COLUMNS = {"id": "u.id", "email": "u.email", "last_name": "u.last_name",
                "date_joined": "u.date_joined", "joined_at": "m.joined_at"}


@dataclass
class Page:
    rows: list[dict]
    total_count: int
    end_cursor: str | None
    has_next_page: bool
    cursors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class MemberFilter:
    search: str | None = None  # part of the email, first or last name
    countries: tuple[str, ...] = ()
    joined_from: dt.datetime | None = None
    joined_to: dt.datetime | None = None

    def sql(self) -> tuple[str, list]:
        parts: list[str] = []
        params: list[Any] = []
        if self.search:
            parts.append("(u.email ILIKE %s OR u.first_name ILIKE %s OR u.last_name ILIKE %s)")
            like = "%" + self.search.replace("\\", "\\\\").replace("%", "\\%").replace(
                "_", "\\_") + "%"
            params += [like, like, like]
        if self.countries:
            parts.append("a.country = ANY(%s)")
            params.append(list(self.countries))
        if self.joined_from:
            parts.append("m.joined_at >= %s")
            params.append(self.joined_from)
        if self.joined_to:
            parts.append("m.joined_at < %s")
            params.append(self.joined_to)
        return "".join(f" AND {p}" for p in parts), params


# the grid's columns (GRID_COLUMNS) over ``m``: rows (customer_id, joined_at) of a source
GRID_EXPRESSIONS = ("u.id", "u.first_name", "u.last_name", "u.email", "ct.name", "a.phone",
                    "a.postal_code", "a.country", "a.country_area", "u.date_joined",
                    "m.joined_at")
GRID_SELECT = "SELECT " + ", ".join(GRID_EXPRESSIONS)


def segment_source(segment_id: int) -> tuple[str, list]:
    """A segment's customers as a grid source: (customer_id, joined_at) rows."""
    return (f"SELECT customer_id, joined_at FROM {CUSTOMERS.table} WHERE segment_id = %s",
            [segment_id])


def grid_from(source: tuple[str, list], filter: "MemberFilter") -> tuple[str, list]:
    """``FROM ... WHERE`` of the grid over a source's rows, with the filter."""
    where, params = filter.sql()
    return (f"""
        FROM ({source[0]}) m
        JOIN account_user u ON u.id = m.customer_id
        LEFT JOIN account_customertype ct ON ct.id = u.customer_type_id
        LEFT JOIN account_address a
               ON a.id = COALESCE(u.default_billing_address_id, u.default_shipping_address_id)
        WHERE true{where}""", list(source[1]) + params)


def matched_customers(segment_id: int | None, first: int = 50, after: str | None = None,
                      sort: str = "id", descending: bool = False,
                      filter: MemberFilter = MemberFilter(),
                      source: tuple[str, list] | None = None) -> Page:
    """One page of members with the grid's columns (billing address, else shipping), sorted
    by a grid column and keyset-paginated; ``total_count`` counts the filtered members.
    ``source`` replaces the segment's members (e.g. a segment report's combination)."""
    if not 1 <= first <= MAX_PAGE:
        raise ValueError(f"first must be between 1 and {MAX_PAGE}")
    if sort not in SORT_COLUMNS:
        raise ValueError(f"sort must be one of {', '.join(SORT_COLUMNS)}")
    column = SORT_COLUMNS[sort]
    if source is None:
        if segment_id is None:
            raise ValueError("give a segment or a source")
        source = segment_source(segment_id)
    joins, params = grid_from(source, filter)
    order = f"{sort}:{'desc' if descending else 'asc'}"  # a cursor serves this order only
    key = decode_cursor(after, order)
    seek, seek_params = "", []
    if key is not None:
        seek = f" AND ({column}, m.customer_id) {'<' if descending else '>'} (%s, %s)"
        seek_params = key
    direction = "DESC" if descending else "ASC"
    with connection.cursor() as cursor:
        cursor.execute(f"""
            {GRID_SELECT}, {column}
            {joins}{seek}
            ORDER BY {column} {direction}, m.customer_id {direction} LIMIT %s""",
                       params + seek_params + [first + 1])
        fetched = cursor.fetchall()
        cursor.execute(f"SELECT count(*) {joins}", params)
        total = cursor.fetchone()[0]
    has_next = len(fetched) > first
    fetched = fetched[:first]
    rows = [dict(zip(GRID_COLUMNS, r[:-1], strict=True)) for r in fetched]
    cursors = [encode_cursor(r[-1], r[0], order) for r in fetched]
    return Page(rows, total, cursors[-1] if cursors else None, has_next, cursors)


def member_count(segment_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT count(*) FROM {CUSTOMERS.table} WHERE segment_id = %s) "
                       f"+ (SELECT count(*) FROM {VISITORS.table} WHERE segment_id = %s)",
                       [segment_id, segment_id])
        return cursor.fetchone()[0]


def customers_at(segment_id: int, at: dt.datetime) -> set[int]:
    """Customers who were members at ``at``, replayed from the join/leave log."""
    with connection.cursor() as cursor:
        cursor.execute(f"""
            SELECT customer_id FROM (
                SELECT DISTINCT ON (customer_id) customer_id, action FROM {LOG_TABLE}
                WHERE segment_id = %s AND customer_id IS NOT NULL AND at <= %s
                ORDER BY customer_id, at DESC, id DESC) last
            WHERE action = 'joined'""", [segment_id, at])
        return {r[0] for r in cursor.fetchall()}
