"""Reading membership: the "Matched Customers" grid and point-in-time membership."""

import base64
import datetime as dt
from dataclasses import dataclass

from django.db import connection

from .tables import LOG_TABLE

GRID_COLUMNS = ("id", "first_name", "last_name", "email", "customer_type", "phone",
                "postal_code", "country", "country_area", "date_joined", "joined_at")
MAX_PAGE = 500


@dataclass
class Page:
    rows: list[dict]
    total_count: int
    end_cursor: str | None
    has_next_page: bool


def encode_cursor(customer_id: int) -> str:
    return base64.b64encode(f"customer:{customer_id}".encode()).decode()


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        kind, _, pk = base64.b64decode(cursor, validate=True).decode().partition(":")
        if kind == "customer" and pk.isdigit():
            return int(pk)
    except ValueError:
        pass
    raise ValueError("invalid cursor")


def matched_customers(segment_id: int, first: int = 50, after: str | None = None) -> Page:
    """One page of members with the grid's columns (billing address, else shipping), by id."""
    if not 1 <= first <= MAX_PAGE:
        raise ValueError(f"first must be between 1 and {MAX_PAGE}")
    sql = """
        SELECT u.id, u.first_name, u.last_name, u.email, ct.name, a.phone, a.postal_code,
               a.country, a.country_area, u.date_joined, m.joined_at
        FROM saleor_segments_customermembership m
        JOIN account_user u ON u.id = m.customer_id
        LEFT JOIN account_customertype ct ON ct.id = u.customer_type_id
        LEFT JOIN account_address a
               ON a.id = COALESCE(u.default_billing_address_id, u.default_shipping_address_id)
        WHERE m.segment_id = %s AND m.customer_id > %s
        ORDER BY m.customer_id LIMIT %s"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [segment_id, decode_cursor(after), first + 1])
        rows = [dict(zip(GRID_COLUMNS, r, strict=True)) for r in cursor.fetchall()]
        cursor.execute("SELECT count(*) FROM saleor_segments_customermembership "
                       "WHERE segment_id = %s", [segment_id])
        total = cursor.fetchone()[0]
    has_next = len(rows) > first
    rows = rows[:first]
    return Page(rows, total, encode_cursor(rows[-1]["id"]) if rows else None, has_next)


def member_count(segment_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT (SELECT count(*) FROM saleor_segments_customermembership WHERE "
                       "segment_id = %s) + (SELECT count(*) FROM "
                       "saleor_segments_visitormembership WHERE segment_id = %s)",
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
