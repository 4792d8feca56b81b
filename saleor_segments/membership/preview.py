"""Size and a sample of an unsaved definition, within a time budget."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import OperationalError, connection, transaction
from django.utils import timezone

from ..conditions import ApplyTo, Group
from ..evaluation.compile import bind, shopper_query

DEFAULT_BUDGET_MS = 3000
MAX_BUDGET_MS = 30000
QUERY_CANCELED = "57014"


@dataclass
class Preview:
    customers: int | None = None
    visitors: int | None = None
    sample_customer_ids: list[int] = field(default_factory=list)
    budget_exceeded: bool = False
    milliseconds: int = 0

    @property
    def size(self) -> int | None:
        if self.budget_exceeded:
            return None
        return (self.customers or 0) + (self.visitors or 0)


def preview(tree: Group, channel_id: int, apply_to: ApplyTo, sample: int = 10,
            budget_ms: int = DEFAULT_BUDGET_MS, now: dt.datetime | None = None) -> Preview:
    """Count who would match ``tree`` now (read-only; nothing is stored). When the budget
    runs out, the statement is cancelled and ``budget_exceeded`` says so."""
    budget_ms = max(1, min(int(budget_ms), MAX_BUDGET_MS))
    now = now or timezone.now()
    result = Preview()
    started = timezone.now()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('statement_timeout'), "
                           "set_config('statement_timeout', %s, true)", [str(budget_ms)])
            before = cursor.fetchone()[0]
            for subject in sorted(apply_to.subjects):
                sql, params = shopper_query(tree, channel_id, subject)
                cursor.execute(f"SELECT count(*) FROM ({sql}) q", bind(params, now))
                setattr(result, f"{subject}s", cursor.fetchone()[0])
                if subject == "customer" and sample:
                    cursor.execute(f"SELECT q.shopper FROM ({sql}) q ORDER BY q.shopper LIMIT %s",
                                   bind(params, now) + [sample])
                    result.sample_customer_ids = [r[0] for r in cursor.fetchall()]
            # the setting would outlive this savepoint in an enclosing transaction
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [before])
    except OperationalError as exc:
        if getattr(exc.__cause__, "sqlstate", None) != QUERY_CANCELED:
            raise
        result = Preview(budget_exceeded=True)
    result.milliseconds = int((timezone.now() - started).total_seconds() * 1000)
    return result
