"""Operators: how ``{"operator": ..., "value": ...}`` becomes SQL and a Python check.

Semantics shared by SQL and Python (and by the reference evaluator in tests):
- an undefined value (NULL, or an empty string) never meets a positive operator;
- a negative operator (is_not, not_in, not_contains) is exactly NOT the positive one, so it is
  met by undefined values;
- strings compare case-insensitively; dates compare as UTC calendar dates.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

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
    def parse(cls, vtype: ValueType, operator, raw, errors) -> "Comparison | None":
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
    def _parse_value(vtype, operator, raw):
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

    def to_json(self):
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

    def sql(self, expr: str, timestamp: bool = False) -> tuple[str, list]:
        """Non-NULL boolean SQL for a single-valued expression."""
        if self.operator == "undefined":
            sql = self._undefined_sql(expr)
            return (sql if self.value else f"NOT {sql}"), []
        sql, params = self.positive()._positive_sql(expr, timestamp)
        sql = f"COALESCE({sql}, false)"  # NULL (undefined) never meets a positive operator
        return (f"NOT {sql}" if self.negative else sql), params

    def _undefined_sql(self, expr):
        if isinstance(self.type, StringType):
            return f"COALESCE({expr}, '') = ''"
        return f"({expr} IS NULL)"

    def _positive_sql(self, expr, timestamp):
        op, value, cast = self.operator, self.value, self.type.sql_cast
        if op == "in_last_days":
            if timestamp:
                return f"{expr} >= %s::timestamptz - make_interval(days => %s)", [NOW, value]
            return f"{expr} >= (%s::timestamptz AT TIME ZONE 'UTC')::date - %s", [NOW, value]
        if timestamp and isinstance(self.type, DateType):
            expr = f"({expr} AT TIME ZONE 'UTC')::date"
        if isinstance(self.type, StringType):
            expr = f"lower({expr})"
            value = tuple(v.lower() for v in value) if isinstance(value, tuple) else value.lower()
            if op == "contains":
                return f"strpos({expr}, %s) > 0", [value]
        if op == "is":
            return f"{expr} = %s::{cast}", [value]
        if op == "in":
            return f"{expr} = ANY(%s::{cast}[])", [list(value)]
        if op == "between":
            return f"{expr} BETWEEN %s::{cast} AND %s::{cast}", list(value)
        return f"{expr} {_SQL_OP[op]} %s::{cast}", [value]

    # --- Python ----------------------------------------------------------------------------

    def matches(self, actual, now: dt.datetime) -> bool:
        """The Python twin of ``sql`` for one value (a date column may hold datetimes)."""
        undefined = actual is None or (isinstance(self.type, StringType) and actual == "")
        if self.operator == "undefined":
            return undefined == self.value
        result = not undefined and self.positive()._positive_match(actual, now)
        return not result if self.negative else result

    def matches_any(self, values, now: dt.datetime) -> bool:
        """Multi-valued subject: positive operators need one match, negative ones none."""
        values = [v for v in values if v is not None and v != ""]
        if self.operator == "undefined":
            return (not values) == self.value
        found = any(self.positive()._positive_match(v, now) for v in values)
        return not found if self.negative else found

    def _positive_match(self, actual, now):
        op, value = self.operator, self.value
        if op == "in_last_days":
            if isinstance(actual, dt.datetime):
                return actual >= now - dt.timedelta(days=value)
            return actual >= now.astimezone(dt.UTC).date() - dt.timedelta(days=value)
        if isinstance(actual, dt.datetime) and isinstance(self.type, DateType):
            actual = actual.astimezone(dt.UTC).date()
        if isinstance(self.type, StringType):
            actual = actual.lower()
            value = tuple(v.lower() for v in value) if isinstance(value, tuple) else value.lower()
            if op == "contains":
                return value in actual
        if op == "is":
            return actual == value
        if op == "in":
            return actual in value
        if op == "between":
            return value[0] <= actual <= value[1]
        return {"gt": actual > value, "gte": actual >= value,
                "lt": actual < value, "lte": actual <= value}[op]


def sql_any(cmp: Comparison, exists, expr: str, timestamp: bool = False) -> tuple[str, list]:
    """Comparison over a multi-valued subject (the twin of ``Comparison.matches_any``).

    ``exists(cond_sql, cond_params)`` returns SQL that is true when some related row meets the
    condition; ``expr`` is the value column of those rows."""
    if cmp.operator == "undefined":
        inner, params = exists(f"NOT {cmp._undefined_sql(expr)}", [])
        return (f"NOT {inner}" if cmp.value else inner), params
    positive_sql, positive_params = cmp.positive().sql(expr, timestamp)
    inner, params = exists(positive_sql, positive_params)
    return (f"NOT {inner}" if cmp.negative else inner), params
