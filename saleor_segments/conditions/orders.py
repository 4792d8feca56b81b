"""Sales: number of orders, total or average amount, purchased quantity, filtered by a period
and by order sub-conditions (status, amount, billing/shipping address, products)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .address import AddressContainer
from .ast import Group
from .base import ANY_AGE, Condition, Event, FieldCondition, Reader, Scope, Window, cmp_json
from .operators import Comparison
from .products import DATED_ROWS, ItemsCondition, Period, category_path
from .registry import register
from .saleor_tables import ORDER_STATUSES
from .sql import TRUE, Fragment, sql, value
from .values import BOOLEAN, INTEGER, NUMBER, ChoiceType

if TYPE_CHECKING:  # pragma: no cover
    from ..evaluation.compile import Compiler

MEASURES = {"count": INTEGER, "total": NUMBER, "average": NUMBER, "quantity": INTEGER}
STATUSES = tuple(s for s in ORDER_STATUSES if s != "draft")  # drafts never count


@register
@dataclass(frozen=True)
class Orders(Condition):
    kind = "orders"
    label = "Order history"
    group = "sales"
    events = frozenset({Event.ORDER})
    children_scope = Scope.ORDER
    fields = MEASURES
    measure: str
    cmp: Comparison
    period: Period | None
    match: Group

    @classmethod
    def parse(cls, r: Reader) -> Condition | None:
        measure = r.get("measure", tuple(MEASURES))
        cmp = r.comparison(MEASURES[measure]) if measure else None
        period = Period.parse(r)
        match = r.parse_group()
        return cls(measure, cmp, period, match) if measure and cmp and match else None

    def params_json(self) -> dict[str, Any]:
        data = {"measure": self.measure, **cmp_json(self.cmp)}
        if self.period:
            data["period"] = self.period.to_json()
        return data

    def event_set(self) -> set[Event]:
        extra = {Event.TIME} if self.period and self.period.last_days is not None else set()
        return super().event_set() | extra

    def windows(self) -> tuple[Window, ...] | None:
        if self.period is None:
            return ()
        return self.period.windows(lambda subject: Fragment(DATED_ROWS["ordered"][subject]))

    def orders_since(self, now: dt.datetime) -> dt.datetime | None:
        """Its period's start: every order it (and every condition inside it) reads."""
        return self.period.since(now) if self.period else ANY_AGE

    @property
    def zero(self) -> Decimal | None:
        return None if self.measure == "average" else Decimal(0)

    def to_sql(self, c: Compiler, alias: str) -> Fragment:
        o = c.alias("o")
        inner = c.group(self.match, o)
        period = self.period.sql(f"{o}.created_at") if self.period else TRUE
        tables = f"FROM {c.table('order_order')} {o}"
        agg = {"count": "count(*)", "total": f"sum({o}.total_gross_amount)",
               "average": f"avg({o}.total_gross_amount)", "quantity": f"sum({o}l.quantity)"}
        if self.measure == "quantity":
            tables += f" JOIN order_orderline {o}l ON {o}l.order_id = {o}.id"
        source = sql("{tables} WHERE {o}.channel_id = {channel} AND {o}.status <> 'draft' AND "
                     "{period} AND {inner}", tables=tables, o=o, channel=value(c.channel_id),
                     period=period, inner=inner)
        return c.aggregate(outer=f"{alias}.id", key=f"{o}.user_id", source=source,
                           agg=agg[self.measure], zero=self.zero, cmp=self.cmp)


@register
@dataclass(frozen=True)
class OrderField(FieldCondition):
    kind = "order.field"
    label = "Order"
    group = "sales"
    scope = Scope.ORDER
    registered_only = False
    fields = {"status": ChoiceType(STATUSES, name="order_status"), "total": NUMBER,
              "subtotal": NUMBER}
    COLUMNS = {"status": "status", "total": "total_gross_amount",
               "subtotal": "subtotal_gross_amount"}
    field: str
    cmp: Comparison

    def to_sql(self, c: Compiler, alias: str) -> Fragment:
        return self.cmp.sql(f"{alias}.{self.COLUMNS[self.field]}")


@register
@dataclass(frozen=True)
class OrderAddress(AddressContainer):
    kind = "order.address"
    label = "Order billing/shipping address"
    group = "sales"
    scope = Scope.ORDER
    registered_only = False
    which = ("billing", "shipping")
    address: str
    match: Group

    def to_sql(self, c: Compiler, alias: str) -> Fragment:
        a = c.alias("a")
        exists = c.related(f"{alias}.{self.address}_address_id", f"{a}.id",
                           sql("FROM account_address {} WHERE TRUE", a), per_row=True)
        return exists(c.group(self.match, a))


@register
@dataclass(frozen=True)
class OrderProducts(ItemsCondition):
    """Products found (or not) among the lines of the order."""

    kind = "order.products"
    label = "Products in the order"
    group = "sales"
    scope = Scope.ORDER
    registered_only = False
    found: bool
    match: Group
    period = None
    source = "ordered"  # the items it reads (an order's lines), as ``Products.source``

    @classmethod
    def parse(cls, r: Reader) -> Condition | None:
        found = r.get("found", BOOLEAN, default=True)
        match = r.parse_group()
        return cls(found, match) if found is not None and match else None

    def params_json(self) -> dict[str, Any]:
        return {"found": self.found}

    def items_sql(self, c: Compiler, alias: str) -> tuple[Fragment, str]:
        path = joins = ""
        if c.own_rows:  # as the shopper's other items: with their category path
            column, joins = category_path("v.product_id")
            path = f", {column}"
        return sql("(SELECT ol.order_id AS owner, v.product_id, ol.variant_id, NULL::timestamptz "
                   "AS at{} FROM order_orderline ol LEFT JOIN product_productvariant v "
                   "ON v.id = ol.variant_id {})", path, joins), f"{alias}.id"
