"""Which shoppers an incremental refresh re-evaluates: those whose data changed since the
segment's last refresh, and those whose time windows crossed a bound since then.

Each source is a range scan on an indexed column, and their union is a superset of the
shoppers whose result can differ from the stored membership (a shopper found twice, or found
without a real change, costs one look-up, never a wrong answer):

- shoppers an event reported (``ChangedShopper``, written by the intake): changes Saleor's
  timestamps do not show (addresses, attributes, gift cards, deleted rows), and customers
  made staff (``staff_created``), who leave every segment;
- Saleor's own change stamps, from the segment's last refresh on: ``account_user.updated_at``
  (segments reading customer data: a changed field, metadata or default address),
  ``account_user.date_joined`` (every customer segment: a new customer),
  ``order_order.updated_at`` (order conditions; only orders the segment still reads: a
  changed order created before every "last N days" period of the segment cannot move it, and
  one that left a window since is found as such), ``checkout_checkout.last_change`` (carts;
  every visitor segment: a new checkout is a new visitor);
- the plugin's own activity rows by their dates (views, wishlist);
- the owners of products an event reported as changed (see below);
- the membership log of the segments a segment refers to;
- rows that left a "last N days" window between the last evaluation time and this one (the
  kinds declare their windows, ``Condition.windows``).

A source that reads the shopper's own row (``account_user``, ``checkout_checkout``) also gives
that row's location (its ctid): the refresh evaluates the candidates in the statement that found
them, and comes back to those rows by a TID scan instead of a second look-up by key.

Data stamps are compared with the clock of the last refresh (less an overlap, for transactions
still open then and clocks of other servers), windows with the time it evaluated at.

A segment is evaluated fully instead when no such set can be named (the reason is returned):
never refreshed, its definition changed, its last full evaluation is older than the safety-net
period, time went back, a kind whose dependence on time is unknown or cannot be range-scanned
(last_login, dates inside metadata or attributes: those only when the UTC date changed), a
segment it refers to was changed or deleted. Catalogue changes (a product moved to another
category) move shoppers by their items, not by their own data. A product an event reported as
changed (Saleor's ``product_updated``, or an update of one of its variants; ``ChangedProduct``)
makes candidates of the shoppers holding it among the items the segment's product conditions
read (ordered, in a cart, viewed, wishlisted: ``PRODUCT_OWNERS``); a popular product's owners
go over the refresh's share and the segment is evaluated fully. Changes that cannot be
narrowed to products (a category moved in the tree, a collection's products, a deleted product
or variant, whose items lose it) make the intake mark the segments with product conditions for
a full evaluation (``PendingRefresh.full_segments``; the channel's other segments stay
incremental). The periodic full evaluation catches
changes no event reported, such as a staff member turned back into a customer (Saleor's API
never does that: ``staffCreate`` turns a customer into staff, nothing turns staff back)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from ..conditions import Condition, Event, walk
from ..conditions.base import ANY_AGE, Window
from ..conditions.products import ItemsCondition
from ..conditions.segments import SegmentMember
from ..conditions.sql import Fragment, join, sql, value
from ..conf import app_settings
from ..models import Segment
from .definitions import compiled, segment_tree, subjects_of
from .tables import LOG_TABLE

CHANGED_TABLE = "saleor_segments_changedshopper"

# Saleor's change stamps (indexed) per subject: (event that makes a segment read them or None
# for every segment, SQL selecting the shopper of rows stamped at or after a time, and the
# shopper row's location where the source is the shopper table itself, else NULL)
STAMPS: dict[str, list[tuple[Event | None, str]]] = {
    "customer": [
        # the customer row itself: what customer conditions read (fields, metadata, default
        # addresses); segments that read none of it only need new customers (who can match
        # a segment satisfied without related rows); customers made staff are reported by
        # Saleor's staff_created event (ChangedShopper)
        (Event.CUSTOMER, "SELECT id, ctid FROM account_user WHERE updated_at >= {since}"),
        (None, "SELECT id, ctid FROM account_user WHERE date_joined >= {since}"),
        (None, f"SELECT customer_id, NULL::tid FROM {CHANGED_TABLE} WHERE at >= {{since}}"),
        # an order changed: only one the segment still reads (orders_since) can move it
        (Event.ORDER, "SELECT user_id, NULL::tid FROM order_order WHERE updated_at >= {since} "
                      "AND created_at >= {orders_since}"),
        (Event.CHECKOUT, "SELECT user_id, NULL::tid FROM checkout_checkout "
                         "WHERE last_change >= {since}"),
        (Event.ACTIVITY, "SELECT customer_id, NULL::tid FROM saleor_segments_productview "
                         "WHERE viewed_at >= {since}"),
        (Event.ACTIVITY, "SELECT customer_id, NULL::tid FROM saleor_segments_wishlistitem "
                         "WHERE added_at >= {since}"),
    ],
    "visitor": [
        (None, "SELECT token, ctid FROM checkout_checkout WHERE last_change >= {since}"),
        (None, f"SELECT checkout_token, NULL::tid FROM {CHANGED_TABLE} WHERE at >= {{since}}"),
        (Event.ACTIVITY, "SELECT checkout_token, NULL::tid FROM saleor_segments_productview "
                         "WHERE viewed_at >= {since}"),
    ],
}
LOG_COLUMN = {"customer": "customer_id", "visitor": "checkout_token"}

CHANGED_PRODUCTS = "saleor_segments_changedproduct"
# the changed products' ids, and their variants', as arrays computed once: joined instead, the
# planner (which cannot know how few products changed) hashed every order line and order
_PRODUCTS = f"ARRAY(SELECT cp.product_id FROM {CHANGED_PRODUCTS} cp WHERE cp.at >= {{since}})"
_VARIANTS = (f"ARRAY(SELECT v.id FROM {CHANGED_PRODUCTS} cp JOIN product_productvariant v "
             f"ON v.product_id = cp.product_id WHERE cp.at >= {{since}})")
_CART_LINES = ("FROM checkout_checkoutline l JOIN checkout_checkout ca ON ca.token = l.checkout_id "
               f"WHERE l.variant_id = ANY({_VARIANTS})")
# the shoppers holding a product an event reported as changed since a time, per subject and
# per source of items (``ItemsCondition.source``), each found by index from the product
PRODUCT_OWNERS: dict[str, dict[str, str]] = {
    "customer": {
        "ordered": "SELECT o.user_id, NULL::tid FROM order_orderline ol JOIN order_order o "
                   f"ON o.id = ol.order_id WHERE ol.variant_id = ANY({_VARIANTS})",
        "cart": f"SELECT ca.user_id, NULL::tid {_CART_LINES}",
        "viewed": "SELECT x.customer_id, NULL::tid FROM saleor_segments_productview x "
                  f"WHERE x.product_id = ANY({_PRODUCTS})",
        "wishlist": "SELECT x.customer_id, NULL::tid FROM saleor_segments_wishlistitem x "
                    f"WHERE x.product_id = ANY({_PRODUCTS})",
    },
    "visitor": {
        "cart": f"SELECT ca.token, NULL::tid {_CART_LINES} AND ca.user_id IS NULL",
        "viewed": "SELECT x.checkout_token, NULL::tid FROM saleor_segments_productview x "
                  f"WHERE x.product_id = ANY({_PRODUCTS})",
    },
}


@dataclass
class Plan:
    """How to refresh one segment: fully (``full`` says why) or only ``candidates``."""

    segment: Any
    full: str | None = None
    # subject -> SQL of (shopper, location) rows: the location is the shopper row's ctid where
    # the source read the shopper table itself (valid in that statement only), else NULL
    candidates: dict[str, Fragment] = field(default_factory=dict)
    found: int = 0  # how many candidates the refresh found


def plan(segment: Segment, now: dt.datetime, clock: dt.datetime) -> Plan:
    """How to refresh ``segment`` evaluated at ``now``, the clock being ``clock``."""
    why = _needs_full(segment, now, clock)
    if why:
        return Plan(segment, full=why)
    since = segment.changes_seen_at - dt.timedelta(
        seconds=app_settings.INCREMENTAL_OVERLAP_SECONDS)
    nodes = [n for n in walk(segment_tree(segment)) if isinstance(n, Condition)]
    referred = sorted({pk for n in nodes if isinstance(n, SegmentMember)
                       for pk in n.segment_ids()})
    if referred and _referred_changed(referred, since):
        return Plan(segment, full="a segment it refers to was changed or deleted")
    result = Plan(segment)
    oldest = _orders_since(nodes, now)
    # the items whose products' changes can move it (a product moved to another category)
    sources = sorted({n.source for n in nodes if isinstance(n, ItemsCondition)})
    for subject in subjects_of(segment):
        events = compiled(segment, subject)[2]
        parts = [sql(template, since=value(since), orders_since=value(oldest))
                 for event, template in STAMPS[subject] if event is None or event in events]
        parts += [sql(PRODUCT_OWNERS[subject][source], since=value(since))
                  for source in sources if source in PRODUCT_OWNERS[subject]]
        if referred:
            parts.append(sql(f"SELECT {LOG_COLUMN[subject]}, NULL::tid FROM {LOG_TABLE} WHERE "
                             "segment_id = ANY({}) "
                             "AND at >= least({}::timestamptz, {}::timestamptz)",
                             value(referred), value(since), value(segment.last_refreshed_at)))
        crossed = _crossed(nodes, subject, segment.last_refreshed_at, now)
        if isinstance(crossed, str):
            return Plan(segment, full=crossed)
        result.candidates[subject] = join(" UNION ALL ", parts + crossed)
    return result


def _needs_full(segment: Segment, now: dt.datetime, clock: dt.datetime) -> str | None:
    if None in (segment.last_refreshed_at, segment.changes_seen_at,
                segment.last_full_refresh_at):
        return "never refreshed"
    if segment.refreshed_version != segment.definition_version:
        return "its definition changed"
    if segment.last_full_refresh_at < clock - dt.timedelta(
            hours=app_settings.FULL_REFRESH_EVERY_HOURS):
        return "periodic full evaluation (safety net)"
    if now < segment.last_refreshed_at:
        return "evaluated at an earlier time than last refresh"
    return None


def _referred_changed(ids: list[int], since: dt.datetime) -> bool:
    found = Segment.objects.filter(pk__in=ids)
    return found.count() < len(ids) or found.filter(updated_at__gte=since).exists()


def _orders_since(nodes: list, now: dt.datetime) -> dt.datetime:
    """The oldest orders any of the nodes reads at ``now`` (``ANY_AGE``: orders of any age)."""
    found = [n.orders_since(now) for n in nodes]
    return min((at for at in found if at is not None), default=ANY_AGE)


def _crossed(nodes: list, subject: str, before: dt.datetime,
             now: dt.datetime) -> list[Fragment] | str:
    """SQL of shoppers owning a row that left one of the nodes' windows between ``before``
    and ``now``, or the reason why the segment must be evaluated fully."""
    parts = []
    for node in nodes:
        if subject == "visitor" and node.registered_only:
            continue  # compiled as FALSE for visitors
        windows = node.windows()
        if windows is None:
            return f"{node.kind}: how it depends on time is unknown"
        for window in windows:
            bounds = _bounds(window, before, now)
            if bounds is None:
                continue
            if window.rows is None:
                return f"{node.kind}: its time window cannot be range-scanned"
            parts.append(sql("SELECT r.shopper, NULL::tid FROM ({}) r "
                             "WHERE r.at >= {} AND r.at < {}",
                             window.rows(subject), value(bounds[0]), value(bounds[1])))
    return parts


def _bounds(window: Window, before: dt.datetime, now: dt.datetime) -> tuple[Any, Any] | None:
    """[low, high) of the ``at`` values that left the window, or None when none could."""
    if window.daily:
        low = before.astimezone(dt.UTC).date() - dt.timedelta(days=window.days)
        high = now.astimezone(dt.UTC).date() - dt.timedelta(days=window.days)
    else:
        low, high = (before - dt.timedelta(days=window.days),
                     now - dt.timedelta(days=window.days))
    return (low, high) if low < high else None


def remember(customers: Any = (), checkouts: Any = ()) -> int:
    """Record shoppers (customer ids, checkout tokens) whose data changed in a way Saleor's
    timestamps do not show: the next incremental refresh re-evaluates them. Stamped with the
    clock, as the refresh's watermark is."""
    customers, checkouts = sorted(set(customers) - {None}), sorted(
        {str(t) for t in checkouts if t is not None})
    if not customers and not checkouts:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {CHANGED_TABLE} (customer_id, checkout_token, at) "
                       "SELECT c, NULL, clock_timestamp() FROM unnest(%s::int[]) c UNION ALL "
                       "SELECT NULL, t, clock_timestamp() FROM unnest(%s::uuid[]) t",
                       [customers, checkouts])
        return cursor.rowcount


def remember_products(products: Any) -> int:
    """Record products whose change an event reported (``product_updated``, a variant's
    update): the next incremental refresh re-evaluates the shoppers holding them among the
    items the segments' product conditions read. Stamped with the clock, as ``remember``."""
    products = sorted(set(products) - {None})
    if not products:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {CHANGED_PRODUCTS} (product_id, at) "
                       "SELECT p, clock_timestamp() FROM unnest(%s::int[]) p", [products])
        return cursor.rowcount


def prune() -> int:
    """Forget marks no incremental refresh can need (older ones are covered by the periodic
    full evaluation every segment gets)."""
    keep = dt.timedelta(hours=app_settings.FULL_REFRESH_EVERY_HOURS,
                        seconds=app_settings.INCREMENTAL_OVERLAP_SECONDS) + dt.timedelta(hours=1)
    pruned = 0
    with connection.cursor() as cursor:
        for table in (CHANGED_TABLE, CHANGED_PRODUCTS):
            cursor.execute(f"DELETE FROM {table} WHERE at < clock_timestamp() - %s", [keep])
            pruned += cursor.rowcount
    return pruned
