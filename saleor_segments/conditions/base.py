"""The base class every condition kind extends, and the reader that parses its JSON."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar

from .errors import ConditionError, ConditionErrorCode, join_path
from .operators import OPERATOR_LABELS, Comparison
from .sql import Fragment
from .values import ValueType

if TYPE_CHECKING:  # pragma: no cover
    from ..evaluation.compile import Compiler


class Scope(str, Enum):
    """What a condition is evaluated against: the shopper, or a row a container opens."""

    SHOPPER = "shopper"  # the customer (or, for visitors, their checkout)
    ADDRESS = "address"
    ITEM = "item"  # a product in a cart, wishlist, view history or order
    ORDER = "order"


class Event(str, Enum):
    """Kinds of shopper events that can change a condition's result."""

    CUSTOMER = "customer"
    ADDRESS = "address"
    CHECKOUT = "checkout"
    ORDER = "order"
    ACTIVITY = "activity"  # product views, wishlist
    TIME = "time"  # time windows age out on their own
    SEGMENT = "segment"  # another segment's membership


# ``Condition.orders_since`` of a kind that reads a shopper's orders whatever their age
ANY_AGE = dt.datetime(1, 1, 1, tzinfo=dt.UTC)


class ApplyTo(str, Enum):
    VISITORS_AND_CUSTOMERS = "visitors_and_customers"
    CUSTOMERS = "customers"
    VISITORS = "visitors"

    @property
    def subjects(self) -> frozenset[str]:
        return {
            ApplyTo.VISITORS_AND_CUSTOMERS: frozenset({"customer", "visitor"}),
            ApplyTo.CUSTOMERS: frozenset({"customer"}),
            ApplyTo.VISITORS: frozenset({"visitor"}),
        }[self]


@dataclass(frozen=True)
class Window:
    """Dated rows a condition reads through a moving "last N days" window: met by rows with
    ``at >= now - days`` (compared as UTC dates when ``daily``). As time passes the bound only
    moves forward, so rows only leave such a window: the shoppers whose result time alone can
    change own a row whose ``at`` crossed the bound since the last refresh (an incremental
    refresh finds them by a range scan, see ``membership.changes``).

    ``rows(subject)`` is SQL selecting ``shopper`` and ``at`` over rows whose ``at`` is
    indexed; ``rows`` None: no range scan can find them (a value inside JSON, a column without
    an index), so a segment with this window is evaluated fully (a ``daily`` one only when
    the UTC date changed)."""

    days: int
    daily: bool = False
    rows: Callable[[str], Fragment] | None = None


class Reader:
    """Reads one JSON object of the tree, collecting errors with their paths."""

    def __init__(self, data: dict, path: str, errors: list[ConditionError],
                 context: Any) -> None:
        self.data, self.path, self.errors, self.context = data, path, errors, context
        # containers: parses their own group of children (set by the tree parser)
        self.parse_group: Callable[[], Any] = lambda: None

    def error(self, key: str | None, message: str,
              code: ConditionErrorCode | str = "invalid") -> None:
        code = ConditionErrorCode(code) if isinstance(code, str) else code
        path = join_path(self.path, key) if key else self.path
        self.errors.append(ConditionError(path, message, code))

    def get(self, key: str, parse: Any = None, default: Any = dataclasses.MISSING,
            message: str | None = None) -> Any:
        """Return ``parse(raw)`` for a key (a ValueType, choice tuple, or callable)."""
        if key not in self.data or self.data[key] is None:
            if default is not dataclasses.MISSING:
                return default
            self.error(key, "this field is required", "required")
            return None
        raw = self.data[key]
        try:
            if isinstance(parse, ValueType):
                return parse.parse(raw)
            if isinstance(parse, tuple):
                if raw not in parse:
                    raise ValueError(f"expected one of {', '.join(map(str, parse))}")
                return raw
            return parse(raw) if parse else raw
        except ValueError as exc:
            self.error(key, message or str(exc), "invalid_value")
            return None

    def comparison(self, vtype: ValueType) -> Comparison | None:
        operator = self.get("operator")
        if operator is None:
            return None
        return Comparison.parse(vtype, operator, self.data.get("value"), self.error)


