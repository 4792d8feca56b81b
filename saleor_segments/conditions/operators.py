"""Operators: how ``{"operator": ..., "value": ...}`` becomes SQL.

Semantics (README, Conditions; the reference evaluator in tests/reference checks them on its own):
- an undefined value (NULL, or an empty string) never meets a positive operator;
- a negative operator (is_not, not_in, not_contains) is exactly NOT the positive one, so it is
  met by undefined values;
- strings compare case-insensitively; dates compare as UTC calendar dates.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .sql import Fragment, Part, sql, value
from .values import DateType, StringType, ValueType

NOW = object()  # placeholder in SQL params for the evaluation time, bound at execution

OPERATOR_LABELS = {
    "is": "is", "is_not": "is not", "gte": "equals or greater than",
    "lte": "equals or less than", "gt": "greater than", "lt": "less than",
    "contains": "contains", "not_contains": "does not contain", "in": "is one of",
    "not_in": "is not one of", "undefined": "is undefined", "between": "between",
    "in_last_days": "in the last N days",
}
NEGATIVE = {"is_not": "is", "not_in": "in", "not_contains": "contains"}
MAX_LIST = 1000
_SQL_OP = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


@dataclass(frozen=True)
class Comparison:
    type: ValueType
    operator: str
    value: Any

    @classmethod
    def parse(cls, vtype: ValueType, operator: Any, raw: Any,
              errors: Callable[..., None]) -> "Comparison | None":
        """Parse operator and value; report problems through ``errors(key, message)``."""
        if operator not in vtype.operators:
            errors("operator", f"expected one of {', '.join(vtype.operators)} for a "
                               f"{vtype.name} value", "invalid_operator")
            return None
        try:
            value = cls._parse_value(vtype, operator, raw)
        except ValueError as exc:
            errors("value", str(exc), "invalid_value")
            return None
        return cls(vtype, operator, value)

    @staticmethod
    def _parse_value(vtype: ValueType, operator: str, raw: Any) -> Any:
        if operator == "undefined":
            if raw is None:
                return True
            if not isinstance(raw, bool):
                raise ValueError("expected true (is undefined) or false (is defined)")
            return raw
        if operator in ("in", "not_in"):
            if not isinstance(raw, list) or not raw:
                raise ValueError("expected a non-empty list")
            if len(raw) > MAX_LIST:
                raise ValueError(f"expected at most {MAX_LIST} values")
            return tuple(vtype.parse(item) for item in raw)
        if operator == "between":
            if not isinstance(raw, list) or len(raw) != 2:
                raise ValueError("expected a list of two values [from, to]")
            low, high = vtype.parse(raw[0]), vtype.parse(raw[1])
            if low > high:
                raise ValueError("expected from <= to")
            return (low, high)
        if operator == "in_last_days":
            if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= 36500:
                raise ValueError("expected a number of days (0 to 36500)")
            return raw
        return vtype.parse(raw)

    def to_json(self) -> Any:
        if self.operator in ("undefined", "in_last_days"):
            return self.value
        if isinstance(self.value, tuple):
            return [self.type.to_json(v) for v in self.value]
        return self.type.to_json(self.value)

    @property
    def negative(self) -> bool:
        return self.operator in NEGATIVE

    def positive(self) -> "Comparison":
        return Comparison(self.type, NEGATIVE.get(self.operator, self.operator), self.value)

    @property
    def time_dependent(self) -> bool:
        return self.operator == "in_last_days"

    # --- SQL -------------------------------------------------------------------------------

    def sql(self, expr: Part, timestamp: bool = False) -> Fragment:
        """Non-NULL boolean SQL for a single-valued expression (a fragment: its parameters
        are repeated wherever the expression is)."""
        if self.operator == "undefined":
            undefined = self._undefined_sql(expr)
            return undefined if self.value else sql("NOT {}", undefined)
        # NULL (undefined) never meets a positive operator
        met = sql("COALESCE({}, false)", self.positive()._positive_sql(expr, timestamp))
        return sql("NOT {}", met) if self.negative else met

    def _undefined_sql(self, expr: Part) -> Fragment:
        if isinstance(self.type, StringType):
            return sql("COALESCE({}, '') = ''", expr)
        return sql("({} IS NULL)", expr)

    def _positive_sql(self, expr: Part, timestamp: bool) -> Fragment:
        op, v, cast = self.operator, self.value, self.type.sql_cast
        if op == "in_last_days":
            if timestamp:
                return sql("{} >= {}::timestamptz - make_interval(days => {})",
                           expr, value(NOW), value(v))
            return sql("{} >= ({}::timestamptz AT TIME ZONE 'UTC')::date - {}",
                       expr, value(NOW), value(v))
        if timestamp and isinstance(self.type, DateType):
            expr = sql("({} AT TIME ZONE 'UTC')::date", expr)
        if isinstance(self.type, StringType):
            expr = sql("lower({})", expr)
            v = tuple(x.lower() for x in v) if isinstance(v, tuple) else v.lower()
            if op == "contains":
                return sql("strpos({}, {}) > 0", expr, value(v))
        if op == "is":
            return sql("{} = {}::{}", expr, value(v), cast)
        if op == "in":
            return sql("{} = ANY({}::{}[])", expr, value(list(v)), cast)
        if op == "between":
            return sql("{} BETWEEN {}::{c} AND {}::{c}", expr, value(v[0]), value(v[1]), c=cast)
        return sql("{} {} {}::{}", expr, _SQL_OP[op], value(v), cast)


def sql_any(cmp: Comparison, exists: Callable[[Fragment], Fragment], expr: Part,
            timestamp: bool = False) -> Fragment:
    """Comparison over a multi-valued subject: a positive operator needs one related row to
    meet it, a negative one none (undefined: no row with a defined value).

    ``exists(condition)`` returns SQL that is true when some related row meets the condition;
    ``expr`` is the value column of those rows."""
    if cmp.operator == "undefined":
        inner = exists(sql("NOT {}", cmp._undefined_sql(expr)))
        return sql("NOT {}", inner) if cmp.value else inner
    inner = exists(cmp.positive().sql(expr, timestamp))
    return sql("NOT {}", inner) if cmp.negative else inner
