"""Cursor connections with ``totalCount`` and keyset pagination (first/after)."""

from __future__ import annotations

import graphene
from graphene import relay

from ...membership.cursors import decode_cursor, encode_cursor

MAX_PAGE = 100  # as Saleor's default limit


class CountableConnection(relay.Connection):
    class Meta:
        abstract = True

    total_count = graphene.Int(description="How many there are in all (with the filter).")


def check_first(first, field="first") -> int:
    from .errors import InputError

    if first is None:
        raise InputError.one(field, "required",
                             "You must provide a `first` value to properly paginate.")
    if not 1 <= first <= MAX_PAGE:
        raise InputError.one(field, "invalid",
                             f"`first` must be between 1 and {MAX_PAGE}.")
    return first


def connection_from_page(connection_type, nodes, cursors, total_count, has_next, has_previous):
    edges = [connection_type.Edge(node=node, cursor=cursor)
             for node, cursor in zip(nodes, cursors)]
    page_info = relay.PageInfo(
        start_cursor=cursors[0] if cursors else None,
        end_cursor=cursors[-1] if cursors else None,
        has_previous_page=has_previous, has_next_page=has_next)
    return connection_type(edges=edges, page_info=page_info, total_count=total_count)


def paginate_queryset(queryset, connection_type, *, sort_field: str, descending: bool,
                      first: int, after: str | None):
    """Keyset pagination over ``(sort_field, pk)``; ``sort_field`` must be non-null."""
    from django.db.models import Q

    from .errors import InputError

    first = check_first(first)
    total = queryset.count()
    order = [f"-{sort_field}", "-pk"] if descending else [sort_field, "pk"]
    sort = f"{sort_field}:{'desc' if descending else 'asc'}"
    try:
        key = decode_cursor(after, sort)
    except ValueError:
        raise InputError.one("after", "invalid", "Invalid cursor.") from None
    if key is not None:
        value, pk = key
        op = "lt" if descending else "gt"
        queryset = queryset.filter(Q(**{f"{sort_field}__{op}": value})
                                   | Q(**{sort_field: value, f"pk__{op}": pk}))
    rows = list(queryset.order_by(*order)[:first + 1])
    has_next = len(rows) > first
    rows = rows[:first]
    cursors = [encode_cursor(getattr(r, sort_field), r.pk, sort) for r in rows]
    return connection_from_page(connection_type, rows, cursors, total, has_next,
                                key is not None)
