"""Customer address: sub-conditions that one address of the customer must meet together."""

from dataclasses import dataclass

from .ast import Group
from .base import Condition, Event, FieldCondition, Scope
from .operators import Comparison
from .registry import register
from .values import COUNTRY, STRING

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

    def to_sql(self, c, alias):
        return self.cmp.sql(f"{alias}.{self.field}")

    def observed_sql(self, c, alias):
        return f"{alias}.{self.field}", []

    def evaluate(self, e, row):
        return self.cmp.matches(row[self.field], e.now)


class AddressContainer(Condition):
    """Base of containers whose sub-conditions one address must meet together."""

    children_scope = Scope.ADDRESS
    which: tuple = ()
    default_which = None

    @classmethod
    def parse(cls, r):
        which = r.get("address", cls.which, **({"default": cls.default_which}
                                                 if cls.default_which else {}))
        match = r.parse_group()
        return cls(which, match) if which and match else None

    def params_json(self):
        return {"address": self.address}

    @classmethod
    def describe(cls):
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

    def to_sql(self, c, alias):
        a, outer, key, source = self._addresses(c, alias)
        return c.related(outer, key, source, [])(*c.group(self.match, a))

    def observed_child_sql(self, c, alias, child) -> tuple[str, list] | None:
        """For explain: what ``child`` compares on each of the customer's addresses (a list,
        in address order), or None when the child compares no single value."""
        a, outer, key, source = self._addresses(c, alias)
        observed = child.observed_sql(c, a) if isinstance(child, Condition) else None
        if observed is None:
            return None
        return (f"(SELECT array_agg({observed[0]} ORDER BY {a}.id) {source} AND {key} = "
                f"{outer})"), observed[1]

    def _addresses(self, c, alias) -> tuple[str, str, str, str]:
        """(address alias, shopper-side column, address-side key, ``FROM ... WHERE ...``)."""
        a = c.alias("a")
        if self.address == "any":
            return (a, f"{alias}.id", f"{a}ua.user_id",
                    f"FROM account_user_addresses {a}ua JOIN account_address {a} "
                    f"ON {a}.id = {a}ua.address_id WHERE TRUE")
        return (a, f"{alias}.{self.address}_address_id", f"{a}.id",
                f"FROM account_address {a} WHERE TRUE")

    def evaluate(self, e, row):
        if self.address == "any":
            ids = [link["address_id"] for link in
                   e.snap.by("account_user_addresses", "user_id").get(row["id"], [])]
        else:
            ids = [row[f"{self.address}_address_id"]]
        addresses = [e.snap.one("account_address", "id", pk) for pk in ids if pk]
        return any(e.group(self.match, a) for a in addresses if a)
