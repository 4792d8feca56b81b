"""Event intake: what a shopper event re-checks. The Saleor plugin forwards its hooks here;
nothing in this module raises into the caller (a failure is logged, the checkout goes on)."""

import functools
import logging
from typing import Any

from celery import current_app
from django.db import connection, transaction

from ..conditions import Condition, Event, walk
from ..conditions.products import ItemCondition
from ..conditions.sql import sql, value
from ..membership import dbaccess
from ..membership.changes import remember, remember_products
from ..membership.check import check_customer, check_visitor
from ..membership.definitions import segment_tree
from ..membership.events import shopper_checked
from ..membership.tables import CUSTOMERS, end_memberships
from ..models import Segment
from . import activity, sweep

logger = logging.getLogger(__name__)
REFRESH_SEGMENT_TASK = "saleor_segments.refresh_segment"  # as worker/tasks.py registers it


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
def customer_created(customer_id: int, reason: str = "event:customer_created"):
    """A new customer is checked against every active segment of every channel: any condition
    can hold the moment a customer exists ("orders count is 0", "no cart", ...). So is a
    customer made staff (``staffCreate`` with their e-mail), who leaves them all."""
    return _priced(check_customer(customer_id, None, reason=reason), customer_id)


@never_raises
def address_changed(customer_id: int, reason: str = "event:address_updated"):
    return _priced(check_customer(customer_id, Event.ADDRESS, reason=reason), customer_id)


def checkouts_deleted(checkouts, reason: str = "event:checkout_deleted") -> dict:
    """Checkouts (token, channel id, customer id or None) were deleted: their visitors leave
    every segment, and each remaining customer is re-checked against the checkout-dependent
    segments of the checkout's channel. Customers deleted with their checkouts are left to
    ``customer_deleted``. Never raises."""
    checkouts = list(checkouts)
    ended = _end_visitors([token for token, _, _ in checkouts], reason)
    return {"visitors_ended": ended or 0,
            "customers_checked": _recheck_owners(checkouts, Event.CHECKOUT, reason)}


def orders_deleted(orders, reason: str = "event:order_deleted") -> dict:
    """Orders (id, channel id, customer id or None) were deleted (Saleor deletes expired orders
    after a while): their customers are re-checked. Never raises."""
    return {"customers_checked": _recheck_owners(list(orders), Event.ORDER, reason)}


def _recheck_owners(rows, event: Event, reason: str) -> int:
    """Re-check each (customer, channel) of the rows that still exists; customers deleted with
    them are left to ``customer_deleted``."""
    owners = {(customer, channel) for _, channel, customer in rows if customer is not None}
    existing = _existing_customers({customer for customer, _ in owners}) or set()
    checked = sorted((c, ch) for c, ch in owners if c in existing)
    for customer, channel in checked:
        _recheck(customer, event, channel, reason)
    return len(checked)


@never_raises
def _recheck(customer_id, event, channel_id, reason):
    return _priced(check_customer(customer_id, event, channel_id, reason=reason), customer_id)


@never_raises
def _end_visitors(tokens, reason):
    return sweep.end_gone_visitors(tokens, reason)


@never_raises
def _existing_customers(ids) -> set:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM account_user WHERE id = ANY(%s)", [sorted(ids)])
        return {row[0] for row in cursor.fetchall()}


def checkout_owner_changed(customer_id: int, channel_id: int,
                           reason: str = "event:checkout_updated"):
    """A customer lost a checkout (detached from them): re-check their cart."""
    return _recheck(customer_id, Event.CHECKOUT, channel_id, reason)


_CONDITIONS: dict = {}  # (segment, definition version, last save) -> its condition nodes


def _conditions_of(segment) -> tuple:
    key = (segment.pk, segment.definition_version, segment.updated_at)
    found = _CONDITIONS.get(key)
    if found is None:
        try:
            found = tuple(n for n in walk(segment_tree(segment)) if isinstance(n, Condition))
        except Exception:  # noqa: BLE001  (a stored tree that no longer parses uses nothing)
            logger.warning("segment %s: stored conditions no longer parse", segment.pk)
            found = ()
        if len(_CONDITIONS) > 10_000:
            _CONDITIONS.clear()
        _CONDITIONS[key] = found
    return found


def segments_using(matches) -> list:
    """Active segments with a condition for which ``matches(condition)`` is true."""
    return [segment for segment in Segment.objects.filter(
        status=Segment.Status.ACTIVE).order_by("pk")
        if any(matches(node) for node in _conditions_of(segment))]


