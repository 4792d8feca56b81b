"""Loading a segment's stored tree and compiling it, cached per definition."""

from typing import Any

from ..conditions import ApplyTo, Event, Group, ValidationContext, parse_tree, tree_events
from ..evaluation.compile import shopper_query

_CACHE: dict = {}
_CACHE_LIMIT = 4096


def subjects_of(segment: Any) -> list[str]:
    return sorted(ApplyTo(segment.apply_to).subjects)


def segment_tree(segment: Any) -> Group:
    return parse_tree(segment.conditions, ValidationContext(apply_to=ApplyTo(segment.apply_to),
                                                            declared_fields=None))


def compiled(segment: Any, subject: str, single: bool = False, ranged: bool = False,
             located: bool = False) -> tuple[str, tuple, frozenset[Event]]:
    """(sql, params, events) for a segment; params may hold NOW (see evaluation.compile.bind).

    Keyed by definition version and last save: change conditions through the services (which
    bump the version), not by editing rows by hand."""
    key = (segment.pk, segment.definition_version, segment.updated_at, segment.channel_id,
           segment.apply_to, subject, single, ranged, located)
    found = _CACHE.get(key)
    if found is None:
        tree = segment_tree(segment)
        sql, params = shopper_query(tree, segment.channel_id, subject, single, ranged, located)
        found = sql, tuple(params), frozenset(tree_events(tree))
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.clear()
        _CACHE[key] = found
    return found
