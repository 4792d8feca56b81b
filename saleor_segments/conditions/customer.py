"""Conditions on the customer's account: fields, attributes, metadata, gift card balance."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from .base import Condition, Event, FieldCondition, Reader, Window, cmp_json
from .operators import NOW, Comparison, sql_any
from .registry import register
from .sql import Fragment, sql, value
from .values import BOOLEAN, DATE, DECLARABLE_TYPES, INTEGER, NUMBER, STRING, IdType

if TYPE_CHECKING:  # pragma: no cover
    from ..evaluation.compile import Compiler

TIMESTAMP_FIELDS = {"date_joined", "last_login"}


@register
@dataclass(frozen=True)
class CustomerField(FieldCondition):
    kind = "customer.field"
    label = "Customer"
    group = "customer"
    events = frozenset({Event.CUSTOMER})
    fields = {
        "email": STRING, "first_name": STRING, "last_name": STRING, "is_active": BOOLEAN,
        "is_confirmed": BOOLEAN, "date_joined": DATE, "last_login": DATE,
        "language_code": STRING, "customer_type": IdType("CustomerType"),
        "number_of_orders": INTEGER,
    }
    field: str
    cmp: Comparison

    @property
    def column(self) -> str:
        return "customer_type_id" if self.field == "customer_type" else self.field

    def event_set(self) -> set[Event]:
        extra = {Event.ORDER} if self.field == "number_of_orders" else set()
        return super().event_set() | extra

    def to_sql(self, c: Compiler, alias: str) -> Fragment:
        return self.cmp.sql(f"{alias}.{self.column}", timestamp=self.field in TIMESTAMP_FIELDS)

    def windows(self) -> tuple[Window, ...] | None:
        if not self.cmp.time_dependent:
            return ()
        if self.field == "date_joined":  # Saleor indexes it (user_date_joined_idx)
            return (Window(self.cmp.value, rows=lambda subject: Fragment(
                "SELECT id AS shopper, date_joined AS at FROM account_user")),)
        return (Window(self.cmp.value, daily=self.field not in TIMESTAMP_FIELDS),)

    def observed_sql(self, c: Compiler, alias: str) -> Fragment | None:
        return sql("{}.{}", alias, self.column)


class DeclaredFieldCondition(Condition):
    """Base of kinds whose key and type the merchant declares ("use in customer segment")."""

    source_name = ""
    key_name: ClassVar[str]
    source: str
    key: str
    cmp: Comparison

    @classmethod
    def parse(cls, r: Reader) -> Condition | None:
        key = r.get(cls.key_name, STRING)
        type_name = r.get("type", tuple(DECLARABLE_TYPES))
        source = cls.source_name or r.get("source", ("metadata", "private_metadata"),
                                          default="metadata")
        if key is None or type_name is None or source is None:
            return None
        declared = r.context.declared_fields
        if declared is not None:
            declared_type = declared.get((source, key))
            if declared_type is None:
                r.error(cls.key_name, f"{key!r} is not declared for use in customer segments",
                        "unknown_field")
                return None
            if declared_type != type_name:
                r.error("type", f"{key!r} is declared as {declared_type}", "invalid_value")
                return None
        cmp = r.comparison(DECLARABLE_TYPES[type_name])
        return cls(source, key, cmp) if cmp else None

    def windows(self) -> tuple[Window, ...] | None:
        """A date "in the last N days" moves with the UTC date; its values (JSON, or shared
        attribute values) cannot be range-scanned."""
        return (Window(self.cmp.value, daily=True),) if self.cmp.time_dependent else ()

    def params_json(self) -> dict[str, Any]:
        data = {self.key_name: self.key, "type": self.cmp.type.name, **cmp_json(self.cmp)}
        if not self.source_name:
            data["source"] = self.source
        return data


@register
@dataclass(frozen=True)
class CustomerAttribute(DeclaredFieldCondition):
    """A Saleor customer attribute (multi-select attributes match if any value does)."""

    kind = "customer.attribute"
    label = "Customer attribute"
    group = "customer"
    events = frozenset({Event.CUSTOMER})
    key_name = "attribute"
    source_name = "attribute"
    COLUMNS = {"string": "name", "number": "numeric::numeric", "date": "date_time",
               "boolean": "boolean"}
    source: str
    key: str
    cmp: Comparison

    def to_sql(self, c: Compiler, alias: str) -> Fragment:
        av, source = self._values(c)
        exists = c.related(f"{alias}.id", f"{av}u.user_id", source)
        column = self.COLUMNS[self.cmp.type.name]
        return sql_any(self.cmp, exists, f"{av}.{column}", timestamp=self.cmp.type.name == "date")

    def observed_sql(self, c: Compiler, alias: str) -> Fragment | None:
        """The customer's values of the attribute (a list: multi-select attributes)."""
        av, source = self._values(c)
        return sql("(SELECT array_agg({av}.{column} ORDER BY {av}.id) {source} "
                   "AND {av}u.user_id = {alias}.id)", av=av, source=source, alias=alias,
                   column=self.COLUMNS[self.cmp.type.name])

    def _values(self, c: Compiler) -> tuple[str, Fragment]:
        av = c.alias("av")
        return av, sql("FROM attribute_assigneduserattributevalue {av}u "
                       "JOIN attribute_attributevalue {av} ON {av}.id = {av}u.value_id "
                       "JOIN attribute_attribute {av}a ON {av}a.id = {av}.attribute_id "
                       "WHERE {av}a.slug = {key}", av=av, key=value(self.key))


