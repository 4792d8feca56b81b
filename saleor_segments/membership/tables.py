"""Where each kind of shopper's membership lives."""

from dataclasses import dataclass


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
