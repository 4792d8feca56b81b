"""Segment reports: segments of one channel combined as a union (ANY), an intersection (ALL),
less the members of excluded segments, in one set-based statement over the membership table."""

from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction

from ..conditions.sql import Fragment, join, sql, value
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
        joined it: the earliest join of an included segment (ANY), the latest (ALL).

        One statement shaped as joins, which PostgreSQL runs as hash or merge joins over the
        per-segment index ranges (rather than grouping every membership by customer): ALL
        joins the included segments on the customer, ANY groups only the included
        memberships, exclusions are an anti-join (NOT EXISTS)."""
        include = list(dict.fromkeys(self.include))
        exclude = list(dict.fromkeys(self.exclude))
        table = CUSTOMERS.table
        if self.mode == "all" or len(include) == 1:
            joins = [sql(" JOIN {t} s{n} ON s{n}.segment_id = {id} AND s{n}.customer_id = "
                         "s0.customer_id", t=table, n=str(n), id=value(pk))
                     for n, pk in enumerate(include[1:], start=1)]
            joined = join(", ", [f"s{n}.joined_at" for n in range(len(include))])
            statement = sql("SELECT s0.customer_id, greatest({joined}) AS joined_at "
                            "FROM {t} s0{joins} WHERE s0.segment_id = {first}{unless}",
                            joined=joined, t=table, joins=join("", joins), first=value(include[0]),
                            unless=_unless("s0", exclude))
        else:
            statement = sql("SELECT s0.customer_id, min(s0.joined_at) AS joined_at FROM {t} s0 "
                            "WHERE s0.segment_id = ANY({ids}){unless} GROUP BY s0.customer_id",
                            t=table, ids=value(include), unless=_unless("s0", exclude))
        return statement.sql, list(statement.params)

    def as_json(self) -> dict:
        return {"include": list(self.include), "mode": self.mode, "exclude": list(self.exclude)}

    @classmethod
    def from_json(cls, data: dict) -> "ReportSpec":
        return cls(tuple(data["include"]), data["mode"], tuple(data.get("exclude") or ()))


def _unless(alias: str, exclude: list[int]) -> Fragment:
    """Rows of ``alias`` whose customer is in none of the ``exclude`` segments."""
    if not exclude:
        return Fragment("")
    return sql(" AND NOT EXISTS (SELECT FROM {t} x WHERE x.segment_id = ANY({ids}) "
               "AND x.customer_id = {a}.customer_id)", t=CUSTOMERS.table, ids=value(exclude),
               a=alias)


@contextmanager
def report_cursor():
    """A cursor in a transaction with the refresh's ``work_mem`` (reports hash or group up
    to millions of memberships: in memory rather than spilled to disk) and without JIT
    compilation (it costs a report 0.1-0.2 s of compiling and saves it nothing)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('work_mem', %s, true), set_config('jit', 'off', true)",
                       [app_settings.REFRESH_WORK_MEM])
        yield cursor


def report_count(spec: ReportSpec) -> int:
    sql, params = spec.source()
    with report_cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({sql}) r", params)
        return cursor.fetchone()[0]
