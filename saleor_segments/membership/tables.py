"""Where each kind of shopper's membership lives, and the one read of a shopper's segments
(discount eligibility, content blocks and related products all ask it).

The only module that names the membership tables: other modules take the names from here
(``CUSTOMERS.table``, ``VISITORS.table``, ``LOG_TABLE``) and end memberships through
``end_memberships``."""

from dataclasses import dataclass

from django.db import connection

from ..conditions.sql import Fragment, sql, value


@dataclass(frozen=True)
class MembershipTable:
    subject: str
    table: str
    column: str  # shopper column, also used in the log
    cast: str


CUSTOMERS = MembershipTable("customer", "saleor_segments_customermembership", "customer_id",
                            "integer")
VISITORS = MembershipTable("visitor", "saleor_segments_visitormembership", "checkout_token",
                           "uuid")
BY_SUBJECT = {"customer": CUSTOMERS, "visitor": VISITORS}
LOG_TABLE = "saleor_segments_membershiplog"
LOCK_SEGMENT = 0x5E65  # advisory lock class id for segments
LOCK_SHOPPER = 0x5E66  # ... and for one shopper's re-check
SEGMENT_TABLE = "saleor_segments_segment"


def end_memberships(table: MembershipTable, where: Fragment, reason: str) -> int:
    """End the memberships in ``table`` that ``where`` selects (rows aliased ``m``), active
    segment or not, and log each as left with ``reason``, in one statement. Run it inside the
    caller's transaction. Returns how many ended."""
    statement = sql("WITH gone AS (DELETE FROM {table} m WHERE {where} "
                    "RETURNING segment_id, {column}, definition_version) "
                    "INSERT INTO {log} (segment_id, {column}, action, at, reason, "
                    "definition_version) SELECT segment_id, {column}, 'left', now(), {reason}, "
                    "definition_version FROM gone", table=table.table, where=where,
                    column=table.column, log=LOG_TABLE, reason=value(reason))
    with connection.cursor() as cursor:
        cursor.execute(*statement)
        return cursor.rowcount


def segments_of(customer_id: int | None = None, checkout_token: object = None) -> set[int]:
    """The active segments a customer (or else a visitor's checkout) is in now."""
    if customer_id is None and checkout_token is None:
        return set()
    table, shopper = (CUSTOMERS, customer_id) if customer_id is not None else (
        VISITORS, checkout_token)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT m.segment_id FROM {table.table} m JOIN {SEGMENT_TABLE} s "
                       f"ON s.id = m.segment_id AND s.status = 'active' "
                       f"WHERE m.{table.column} = %s", [shopper])
        return {r[0] for r in cursor.fetchall()}
