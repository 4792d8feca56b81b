"""Value types a condition compares with: parsing from JSON, SQL casts, Python values."""

import base64
import binascii
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_DIGITS = re.compile(r"[0-9]+")  # ASCII only: "\u0661" is a digit to str.isdigit and int()
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
MAX_ID = 2 ** 31 - 1  # Saleor's ids are PostgreSQL integers; conditions cast them so
MAX_INTEGER_DIGITS = 20  # numbers: below 10**20 in magnitude ...
MAX_DECIMALS = 12  # ... with at most 12 decimals (PostgreSQL's numeric and Python's int()
# conversion take far less than "1e131072" or "1e-20000")


def check_text(value: str) -> str:
    """``value`` unless it holds a NUL character, which PostgreSQL text cannot store."""
    if "\x00" in value:
        raise ValueError("expected text without NUL characters (\\u0000)")
    return value


class ValueType:
    """One kind of value. ``parse`` returns the Python value or raises ValueError(reason)."""

    name: str = ""
    sql_cast: str = "text"
    operators: tuple[str, ...] = ()

    def parse(self, raw: Any) -> Any:
        raise NotImplementedError

    def to_json(self, value: Any) -> Any:
        return value

    def describe(self) -> dict:
        return {"type": self.name}


class StringType(ValueType):
    name = "string"
    operators = ("is", "is_not", "contains", "not_contains", "in", "not_in", "undefined")

    def parse(self, raw: Any) -> Any:
        if not isinstance(raw, str) or not raw.strip():
            raise ValueError("expected a non-empty string")
        return check_text(raw)


class NumberType(ValueType):
    name = "number"
    sql_cast = "numeric"
    operators = ("is", "is_not", "gt", "gte", "lt", "lte", "between", "in", "not_in",
                 "undefined")

    def parse(self, raw: Any) -> Any:
        if isinstance(raw, bool) or not isinstance(raw, (int, float, str)) or (
                isinstance(raw, str) and not _NUMBER.fullmatch(raw)):
            raise ValueError("expected a number")
        try:
            value = Decimal(str(raw))
        except (InvalidOperation, ValueError):
            raise ValueError("expected a number") from None
        if not value.is_finite():
            raise ValueError("expected a finite number")
        if not value:
            return Decimal(0)  # "0e-20000" too
        _sign, digits, exponent = value.as_tuple()
        assert isinstance(exponent, int)  # finite (checked above)
        trailing_zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
        if value.adjusted() >= MAX_INTEGER_DIGITS or -(exponent + trailing_zeros) > MAX_DECIMALS:
            raise ValueError(f"expected a number below 10^{MAX_INTEGER_DIGITS} in magnitude "
                             f"with at most {MAX_DECIMALS} decimals")
        return value

    def to_json(self, value: Any) -> Any:
        return int(value) if value == value.to_integral_value() else str(value)


class IntegerType(NumberType):
    name = "integer"

    def parse(self, raw: Any) -> Any:
        value = super().parse(raw)
        if value != value.to_integral_value():
            raise ValueError("expected a whole number")
        return value


class DateType(ValueType):
    """A calendar date (UTC). The column may be a date or a timestamp (see ``Comparison``)."""

    name = "date"
    sql_cast = "date"
    operators = ("is", "is_not", "gt", "gte", "lt", "lte", "between", "in_last_days",
                 "undefined")

    def parse(self, raw: Any) -> Any:
        if isinstance(raw, str) and _DATE.fullmatch(raw):
            try:
                return dt.date.fromisoformat(raw)
            except ValueError:
                pass
        raise ValueError("expected a date as YYYY-MM-DD")

    def to_json(self, value: Any) -> Any:
        return value.isoformat()


class BooleanType(ValueType):
    name = "boolean"
    sql_cast = "boolean"
    operators = ("is", "is_not", "undefined")

    def parse(self, raw: Any) -> Any:
        if not isinstance(raw, bool):
            raise ValueError("expected true or false")
        return raw


@dataclass(frozen=True)
class ChoiceType(ValueType):
    """One of a fixed list (order statuses, languages, ...)."""

    choices: tuple[str, ...] = ()
    name: str = "choice"
    operators = ("is", "is_not", "in", "not_in", "undefined")

    def parse(self, raw: Any) -> Any:
        if raw not in self.choices:
            raise ValueError(f"expected one of {', '.join(map(str, self.choices))}")
        return raw

    def describe(self) -> dict:
        return {"type": self.name, "choices": list(self.choices)}


class CountryType(ValueType):
    name = "country"
    operators = ("is", "is_not", "in", "not_in", "undefined")

    def parse(self, raw: Any) -> Any:
        if isinstance(raw, str) and _COUNTRY.match(raw.upper()):
            return raw.upper()
        raise ValueError("expected a country code")


@dataclass(frozen=True)
class IdType(ValueType):
    """A Saleor object id: an integer, or a Relay global ID of the given type."""

    graphql_type: str = ""
    name: str = "id"
    sql_cast = "integer"
    operators = ("is", "is_not", "in", "not_in", "undefined")

    def parse(self, raw: Any) -> Any:
        pk = None
        if isinstance(raw, int) and not isinstance(raw, bool):
            pk = raw
        elif isinstance(raw, str):
            if _DIGITS.fullmatch(raw):
                pk = int(raw) if len(raw) <= 12 else MAX_ID + 1
            else:
                try:
                    kind, _, text = base64.b64decode(raw, validate=True).decode().partition(":")
                except (binascii.Error, UnicodeDecodeError, ValueError):
                    kind, text = "", ""
                if kind == self.graphql_type and _DIGITS.fullmatch(text):
                    pk = int(text) if len(text) <= 12 else MAX_ID + 1
        if pk is not None and 1 <= pk <= MAX_ID:
            return pk
        raise ValueError(f"expected a {self.graphql_type} ID (1 to {MAX_ID})")

    def describe(self) -> dict:
        return {"type": self.name, "object": self.graphql_type}


STRING, NUMBER, INTEGER = StringType(), NumberType(), IntegerType()
DATE, BOOLEAN, COUNTRY = DateType(), BooleanType(), CountryType()

DECLARABLE_TYPES = {t.name: t for t in (STRING, NUMBER, DATE, BOOLEAN)}
