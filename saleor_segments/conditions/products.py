"""Products found (or not) in the cart, the wishlist, the view history or past orders, with
product sub-conditions (product, variant, SKU, category, collection, type, attribute, price)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from .ast import Group
from .base import ANY_AGE, Condition, Event, Reader, Scope, Window, cmp_json
from .operators import NOW, Comparison, sql_any
from .registry import register
from .sql import TRUE, Fragment, join, sql, value
from .values import BOOLEAN, DATE, NUMBER, STRING, IdType, ValueType

if TYPE_CHECKING:  # pragma: no cover
    from ..evaluation.compile import Compiler, Exists

SOURCES = ("cart", "wishlist", "viewed", "ordered")
NOT_ORDERED = ["draft", "canceled", "expired"]  # statuses that do not count as "ordered"
DATED_ROWS = {  # source -> subject -> its items' owners and dates, by an indexed date
    "ordered": {"customer": "SELECT user_id AS shopper, created_at AS at FROM order_order"},
    "viewed": {"customer": "SELECT customer_id AS shopper, viewed_at AS at "
                           "FROM saleor_segments_productview",
               "visitor": "SELECT checkout_token AS shopper, viewed_at AS at "
                          "FROM saleor_segments_productview"},
    "wishlist": {"customer": "SELECT customer_id AS shopper, added_at AS at "
                             "FROM saleor_segments_wishlistitem"},
}


@dataclass(frozen=True)
class Period:
    """Either the last N days or a date range (UTC dates, both ends included)."""

    last_days: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    @classmethod
    def parse(cls, r: Reader, key: str = "period") -> Period | None:
        raw = r.data.get(key)
        if raw is None:
            return None
        if not isinstance(raw, dict) or not raw or set(raw) - {"last_days", "from", "to"} or (
                "last_days" in raw and len(raw) > 1):
            r.error(key, 'expected {"last_days": N} or {"from": date, "to": date}')
            return None
        sub = Reader(raw, f"{r.path}.{key}" if r.path else key, r.errors, r.context)
        if "last_days" in raw:
            days = sub.get("last_days", lambda v: _days(v))
            return cls(last_days=days) if days is not None else None
        start = sub.get("from", DATE, default=None)
        end = sub.get("to", DATE, default=None)
        if start and end and start > end:
            sub.error("to", "expected a date on or after 'from'")
            return None
        return cls(start=start, end=end)

    def to_json(self) -> dict[str, Any]:
        if self.last_days is not None:
            return {"last_days": self.last_days}
        return {k: v.isoformat() for k, v in (("from", self.start), ("to", self.end)) if v}

    def sql(self, at: str) -> Fragment:
        if self.last_days is not None:
            return sql("{} >= {}::timestamptz - make_interval(days => {})",
                       at, value(NOW), value(self.last_days))
        parts = [TRUE]
        for day, op in ((self.start, ">="), (self.end, "<=")):
            if day:
                parts.append(sql("({} AT TIME ZONE 'UTC')::date {} {}::date", at, op, value(day)))
        return join(" AND ", parts)


    def windows(self, rows: Callable[[str], Fragment]) -> tuple[Window, ...]:
        """The moving window over ``rows`` (a date range does not move)."""
        return (Window(self.last_days, rows=rows),) if self.last_days is not None else ()

    def since(self, now: dt.datetime) -> dt.datetime:
        """The oldest ``at`` the period takes in when evaluated at ``now`` (a day early for
        "last N days": the SQL subtracts days in the session's time zone)."""
        if self.last_days is not None:
            return now - dt.timedelta(days=self.last_days + 1)
        if self.start is not None:
            return dt.datetime.combine(self.start, dt.time.min, dt.UTC)
        return ANY_AGE


def _days(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 36500:
        raise ValueError("expected a number of days (0 to 36500)")
    return value


# the column of a one-shopper check's items (``shopper_rows``) holding the ids of the item's
# product's category and of the categories above it
CATEGORY_PATH = "category_path"


def category_path(product: str) -> tuple[str, str]:
    """(the ``CATEGORY_PATH`` column, the joins that find it) for the product id ``product``:
    the ids of its category and of every category above it, looked up once per item by the
    tree's (tree_id, lft) index (none for a product without a category)."""
    columns = ("ARRAY(SELECT anc.id FROM product_category anc WHERE anc.tree_id = spc.tree_id "
               f"AND anc.lft <= spc.lft AND anc.rght >= spc.rght) AS {CATEGORY_PATH}")
    joins = (f"LEFT JOIN product_product sp ON sp.id = {product} "
             f"LEFT JOIN product_category spc ON spc.id = sp.category_id")
    return columns, joins


def item_variants(c: Compiler, item: str, source: Fragment) -> Exists:
    """``exists`` over the variants an item stands for: its own, or for a product-level item
    (a view, a wishlist entry) all of its product's. ``source`` selects from
    product_productvariant ``pv``."""
    by_variant = c.related(f"{item}.variant_id", "pv.id", source)
    by_product = c.related(f"{item}.product_id", "pv.product_id", source)

    def exists(condition: Fragment = TRUE) -> Fragment:
        return sql("({} OR ({}.variant_id IS NULL AND {}))",
                   by_variant(condition), item, by_product(condition))

    return exists


def product_rows(c: Compiler, item: str, key: str, source: Fragment) -> Exists:
    """``exists`` over rows keyed by the item's product id."""
    return c.related(f"{item}.product_id", key, source)


class ItemsCondition(Condition):
    """Base of containers over product items: EXISTS an item meeting the sub-conditions."""

    children_scope = Scope.ITEM
    source: str  # whose items: "ordered", "cart", "viewed" or "wishlist" (SOURCES)
    found: bool
    period: Period | None
    match: Group

    def items_sql(self, c: Compiler, alias: str) -> tuple[Fragment, str]:
        """(derived table of items with owner, product_id, variant_id, at; the outer
        expression that ``owner`` matches)."""
        raise NotImplementedError

    def to_sql(self, c: Compiler, alias: str) -> Fragment:
        i = c.alias("i")
        items, outer = self.items_sql(c, alias)
        period = self.period.sql(f"{i}.at") if self.period else TRUE
        exists = c.related(outer, f"{i}.owner", sql("FROM {} {} WHERE {}", items, i, period),
                           per_row=self.scope != Scope.SHOPPER)
        found = exists(c.group(self.match, i))
        return found if self.found else sql("NOT {}", found)


@register
@dataclass(frozen=True)
class Products(ItemsCondition):
    kind = "products"
    label = "Products in cart, wishlist, viewed or ordered"
    group = "products"
    source: str
    found: bool
    period: Period | None
    match: Group

    @property
    def registered_only(self) -> bool:  # type: ignore[override]  # per source, not per kind
        return self.source in ("wishlist", "ordered")

    @classmethod
    def parse(cls, r: Reader) -> Condition | None:
        source = r.get("source", SOURCES)
        found = r.get("found", BOOLEAN, default=True)
        period = Period.parse(r)
        if source == "cart" and period:
            r.error("period", "a cart has no period: leave it out")
        match = r.parse_group()
        if None in (source, found, match):
            return None
        return cls(source, found, period, match)

    def params_json(self) -> dict[str, Any]:
        data = {"source": self.source, "found": self.found}
        if self.period:
            data["period"] = self.period.to_json()
        return data

    def event_set(self) -> set[Event]:
        events = {"cart": Event.CHECKOUT, "wishlist": Event.ACTIVITY, "viewed": Event.ACTIVITY,
                  "ordered": Event.ORDER}
        extra = {Event.TIME} if self.period and self.period.last_days is not None else set()
        return {events[self.source]} | extra

    def windows(self) -> tuple[Window, ...] | None:
        if self.period is None or self.source == "cart":
            return ()
        return self.period.windows(lambda subject: Fragment(DATED_ROWS[self.source][subject]))

    def orders_since(self, now: dt.datetime) -> dt.datetime | None:
        if self.source != "ordered":
            return None
        return self.period.since(now) if self.period else ANY_AGE

    @classmethod
    def describe(cls) -> dict[str, Any]:
        return {**super().describe(), "registeredOnly": False, "sources": list(SOURCES),
                "registeredOnlySources": ["wishlist", "ordered"]}

    def items_sql(self, c: Compiler, alias: str) -> tuple[Fragment, str]:
        outer = c.shopper(alias)
        if c.own_rows:
            return self._own_items_sql(c), outer
        if self.source == "cart":
            carts = c.carts()
            return sql("(SELECT {key} AS owner, v.product_id, l.variant_id, {ca}.last_change AS at "
                       "{tables} JOIN checkout_checkoutline l ON l.checkout_id = {ca}.token "
                       "LEFT JOIN product_productvariant v ON v.id = l.variant_id WHERE {where})",
                       key=carts.key, ca=carts.alias, tables=carts.tables, where=carts.where
                       ), outer
        if self.source == "wishlist":
            return sql("(SELECT w.customer_id AS owner, w.product_id, w.variant_id, w.added_at "
                       "AS at FROM saleor_segments_wishlistitem w)"), outer
        if self.source == "viewed":
            owner = "pv.checkout_token" if c.subject == "visitor" else "pv.customer_id"
            return sql("(SELECT {} AS owner, pv.product_id, pv.variant_id, pv.viewed_at AS at "
                       "FROM saleor_segments_productview pv WHERE pv.channel_id = {})",
                       owner, value(c.channel_id)), outer
        return sql("(SELECT o.user_id AS owner, v.product_id, ol.variant_id, o.created_at AS at "
                   "FROM order_order o JOIN order_orderline ol ON ol.order_id = o.id LEFT JOIN "
                   "product_productvariant v ON v.id = ol.variant_id WHERE o.channel_id = {} "
                   "AND o.status <> ALL({}))", value(c.channel_id), value(NOT_ORDERED)), outer

    def _own_items_sql(self, c: Compiler) -> Fragment:
        """The shopper's items of the source, read once by the check (``shopper_rows``), with
        the filters the tables' form applies."""
        items = c.own(f"items_{self.source}")
        if self.source == "cart":
            carts = c.carts()
            return sql("(SELECT {key} AS owner, {ca}.product_id, {ca}.variant_id, {ca}.at, {pos} "
                       "FROM {items} {ca} WHERE {where})", key=carts.key, ca=carts.alias,
                       pos=f"{carts.alias}.{CATEGORY_PATH}", items=items,
                       where=carts.where)
        if self.source == "ordered":
            return sql("(SELECT * FROM {} WHERE channel_id = {} AND status <> ALL({}))", items,
                       value(c.channel_id), value(NOT_ORDERED))
        if self.source == "viewed":
            return sql("(SELECT * FROM {} WHERE channel_id = {})", items, value(c.channel_id))
        return Fragment(items)


# --- product sub-conditions (scope: item) -------------------------------------------------


class ItemCondition(Condition):
    scope = Scope.ITEM
    group = "products"
    registered_only = False
    vtype: ClassVar[ValueType]
    cmp: Comparison

    @classmethod
    def parse(cls, r: Reader) -> Condition | None:
        cmp = r.comparison(cls.vtype)
        return cls(cmp) if cmp else None

    def params_json(self) -> dict[str, Any]:
        return cmp_json(self.cmp)

    @classmethod
    def describe(cls) -> dict[str, Any]:
        return {**super().describe(), "fields": {"value": {**cls.vtype.describe(), "operators": [
            {"name": op} for op in cls.vtype.operators]}}}


class ItemColumn(ItemCondition):
    """A comparison on one column of the item itself."""

    column = ""

    def to_sql(self, c: Compiler, alias: str) -> Fragment:
        return self.cmp.sql(f"{alias}.{self.column}")


@register
@dataclass(frozen=True)
class ProductIs(ItemColumn):
    kind = "product.product"
    label = "Product"
    vtype = IdType("Product")
    column = "product_id"
    cmp: Comparison


@register
@dataclass(frozen=True)
class VariantIs(ItemColumn):
    kind = "product.variant"
    label = "Product variant"
    vtype = IdType("ProductVariant")
    column = "variant_id"
    cmp: Comparison


@register
@dataclass(frozen=True)
class Sku(ItemCondition):
    kind = "product.sku"
    label = "SKU"
    vtype = STRING
    cmp: Comparison

    def to_sql(self, c: Compiler, alias: str) -> Fragment:
        return sql_any(self.cmp, item_variants(c, alias, sql("FROM product_productvariant pv "
                                                             "WHERE TRUE")), "pv.sku")


@register
@dataclass(frozen=True)
class CategoryIs(ItemCondition):
    """The product's category, or (by default) any category above it in the tree."""

    kind = "product.category"
    label = "Category"
    vtype = IdType("Category")
    cmp: Comparison
    include_descendants: bool = True

    @classmethod
    def parse(cls, r: Reader) -> Condition | None:
        cmp = r.comparison(cls.vtype)
        descendants = r.get("include_descendants", BOOLEAN, default=True)
        return cls(cmp, descendants) if cmp and descendants is not None else None

    def params_json(self) -> dict[str, Any]:
        return {**cmp_json(self.cmp), "include_descendants": self.include_descendants}

    def to_sql(self, c: Compiler, alias: str) -> Fragment:
        if self.include_descendants and c.own_rows:
            return self._on_path(alias)
        if not self.include_descendants:
            source = sql("FROM product_product p JOIN product_category pc "
                         "ON pc.id = p.category_id WHERE TRUE")
            return sql_any(self.cmp, product_rows(c, alias, "p.id", source), "pc.id")

        def exists(condition: Fragment) -> Fragment:
            # the subtree's category ids as one array, computed once (an InitPlan): joined
            # per product, PostgreSQL misestimates the lft/rght self-join by orders of
            # magnitude and walks millions of order lines by index (4x slower at 1M customers)
            source = sql("FROM product_product p WHERE p.category_id = ANY(ARRAY("
                         "SELECT pc.id FROM product_category pc JOIN product_category anc "
                         "ON anc.tree_id = pc.tree_id AND anc.lft <= pc.lft "
                         "AND anc.rght >= pc.rght WHERE {}))", condition)
            return product_rows(c, alias, "p.id", source)()

        return sql_any(self.cmp, exists, "anc.id")

    def _on_path(self, item: str) -> Fragment:
        """Some category at or above the item's product's category meets the comparison: the
        item carries their ids (``shopper_rows``), so "is" and "in" are an overlap of two
        arrays, with no look-up and no sub-plan; "undefined" looks among them."""
        positive = self.cmp.positive()
        if positive.operator in ("is", "in"):
            ids = list(positive.value) if positive.operator == "in" else [positive.value]
            met = sql("({}.{} && {}::integer[])", item, CATEGORY_PATH, value(ids))
            return sql("NOT {}", met) if self.cmp.negative else met
        return sql_any(self.cmp, lambda condition: sql(
            "EXISTS (SELECT 1 FROM unnest({}.{}) AS anc(id) WHERE {})", item, CATEGORY_PATH,
            condition), "anc.id")


@register
@dataclass(frozen=True)
class CollectionIs(ItemCondition):
    kind = "product.collection"
    label = "Collection"
    vtype = IdType("Collection")
    cmp: Comparison

    def to_sql(self, c: Compiler, alias: str) -> Fragment:
        exists = product_rows(c, alias, "cp.product_id",
                              sql("FROM product_collectionproduct cp WHERE TRUE"))
        return sql_any(self.cmp, exists, "cp.collection_id")


@register
@dataclass(frozen=True)
class ProductTypeIs(ItemCondition):
    kind = "product.product_type"
    label = "Product type"
    vtype = IdType("ProductType")
    cmp: Comparison

    def to_sql(self, c: Compiler, alias: str) -> Fragment:
        exists = product_rows(c, alias, "p.id", sql("FROM product_product p WHERE TRUE"))
        return sql_any(self.cmp, exists, "p.product_type_id")


@register
@dataclass(frozen=True)
class ProductAttribute(ItemCondition):
    """A product or variant attribute value, by name (e.g. color is "Red")."""

    kind = "product.attribute"
    label = "Product attribute"
    vtype = STRING
    attribute: str
    cmp: Comparison

    @classmethod
    def parse(cls, r: Reader) -> Condition | None:
        attribute = r.get("attribute", STRING)
        cmp = r.comparison(cls.vtype)
        return cls(attribute, cmp) if attribute and cmp else None

    def params_json(self) -> dict[str, Any]:
        return {"attribute": self.attribute, **cmp_json(self.cmp)}

    def to_sql(self, c: Compiler, alias: str) -> Fragment:
        values = sql("JOIN attribute_attributevalue av ON av.id = x.value_id JOIN "
                     "attribute_attribute a ON a.id = av.attribute_id WHERE a.slug = {}",
                     value(self.attribute))
        on_product = product_rows(c, alias, "x.product_id", sql(
            "FROM attribute_assignedproductattributevalue x {}", values))
        on_variant = item_variants(c, alias, sql(
            "FROM product_productvariant pv JOIN attribute_assignedvariantattributevalue x "
            "ON x.variant_id = pv.id {}", values))

        def exists(condition: Fragment = TRUE) -> Fragment:
            return sql("({} OR {})", on_product(condition), on_variant(condition))

        return sql_any(self.cmp, exists, "av.name")


@register
@dataclass(frozen=True)
class ProductPrice(ItemCondition):
    """The variant's price in the segment's channel (any variant, for product-level items)."""

    kind = "product.price"
    label = "Price"
    vtype = NUMBER
    cmp: Comparison

    def to_sql(self, c: Compiler, alias: str) -> Fragment:
        exists = item_variants(c, alias, sql(
            "FROM product_productvariant pv JOIN product_productvariantchannellisting vcl "
            "ON vcl.variant_id = pv.id WHERE vcl.channel_id = {}", value(c.channel_id)))
        return sql_any(self.cmp, exists, "vcl.price_amount")
