"""Relay global IDs, encoded as Saleor encodes them (base64 of ``Type:pk``)."""

from graphql_relay import from_global_id, to_global_id

from .errors import InputError


def global_id(type_name: str, pk) -> str:
    return to_global_id(type_name, str(pk))


def decode(value, type_name: str, field: str, pk=int):
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
