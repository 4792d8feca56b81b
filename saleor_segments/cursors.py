"""Opaque keyset cursors: base64 of ``[sort value, id]`` (shared by the engine's member grid
and the GraphQL connections)."""

import base64
import datetime as dt
import json


def encode_cursor(value, pk) -> str:
    if isinstance(value, dt.datetime):
        value = value.isoformat()
    return base64.b64encode(json.dumps([value, pk], default=str).encode()).decode()


def decode_cursor(cursor: str | None) -> list | None:
    """``[sort value, id]``, None for no cursor; ValueError("invalid cursor") otherwise."""
    if not cursor:
        return None
    try:
        values = json.loads(base64.b64decode(cursor, validate=True))
        if isinstance(values, list) and len(values) == 2 and isinstance(values[1], int):
            return values
    except ValueError:
        pass
    raise ValueError("invalid cursor")
