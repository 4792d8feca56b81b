"""Segment reports: segments of one channel combined as a union (ANY), an intersection (ALL),
less the members of excluded segments, in one set-based statement over the membership table."""

from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction

from ..conf import app_settings
from ..membership.tables import CUSTOMERS
from ..models import Segment

MAX_SEGMENTS = 20


class ReportError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ReportSpec:
    """``include`` combined by ``mode`` ("any" or "all"), without members of ``exclude``."""

    include: tuple[int, ...]
    mode: str = "any"
    exclude: tuple[int, ...] = ()

    def check(self) -> int:
        """The channel of the segments; ReportError when the report is not well formed."""
        if self.mode not in ("any", "all"):
            raise ReportError("mode", "expected any or all")
        if not self.include:
            raise ReportError("segments", "give at least one segment")
        if len(self.include) + len(self.exclude) > MAX_SEGMENTS:
            raise ReportError("segments", f"at most {MAX_SEGMENTS} segments in all")
        both = set(self.include) & set(self.exclude)
        if both:
            raise ReportError("exclude", "a segment cannot be both included and excluded")
        ids = set(self.include) | set(self.exclude)
        channels = dict(Segment.objects.filter(pk__in=ids).values_list("pk", "channel_id"))
        missing = sorted(ids - channels.keys())
        if missing:
            raise ReportError("segments", f"segments do not exist: {missing}")
        if len(set(channels.values())) > 1:
            raise ReportError("segments", "the segments must belong to one channel")
        return next(iter(channels.values()))

    def source(self) -> tuple[str, list]:
        """(customer_id, joined_at) rows of the combination; joined_at is when the customer
        joined it: the earliest join of an included segment (ANY), the latest (ALL)."""
        include, exclude = list(self.include), list(self.exclude)
        joined = "min" if self.mode == "any" else "max"
        having = ["bool_or(segment_id = ANY(%s))"]
        params: list = [include + exclude, include]
        if self.mode == "all":
            having.append("count(DISTINCT segment_id) FILTER (WHERE segment_id = ANY(%s)) = %s")
            params += [include, len(set(include))]
        if exclude:
            having.append("NOT bool_or(segment_id = ANY(%s))")
            params.append(exclude)
        sql = (f"SELECT customer_id, {joined}(joined_at) FILTER (WHERE segment_id = ANY(%s)) "
               f"AS joined_at FROM {CUSTOMERS.table} "
               "WHERE segment_id = ANY(%s) GROUP BY customer_id HAVING " + " AND ".join(having))
        return sql, [include] + params

    def as_json(self) -> dict:
        return {"include": list(self.include), "mode": self.mode, "exclude": list(self.exclude)}

    @classmethod
    def from_json(cls, data: dict) -> "ReportSpec":
        return cls(tuple(data["include"]), data["mode"], tuple(data.get("exclude") or ()))


@contextmanager
def report_cursor():
    """A cursor in a transaction with the refresh's ``work_mem`` (reports group up to
    millions of memberships by customer: in memory rather than spilled to disk)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('work_mem', %s, true)",
                       [app_settings.REFRESH_WORK_MEM])
        yield cursor


def report_count(spec: ReportSpec) -> int:
    sql, params = spec.source()
    with report_cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({sql}) r", params)
        return cursor.fetchone()[0]
