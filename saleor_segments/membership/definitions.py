"""Loading a segment's stored tree and compiling it, with a cache keyed by definition version."""

from functools import lru_cache

from ..conditions import ApplyTo, ValidationContext, parse_tree, tree_events
from ..evaluation.compile import shopper_query


def subjects_of(segment) -> list[str]:
    return sorted(ApplyTo(segment.apply_to).subjects)


@lru_cache(maxsize=4096)
def _compiled(segment_id, version, apply_to, channel_id, conditions_key, subject, single):
    import json

    tree = parse_tree(json.loads(conditions_key), ValidationContext(apply_to=ApplyTo(apply_to),
                                                                     declared_fields=None))
    sql, params = shopper_query(tree, channel_id, subject, single)
    return sql, tuple(params), frozenset(tree_events(tree))


def compiled(segment, subject: str, single: bool = False):
    """(sql, params, events) for a segment; params may hold NOW (see evaluation.compile.bind)."""
    import json

    key = json.dumps(segment.conditions, sort_keys=True)
    return _compiled(segment.pk, segment.definition_version, segment.apply_to,
                     segment.channel_id, key, subject, single)


def segment_tree(segment):
    return parse_tree(segment.conditions, ValidationContext(apply_to=ApplyTo(segment.apply_to),
                                                            declared_fields=None))