@never_raises
def catalogue_changed(products: Any = None) -> list[int]:
    """A product, variant, category or collection changed: every shopper with such a product
    in a cart, wishlist, view history or order may move. Such changes come in bursts (imports,
    bulk edits), so they are not re-checked one by one: the channels of the segments with
    product conditions are marked, and ``refresh_pending`` runs one combined refresh per
    channel (within a minute), however many changes came.

    ``products``: the ids of the products that changed (a product's or a variant's update).
    They are recorded, and the refresh re-evaluates only the shoppers holding them
    (``changes.PRODUCT_OWNERS``), with the channel's other changes. Without them (a category
    moved in the tree, a collection, a deleted product or variant) the segments with product
    conditions are evaluated fully, the channel's others only for the shoppers recorded.
    Returns the channels marked."""
    if products is not None:  # recorded even with no such segment now: one may be activated
        remember_products(products)
    by_channel: dict[int, list[int]] = {}
    for segment in segments_using(lambda node: isinstance(node, ItemCondition)):
        by_channel.setdefault(segment.channel_id, []).append(segment.pk)
    for channel_id, segments in sorted(by_channel.items()):
        if products is None:
            mark_pending(channel_id, segments=segments)
        else:
            mark_pending(channel_id, full=False)
    return sorted(by_channel)


@never_raises
def shared_data_changed(matches, real_time: bool = True) -> list[int]:
    """Data many customers share changed at once (a customer type deleted and its customers
    moved, an attribute value renamed or deleted): refresh the segments that read it (with the
    real-time check off, mark their channels for the combined refresh). The refresh tasks are
    queued once the caller's transaction commits; a broker that refuses them falls back to the
    mark (the combined refresh retries), and never raises into the caller. Returns their ids."""
    segments = segments_using(matches)
    for segment in segments:
        if real_time:
            transaction.on_commit(functools.partial(_queue_refresh, segment.pk,
                                                    segment.channel_id), robust=True)
        else:
            mark_pending(segment.channel_id, segments=[segment.pk])
    return [s.pk for s in segments]


def _queue_refresh(segment_id: int, channel_id: int) -> None:
    try:  # by the task's name: the worker's task module is an adapter, not imported here
        current_app.signature(REFRESH_SEGMENT_TASK, args=[segment_id]).delay()
    except Exception:  # noqa: BLE001  (kombu's OperationalError, a timeout, ...)
        logger.exception("refresh of segment %s could not be queued; its channel is marked "
                         "for the combined refresh", segment_id)
        mark_pending(channel_id, segments=[segment_id])


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
    """Discounts limited to segments follow membership at the next price calculation (they
    listen to ``shopper_checked``)."""
    shopper_checked.send(sender=None, result=result, customer_id=customer_id,
                         checkout_token=checkout_token)
    return result


@never_raises
def customer_deleted(customer_id: int, reason: str = "event:customer_deleted") -> int:
    """The customer leaves every segment, active or not (logged)."""
    with transaction.atomic():
        return end_memberships(CUSTOMERS, sql("m.customer_id = {}", value(customer_id)), reason)


@never_raises
def mark_pending(channel_id: int | None = None, full: bool = True,
                 segments: Any = None) -> int:
    """Remember that a channel (None: every channel with active segments) needs the combined
    refresh; ``tasks.refresh_pending`` runs it: every segment fully; or, with ``segments``
    (ids: those reading data many shoppers share, such as the catalogue), those fully and the
    others only for the shoppers recorded; or (``full=False``, see ``mark_changed``) only for
    the shoppers recorded. Returns the channels whose mark this widened."""
    segments = sorted(set(segments or ()))
    full = full and not segments
    fields = "(channel_id, requested_at, full_refresh, full_segments)"
    p = "saleor_segments_pendingrefresh"
    upsert = (f"ON CONFLICT (channel_id) DO UPDATE SET full_refresh = {p}.full_refresh OR "
              "EXCLUDED.full_refresh, full_segments = ARRAY(SELECT DISTINCT x FROM unnest("
              f"{p}.full_segments || EXCLUDED.full_segments) x ORDER BY x) WHERE NOT "
              f"{p}.full_refresh AND (EXCLUDED.full_refresh OR NOT EXCLUDED.full_segments "
              f"<@ {p}.full_segments)")
    with connection.cursor() as cursor:
        if channel_id is None:
            cursor.execute(f"INSERT INTO {p} {fields} SELECT DISTINCT channel_id, now(), %s, "
                           "%s::int[] FROM saleor_segments_segment WHERE status = 'active' "
                           f"{upsert}", [full, segments])
        else:
            cursor.execute(f"INSERT INTO {p} {fields} VALUES (%s, now(), %s, %s::int[]) "
                           f"{upsert}", [channel_id, full, segments])
        return cursor.rowcount


@never_raises
def mark_changed(channel_id: int | None = None, customers=(), checkouts=()) -> int:
    """Real-time check off: record the shoppers an event changed and mark the channel (None:
    every channel) for the combined refresh, which then re-evaluates only them (and whoever
    else changed meanwhile). No shopper given: the channel is marked for a full refresh."""
    if not remember(customers, checkouts):
        return mark_pending(channel_id)
    return mark_pending(channel_id, full=False)
