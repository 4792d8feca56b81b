"""Opaque keyset cursors (shared by the engine's member grid and the GraphQL connections).

A cursor is ``[sort, value, id]`` signed with Django's ``signing`` (the site's SECRET_KEY): only
cursors this server made are accepted, and only with the sort order they were made for, so a
forged or reused cursor is refused as invalid instead of reaching SQL with a value of another
type. ``sort`` names the order, e.g. ``"email:asc"``."""

import datetime as dt

from django.core import signing

SALT = "saleor_segments.cursor"
MAX_ID = 2 ** 63 - 1


def encode_cursor(value: object, pk: int, sort: str = "") -> str:
    if isinstance(value, dt.datetime):
        value = value.isoformat()
    return signing.dumps([sort, value, pk], salt=SALT, compress=False)


def decode_cursor(cursor: str | None, sort: str = "") -> list | None:
    """``[sort value, id]``, None for no cursor; ValueError("invalid cursor") for a cursor
    this server did not make for this ``sort``."""
    if not cursor:
        return None
    try:
        made_for, value, pk = signing.loads(cursor, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise ValueError("invalid cursor") from None
    if made_for != sort or isinstance(pk, bool) or not isinstance(pk, int) \
            or not 0 <= pk <= MAX_ID:
        raise ValueError("invalid cursor")
    return [value, pk]