_NUMERIC = re.compile(r" *[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+) *")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MAX_NUMBER_LENGTH = 1000  # longer "numbers" are malformed (PostgreSQL's numeric may overflow)


def metadata_value(raw: Any, type_name: str) -> Any:
    """Python twin of the saleor_segments_to_* SQL functions (see migration 0006)."""
    if raw is None:
        return None
    raw = raw if isinstance(raw, str) else str(raw).lower() if isinstance(raw, bool) else str(raw)
    if type_name == "number":
        return (Decimal(raw.strip(" ")) if len(raw) <= MAX_NUMBER_LENGTH
                and _NUMERIC.fullmatch(raw) else None)
    if type_name == "date":
        try:
            return dt.date.fromisoformat(raw[:10]) if _DATE.match(raw) else None
        except ValueError:
            return None
    if type_name == "boolean":
        return {"true": True, "1": True, "yes": True, "false": False, "0": False,
                "no": False}.get(raw.strip(" ").lower())
    return raw


@register
@dataclass(frozen=True)
class CustomerMetadata(DeclaredFieldCondition):
    """A declared key of the customer's metadata or private metadata (gender, birthday, ...)."""

    kind = "customer.metadata"
    label = "Customer metadata"
    group = "customer"
    events = frozenset({Event.CUSTOMER})
    key_name = "key"
    CASTS = {"number": "saleor_segments_to_numeric", "date": "saleor_segments_to_date",
             "boolean": "saleor_segments_to_boolean"}
    source: str
    key: str
    cmp: Comparison

    def to_sql(self, c: Compiler, alias: str) -> Fragment:
        expr = sql("({}.{} ->> {})", alias, self.source, value(self.key))
        cast = self.CASTS.get(self.cmp.type.name)
        if cast:
            expr = sql("{}{}", cast, expr)
        return self.cmp.sql(expr)  # the key's parameter goes wherever the expression does


@register
@dataclass(frozen=True)
class GiftCardBalance(Condition):
    """Store credit: the balance of the customer's active, unexpired gift cards."""

    kind = "customer.gift_card_balance"
    label = "Gift card balance"
    group = "customer"
    events = frozenset({Event.CUSTOMER, Event.CHECKOUT, Event.ORDER, Event.TIME})
    fields = {"value": NUMBER}
    cmp: Comparison

    @classmethod
    def parse(cls, r: Reader) -> Condition | None:
        cmp = r.comparison(NUMBER)
        return cls(cmp) if cmp else None

    def params_json(self) -> dict[str, Any]:
        return cmp_json(self.cmp)

    def windows(self) -> tuple[Window, ...] | None:
        """Cards stop counting the day after their expiry date."""
        return (Window(0, daily=True, rows=lambda subject: Fragment(
            "SELECT COALESCE(assigned_to_id, used_by_id) AS shopper, expiry_date AS at "
            "FROM giftcard_giftcard")),)

    def to_sql(self, c: Compiler, alias: str) -> Fragment:
        g = c.alias("gc")
        owner = f"COALESCE({g}.assigned_to_id, {g}.used_by_id)"
        source = sql("FROM giftcard_giftcard {g} WHERE {g}.is_active AND ({g}.expiry_date IS NULL "
                     "OR {g}.expiry_date >= ({now}::timestamptz AT TIME ZONE 'UTC')::date) AND "
                     "{g}.currency = (SELECT currency_code FROM channel_channel WHERE id = "
                     "{channel})", g=g, now=value(NOW), channel=value(c.channel_id))
        return c.aggregate(outer=f"{alias}.id", key=owner, source=source,
                           agg=f"sum({g}.current_balance_amount)", zero=Decimal(0), cmp=self.cmp)
