"""Sales: number of orders, total or average amount, purchased quantity, filtered by a period
and by order sub-conditions (status, amount, billing/shipping address, products)."""

from dataclasses import dataclass
from decimal import Decimal

from ..tables import ORDER_STATUSES
from .address import AddressContainer
from .ast import Group
from .base import Condition, Event, FieldCondition, Scope, cmp_json
from .operators import Comparison
from .products import ItemsCondition, Period, line_item
from .registry import register
from .values import BOOLEAN, INTEGER, NUMBER, ChoiceType

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
    def parse(cls, r):
        measure = r.get("measure", tuple(MEASURES))
        cmp = r.comparison(MEASURES[measure]) if measure else None
        period = Period.parse(r)
        match = r.parse_group()
        return cls(measure, cmp, period, match) if measure and cmp and match else None

    def params_json(self):
        data = {"measure": self.measure, **cmp_json(self.cmp)}
        if self.period:
            data["period"] = self.period.to_json()
        return data

    def event_set(self):
        extra = {Event.TIME} if self.period and self.period.last_days is not None else set()
        return super().event_set() | extra

    @property
    def zero(self):
        return None if self.measure == "average" else Decimal(0)

    def to_sql(self, c, alias):
        o = c.alias("o")
        inner, inner_params = c.group(self.match, o)
        period, period_params = self.period.sql(f"{o}.created_at") if self.period else ("TRUE", [])
        tables = f"FROM order_order {o}"
        agg = {"count": "count(*)", "total": f"sum({o}.total_gross_amount)",
               "average": f"avg({o}.total_gross_amount)", "quantity": f"sum({o}l.quantity)"}
        if self.measure == "quantity":
            tables += f" JOIN order_orderline {o}l ON {o}l.order_id = {o}.id"
        source = (f"{tables} WHERE {o}.channel_id = %s AND {o}.status <> 'draft' AND {period} "
                  f"AND {inner}")
        return c.aggregate(outer=f"{alias}.id", key=f"{o}.user_id", source=source,
                           params=[c.channel_id] + period_params + inner_params,
                           agg=agg[self.measure], zero=self.zero, cmp=self.cmp)

    def evaluate(self, e, row):
        orders = [o for o in e.snap.by("order_order", "user_id").get(row["id"], [])
                  if o["channel_id"] == e.channel_id and o["status"] != "draft"
                  and (not self.period or self.period.contains(o["created_at"], e.now))
                  and e.group(self.match, o)]
        if self.measure == "count":
            value = len(orders)
        elif self.measure == "quantity":
            value = sum(line["quantity"] for o in orders
                        for line in e.snap.by("order_orderline", "order_id").get(o["id"], []))
        elif self.measure == "total":
            value = sum((o["total_gross_amount"] for o in orders), Decimal(0))
        else:
            value = (sum(o["total_gross_amount"] for o in orders) / len(orders)) if orders else None
        return self.cmp.matches(value, e.now)


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

    def to_sql(self, c, alias):
        return self.cmp.sql(f"{alias}.{self.COLUMNS[self.field]}")

    def evaluate(self, e, order):
        return self.cmp.matches(order[self.COLUMNS[self.field]], e.now)


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

    def to_sql(self, c, alias):
        a = c.alias("a")
        exists = c.related(f"{alias}.{self.address}_address_id", f"{a}.id",
                           f"FROM account_address {a} WHERE TRUE", [], per_row=True)
        return exists(*c.group(self.match, a))

    def evaluate(self, e, order):
        address = e.snap.one("account_address", "id", order[f"{self.address}_address_id"])
        return bool(address) and e.group(self.match, address)


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

    @classmethod
    def parse(cls, r):
        found = r.get("found", BOOLEAN, default=True)
        match = r.parse_group()
        return cls(found, match) if found is not None and match else None

    def params_json(self):
        return {"found": self.found}

    def items_sql(self, c, alias):
        return ("(SELECT ol.order_id AS owner, v.product_id, ol.variant_id, NULL::timestamptz "
                "AS at FROM order_orderline ol LEFT JOIN product_productvariant v "
                "ON v.id = ol.variant_id)"), [], f"{alias}.id"

    def items(self, e, order):
        return [line_item(e, line["variant_id"], None)
                for line in e.snap.by("order_orderline", "order_id").get(order["id"], [])]
