"""Customer address: sub-conditions that one address of the customer must meet together."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .ast import Group
from .base import Condition, Event, FieldCondition, Reader, Scope
from .operators import Comparison
from .registry import register
from .sql import Fragment, sql
from .values import COUNTRY, STRING

if TYPE_CHECKING:  # pragma: no cover
    from ..evaluation.compile import Compiler

ADDRESS_FIELDS = {
    "first_name": STRING, "last_name": STRING, "company_name": STRING,
    "street_address_1": STRING, "street_address_2": STRING, "city": STRING,
    "city_area": STRING, "postal_code": STRING, "country": COUNTRY, "country_area": STRING,
    "phone": STRING,
}
WHICH = ("any", "default_billing", "default_shipping")


@register
@dataclass(frozen=True)
class AddressField(FieldCondition):
    kind = "address.field"
    label = "Address field"
    group = "address"
    scope = Scope.ADDRESS
    registered_only = False  # only reachable through registered-only containers
    fields = ADDRESS_FIELDS
    field: str
    cmp: Comparison

    def to_sql(self, c: Compiler, alias: str) -> Fragment:
        return self.cmp.sql(f"{alias}.{self.field}")

    def observed_sql(self, c: Compiler, alias: str) -> Fragment | None:
        return sql("{}.{}", alias, self.field)


class AddressContainer(Condition):
    """Base of containers whose sub-conditions one address must meet together."""

    children_scope = Scope.ADDRESS
    which: tuple = ()
    default_which: str | None = None
    address: str
    match: Group

    @classmethod
    def parse(cls, r: Reader) -> Condition | None:
        which = r.get("address", cls.which, **({"default": cls.default_which}
                                                 if cls.default_which else {}))
        match = r.parse_group()
        return cls(which, match) if which and match else None

    def params_json(self) -> dict[str, Any]:
        return {"address": self.address}

    @classmethod
    def describe(cls) -> dict[str, Any]:
        return {**super().describe(), "addresses": list(cls.which)}


@register
@dataclass(frozen=True)
class CustomerAddress(AddressContainer):
    """Any address of the address book, or only the default billing/shipping address."""

    kind = "address"
    label = "Customer address"
    group = "address"
    events = frozenset({Event.ADDRESS, Event.CUSTOMER})
    which = WHICH
    default_which = "any"
    address: str
    match: Group

    def to_sql(self, c: Compiler, alias: str) -> Fragment:
        a, outer, key, source = self._addresses(c, alias)
        return c.related(outer, key, source)(c.group(self.match, a))

    def observed_child_sql(self, c: Compiler, alias: str, child: Any) -> Fragment | None:
        """For explain: what ``child`` compares on each of the customer's addresses (a list,
        in address order), or None when the child compares no single value."""
        a, outer, key, source = self._addresses(c, alias)
        observed = child.observed_sql(c, a) if isinstance(child, Condition) else None
        if observed is None:
            return None
        return sql("(SELECT array_agg({} ORDER BY {a}.id) {} AND {} = {})",
                   observed, source, key, outer, a=a)

    def _addresses(self, c: Compiler, alias: str) -> tuple[str, str, str, Fragment]:
        """(address alias, shopper-side column, address-side key, ``FROM ... WHERE ...``)."""
        a = c.alias("a")
        if self.address == "any" and c.own_rows:  # the address book, read once (shopper_rows)
            return a, f"{alias}.id", f"{a}.user_id", sql("FROM {} {} WHERE TRUE", c.own("addresses"), a)
        if self.address == "any":
            return (a, f"{alias}.id", f"{a}ua.user_id",
                    sql("FROM account_user_addresses {a}ua JOIN account_address {a} "
                        "ON {a}.id = {a}ua.address_id WHERE TRUE", a=a))
        return (a, f"{alias}.{self.address}_address_id", f"{a}.id",
                sql("FROM account_address {} WHERE TRUE", a))
