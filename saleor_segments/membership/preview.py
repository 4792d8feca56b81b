"""Size and a sample of an unsaved definition, within a time budget."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

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
    runs out, the statement is cancelled and ``budget_exceeded`` says so.

    The budget holds whatever the tree: its statements share it (each may use only what is
    left; the timeout also covers planning), and JIT compilation, which a large store's plan
    would get and which checks for no interrupt (no timeout stops it), is off."""
    budget_ms = max(1, min(int(budget_ms), MAX_BUDGET_MS))
    now = now or timezone.now()
    result = Preview()
    started = time.monotonic()
    deadline = started + budget_ms / 1000

    def run(cursor: Any, sql: str, params: list) -> Any:
        left_ms = int((deadline - time.monotonic()) * 1000)
        if left_ms < 1:
            raise BudgetExceeded
        cursor.execute("SELECT set_config('statement_timeout', %s, true)", [str(left_ms)])
        cursor.execute(sql, params)
        return cursor.fetchall()

    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('statement_timeout'), current_setting('jit'), "
                           "set_config('jit', 'off', true)")
            before = cursor.fetchone()[:2]
            for subject in sorted(apply_to.subjects):
                sql, params = shopper_query(tree, channel_id, subject)
                [(count,)] = run(cursor, f"SELECT count(*) FROM ({sql}) q", bind(params, now))
                setattr(result, f"{subject}s", count)
                if subject == "customer" and sample:
                    rows = run(cursor, f"SELECT q.shopper FROM ({sql}) q ORDER BY q.shopper "
                                       f"LIMIT %s", bind(params, now) + [sample])
                    result.sample_customer_ids = [r[0] for r in rows]
            # the settings would outlive this savepoint in an enclosing transaction
            cursor.execute("SELECT set_config('statement_timeout', %s, true), "
                           "set_config('jit', %s, true)", before)
    except (OperationalError, BudgetExceeded) as exc:
        if not isinstance(exc, BudgetExceeded) and getattr(
                exc.__cause__, "sqlstate", None) != QUERY_CANCELED:
            raise
        result = Preview(budget_exceeded=True)  # (the rollback restored the settings)
    result.milliseconds = int((time.monotonic() - started) * 1000)
    return result


class BudgetExceeded(Exception):
    pass

