"""Segments as conditions of other segments: membership in (or not in) other segments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..membership.tables import CUSTOMERS, VISITORS
from .base import Condition, Event, Reader, cmp_json
from .operators import Comparison, sql_any
from .registry import register
from .sql import Fragment, sql
from .values import IdType

if TYPE_CHECKING:  # pragma: no cover
    from ..evaluation.compile import Compiler

SEGMENT_ID = IdType("Segment")


@register
@dataclass(frozen=True)
class SegmentMember(Condition):
    kind = "segment"
    label = "Member of segment"
    group = "segments"
    registered_only = False
    events = frozenset({Event.SEGMENT})
    fields = {"value": SEGMENT_ID}
    cmp: Comparison

    @classmethod
    def parse(cls, r: Reader) -> Condition | None:
        cmp = r.comparison(SEGMENT_ID)
        if not cmp or cmp.operator == "undefined":
            if cmp:
                r.error("operator", "expected is, is_not, in or not_in", "invalid_operator")
            return None
        ids = cmp.value if isinstance(cmp.value, tuple) else (cmp.value,)
        for pk in ids:
            if not r.context.segment_exists(pk):
                r.error("value", f"segment {pk} does not exist", "invalid_value")
            elif r.context.segment_id is not None and (
                    pk == r.context.segment_id
                    or r.context.segment_id in r.context.segment_dependencies(pk)):
                r.error("value", f"segment {pk} depends on this segment (a cycle)", "cycle")
        return cls(cmp)

    def params_json(self) -> dict[str, Any]:
        return cmp_json(self.cmp)

    def segment_ids(self) -> tuple:
        return self.cmp.value if isinstance(self.cmp.value, tuple) else (self.cmp.value,)

    def to_sql(self, c: Compiler, alias: str) -> Fragment:
        members = VISITORS if c.subject == "visitor" else CUSTOMERS
        exists = c.related(c.shopper(alias), f"sm.{members.column}",
                           sql("FROM {} sm WHERE TRUE", members.table))
        return sql_any(self.cmp, exists, "sm.segment_id")