class Condition:
    """One kind of condition. Subclasses are frozen dataclasses registered with
    ``@conditions.register``; each declares where it may stand and how it evaluates."""

    kind: ClassVar[str]
    label: ClassVar[str]
    group: ClassVar[str]  # builder group: customer, address, cart, products, sales, segments
    scope: ClassVar[Scope] = Scope.SHOPPER
    registered_only: ClassVar[bool] = True  # False: visitors (checkouts) can meet it too
    events: ClassVar[frozenset[Event]] = frozenset()
    children_scope: ClassVar[Scope | None] = None  # set on containers (address, products, orders)
    fields: ClassVar[Mapping[str, ValueType]] = {}  # kinds that compare one of several fields

    if TYPE_CHECKING:  # pragma: no cover  (kinds are dataclasses: their fields are arguments)
        def __init__(self, *args: Any) -> None: ...

    @classmethod
    def parse(cls, r: Reader) -> Condition | None:
        raise NotImplementedError

    def params_json(self) -> dict[str, Any]:
        raise NotImplementedError

    def to_sql(self, c: Compiler, alias: str) -> Fragment:
        """A non-NULL boolean SQL expression over the scope row ``alias``."""
        raise NotImplementedError

    def observed_sql(self, c: Compiler, alias: str) -> Fragment | None:
        """SQL of the value this condition compares, for explain (None: just met or not).
        Aggregating kinds get theirs from ``Compiler.aggregate`` without overriding this."""
        return None

    # --- shared behaviour -------------------------------------------------------------------

    def to_json(self) -> dict:
        return {"kind": self.kind, **self.params_json()}

    def comparisons(self) -> list[Comparison]:
        return [v for v in vars(self).values() if isinstance(v, Comparison)]

    def event_set(self) -> set[Event]:
        events = set(self.events)
        if any(cmp.time_dependent for cmp in self.comparisons()):
            events.add(Event.TIME)
        return events

    def windows(self) -> tuple[Window, ...] | None:
        """The time windows this condition itself reads (its children declare theirs); None:
        unknown, which makes time passing force a full evaluation (the safe default for a
        kind that depends on time and does not say how)."""
        return None if Event.TIME in self.event_set() else ()

    def orders_since(self, now: dt.datetime) -> dt.datetime | None:
        """The oldest orders (by ``created_at``) this condition reads when evaluated at
        ``now``: ``ANY_AGE`` when their age does not matter, None when it reads no orders of
        its own (a condition inside an order container reads the container's orders). An
        incremental refresh re-evaluates a shopper whose changed order is older than that
        only when the order left a window (``windows``), never for the change itself."""
        if self.scope == Scope.ORDER or Event.ORDER not in self.event_set():
            return None
        return ANY_AGE

    def child_group(self) -> Any:
        return getattr(self, "match", None)

    @classmethod
    def describe(cls) -> dict[str, Any]:
        """What a visual builder needs to offer this kind."""
        return {
            "kind": cls.kind, "label": cls.label, "group": cls.group, "scope": cls.scope.value,
            "registeredOnly": cls.registered_only,
            "events": sorted(e.value for e in cls.events),
            "childrenScope": cls.children_scope.value if cls.children_scope else None,
            "fields": {
                name: {**vtype.describe(),
                       "operators": [{"name": op, "label": OPERATOR_LABELS[op]}
                                     for op in vtype.operators]}
                for name, vtype in cls.fields.items()
            },
        }


class FieldCondition(Condition):
    """A kind of the form {"field": ..., "operator": ..., "value": ...} over ``fields``."""

    field: str
    cmp: Comparison

    @classmethod
    def parse(cls, r: Reader) -> Condition | None:
        field = r.get("field", tuple(cls.fields))
        cmp = r.comparison(cls.fields[field]) if field else None
        return cls(field, cmp) if field and cmp else None

    def params_json(self) -> dict[str, Any]:
        return {"field": self.field, "operator": self.cmp.operator, "value": self.cmp.to_json()}


def cmp_json(cmp: Comparison) -> dict:
    return {"operator": cmp.operator, "value": cmp.to_json()}

