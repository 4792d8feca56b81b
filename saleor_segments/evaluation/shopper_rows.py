"""The shopper's own rows, read once by a one-shopper check for all its segments.

A check evaluates every active segment for one shopper in one statement. Written against the
tables, each segment's conditions would look the shopper's orders, order lines, checkouts,
addresses and viewed or wishlisted products up again, by index, and PostgreSQL starts and ends
every one of those look-ups for every execution, even for the segments the check does not run:
with fifty segments that fixed cost was most of the check. Instead, the check's statement reads
each of them once, into common table expressions that the conditions read
(``Compiler(own_rows=True)``):

- the rows are the shopper's only, so a condition reads a few rows from memory; each item
  comes with its product's category path (the ids of its category and of every category above
  it, looked up once per item), so "a product of this category tree" is an overlap of two
  arrays instead of four joins;
- an expression that no condition reads is left out by PostgreSQL, and one that is read is
  computed at most once, when first read (a check that runs no order condition reads no order).

The expressions hold all the shopper's rows (every channel, every status): each condition
filters its own, as it does on the tables.
"""

from __future__ import annotations

from ..conditions.products import SOURCES, category_path
from ..conditions.saleor_tables import SALEOR_TABLES
from ..conditions.sql import Fragment, join, sql

ORDERS = "shopper_orders"  # the shopper's orders: order_order's columns
CARTS = "shopper_carts"  # the shopper's checkouts: checkout_checkout's, line_count, line_quantity
ADDRESSES = "shopper_addresses"  # the address book: user_id and account_address's columns
ITEMS = {source: f"shopper_items_{source}" for source in SOURCES}
# every item: owner, product_id, variant_id, at, and its product's category path (CATEGORY_PATH)

# what a compiler reads instead (``Compiler.table`` and ``Compiler.own``)
NAMES = {"order_order": ORDERS, "checkout_checkout": CARTS, "addresses": ADDRESSES,
         **{f"items_{source}": name for source, name in ITEMS.items()}}


def _columns(table: str, alias: str) -> str:
    return ", ".join(f"{alias}.{column}" for column in SALEOR_TABLES[table].columns)


def shopper_rows(subject: str, shopper: Fragment) -> Fragment:
    """``WITH`` and the expressions of ``subject``'s rows (``shopper``: its id, cast). A
    visitor is their checkout: its cart and its views; a customer has all of them."""
    visitor = subject == "visitor"
    path, by_variant = category_path("v.product_id")
    item_path, by_item = category_path("x.product_id")
    expressions = {
        CARTS: sql("SELECT {columns}, (SELECT count(*) FROM checkout_checkoutline l "
                   "WHERE l.checkout_id = ca.token) AS line_count, (SELECT COALESCE(sum("
                   "l.quantity), 0) FROM checkout_checkoutline l WHERE l.checkout_id = ca.token) "
                   "AS line_quantity FROM checkout_checkout ca WHERE ca.{key} = {shopper}",
                   columns=_columns("checkout_checkout", "ca"),
                   key="token" if visitor else "user_id", shopper=shopper),
        ITEMS["cart"]: sql("SELECT ca.token, ca.user_id, ca.channel_id, ca.last_change AS at, "
                           "v.product_id, l.variant_id, {} FROM {} ca "
                           "JOIN checkout_checkoutline l ON l.checkout_id = ca.token "
                           "LEFT JOIN product_productvariant v ON v.id = l.variant_id {}",
                           path, CARTS, by_variant),
        ITEMS["viewed"]: sql("SELECT x.{owner} AS owner, x.channel_id, x.viewed_at AS at, "
                             "x.product_id, x.variant_id, {path} FROM "
                             "saleor_segments_productview x {joins} WHERE x.{owner} = {shopper}",
                             owner="checkout_token" if visitor else "customer_id",
                             path=item_path, joins=by_item, shopper=shopper),
    }
    if not visitor:
        expressions |= {
            ORDERS: sql("SELECT {} FROM order_order o WHERE o.user_id = {}",
                        _columns("order_order", "o"), shopper),
            ITEMS["ordered"]: sql(
                "SELECT o.user_id AS owner, o.channel_id, o.status, o.created_at AS at, "
                "v.product_id, ol.variant_id, {} FROM {} o "
                "JOIN order_orderline ol ON ol.order_id = o.id "
                "LEFT JOIN product_productvariant v ON v.id = ol.variant_id {}",
                path, ORDERS, by_variant),
            ADDRESSES: sql("SELECT ua.user_id, {} FROM account_user_addresses ua "
                           "JOIN account_address a ON a.id = ua.address_id WHERE ua.user_id = {}",
                           _columns("account_address", "a"), shopper),
            ITEMS["wishlist"]: sql(
                "SELECT x.customer_id AS owner, x.added_at AS at, x.product_id, x.variant_id, "
                "{} FROM saleor_segments_wishlistitem x {} WHERE x.customer_id = {}",
                item_path, by_item, shopper),
        }
    return sql("WITH {} ", join(", ", [sql("{} AS MATERIALIZED ({})", name, query)
                                       for name, query in expressions.items()]))
