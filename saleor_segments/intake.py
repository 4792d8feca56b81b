"""Event intake: what a shopper event re-checks. The Saleor plugin forwards its hooks here;
nothing in this module raises into the caller (a failure is logged, the checkout goes on)."""

import functools
import logging

from django.db import connection, transaction

from . import activity, dbaccess, discounts
from .conditions import Event
from .membership.check import check_customer, check_visitor
from .membership.tables import LOG_TABLE

logger = logging.getLogger(__name__)


def never_raises(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            # a savepoint keeps a caller's transaction usable; writes are announced to the host
            with dbaccess.writer(), transaction.atomic():
                return fn(*args, **kwargs)
        except Exception:  # noqa: BLE001  (segments must never break a checkout or an order)
            logger.exception("saleor_segments: %s failed", fn.__name__)
            return None

    return wrapper


@never_raises
def customer_changed(customer_id: int, reason: str = "event:customer_updated"):
    """Account data, attributes or metadata changed."""
    return _priced(check_customer(customer_id, Event.CUSTOMER, reason=reason), customer_id)


@never_raises
def address_changed(customer_id: int, reason: str = "event:address_updated"):
    return _priced(check_customer(customer_id, Event.ADDRESS, reason=reason), customer_id)


@never_raises
def checkout_changed(checkout_token, channel_id: int, customer_id: int | None,
                     reason: str = "event:checkout_updated"):
    """Lines, amounts, promo code or owner changed. A checkout that now has a customer stops
    being a visitor: its visitor memberships end and its views become the customer's."""
    visitor = check_visitor(checkout_token, Event.CHECKOUT, channel_id, reason=reason)
    if customer_id is None:
        return _priced(visitor, checkout_token=checkout_token)
    activity.adopt_visitor_activity(checkout_token, customer_id)
    return _priced(check_customer(customer_id, Event.CHECKOUT, channel_id, reason=reason),
                   customer_id)


@never_raises
def order_changed(customer_id: int | None, channel_id: int, status: str,
                  reason: str = "event:order_updated"):
    if customer_id is None or status == "draft":
        return None
    return _priced(check_customer(customer_id, Event.ORDER, channel_id, reason=reason),
                   customer_id)


@never_raises
def activity_recorded(channel_id: int | None, customer_id: int | None = None, checkout_token=None,
                      reason: str = "event:product_activity"):
    if customer_id is not None:
        return _priced(check_customer(customer_id, Event.ACTIVITY, channel_id, reason=reason),
                       customer_id)
    return _priced(check_visitor(checkout_token, Event.ACTIVITY, channel_id, reason=reason),
                   checkout_token=checkout_token)


def _priced(result, customer_id=None, checkout_token=None):
    """Discounts limited to segments follow membership at the next price calculation."""
    discounts.expire_checkout_prices(result, customer_id, checkout_token)
    return result


@never_raises
def customer_deleted(customer_id: int, reason: str = "event:customer_deleted") -> int:
    """The customer leaves every segment, active or not (logged)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"WITH gone AS (DELETE FROM saleor_segments_customermembership "
            f"WHERE customer_id = %s RETURNING segment_id, definition_version) "
            f"INSERT INTO {LOG_TABLE} (segment_id, customer_id, action, at, reason, "
            f"definition_version) SELECT segment_id, %s, 'left', now(), %s, definition_version "
            f"FROM gone", [customer_id, customer_id, reason])
        return cursor.rowcount


@never_raises
def mark_pending(channel_id: int | None = None) -> int:
    """Real-time check off: remember that a channel (or, for account events, every channel with
    active segments) needs the combined refresh; ``tasks.refresh_pending`` runs it."""
    with connection.cursor() as cursor:
        if channel_id is None:
            cursor.execute("INSERT INTO saleor_segments_pendingrefresh (channel_id, requested_at) "
                           "SELECT DISTINCT channel_id, now() FROM saleor_segments_segment "
                           "WHERE status = 'active' ON CONFLICT (channel_id) DO NOTHING")
        else:
            cursor.execute("INSERT INTO saleor_segments_pendingrefresh (channel_id, requested_at) "
                           "VALUES (%s, now()) ON CONFLICT (channel_id) DO NOTHING", [channel_id])
        return cursor.rowcount
