"""Relay global IDs, encoded as Saleor encodes them (base64 of ``Type:pk``)."""

import re

from graphql_relay import from_global_id, to_global_id

from ...conditions.values import MAX_ID
from .errors import InputError

_DIGITS = re.compile(r"[0-9]{1,10}")


def integer_pk(raw: str) -> int:
    """An id of a PostgreSQL integer column: ASCII digits, 1 to 2**31 - 1 (ValueError)."""
    if not _DIGITS.fullmatch(raw) or not 1 <= int(raw) <= MAX_ID:
        raise ValueError(raw)
    return int(raw)


def global_id(type_name: str, pk) -> str:
    return to_global_id(type_name, str(pk))


def decode(value, type_name: str, field: str, pk=integer_pk):
    """The primary key behind a global ID of ``type_name``; InputError otherwise."""
    try:
        kind, raw = from_global_id(value)
        if kind != type_name:
            raise ValueError
        return pk(raw)
    except (ValueError, TypeError, UnicodeDecodeError):
        raise InputError.one(field, "invalid",
                             f"Couldn't resolve to a {type_name}: {value!r}") from None


def saleor_row(table: str, pk, field: str, label: str, columns: str = "1") -> tuple:
    """A row of one of Saleor's tables by id (``columns`` of it); InputError when missing."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE id = %s", [pk])
        row = cursor.fetchone()
    if row is None:
        raise InputError.one(field, "not_found", f"{label} does not exist.")
    return row
