"""Cost warnings: PostgreSQL's estimate for a definition and the conditions that make it
expensive, each with a hint. Only EXPLAIN (planning): nothing runs, never EXPLAIN ANALYZE.

A condition is expensive when the plan of that condition alone reads a large table that is not
the shoppers' own (order lines, orders, product views, ...) from start to end (a sequential
scan of at least ``min_rows`` rows by the planner's statistics). Conditions are judged one by
one at the top level of the tree (a container with everything inside it), which names the
culprit; the whole tree's plan gives the estimate."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import OperationalError, connection, transaction
from django.utils import timezone

from ..conditions import ApplyTo, Condition, Group, walk
from ..membership.tables import CUSTOMERS, VISITORS
from .compile import SUBJECTS, bind, shopper_query

MIN_ROWS = 10_000  # reading fewer rows from start to end is not worth a warning
MAX_JUDGED = 50  # conditions judged one by one (a plan each)
BUDGET_MS = 3000  # planning time for all of it
# tables whose full read makes a segment slow, as a merchant would call them
LARGE_TABLES = {
    "order_orderline": "order lines", "order_order": "orders",
    "checkout_checkoutline": "cart lines", "checkout_checkout": "carts",
    "saleor_segments_productview": "product views", "saleor_segments_wishlistitem":
    "wishlist items", "account_address": "addresses", "account_user_addresses":
    "address book entries", "giftcard_giftcard": "gift cards",
    "attribute_assigneduserattributevalue": "customer attribute values",
    CUSTOMERS.table: "segment memberships", VISITORS.table: "segment memberships",
}
SCANS = ("Seq Scan", "Parallel Seq Scan")


@dataclass
class CostWarning:
    path: str  # "conditions[1]": the condition in the tree
    kind: str
    reason: str
    hint: str
    estimated_cost: float = 0.0  # of this condition alone


@dataclass
class Cost:
    estimated_cost: float = 0.0  # the planner's total cost (arbitrary units; sum of subjects)
    estimated_rows: float = 0.0  # shoppers the planner expects to match
    expensive: list[CostWarning] = field(default_factory=list)
    budget_exceeded: bool = False  # planning ran out of time: figures are missing


def estimate_cost(tree: Group, channel_id: int, apply_to: ApplyTo,
                  now: dt.datetime | None = None, min_rows: int | None = None,
                  budget_ms: int = BUDGET_MS) -> Cost:
    now = now or timezone.now()
    min_rows = MIN_ROWS if min_rows is None else min_rows
    result = Cost()
    subjects = sorted(apply_to.subjects)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('statement_timeout'), "
                           "set_config('statement_timeout', %s, true)", [str(budget_ms)])
            before = cursor.fetchone()[0]
            for subject in subjects:
                plan = _plan(cursor, tree, channel_id, subject, now)
                result.estimated_cost += plan["Total Cost"]
                result.estimated_rows += plan["Plan Rows"]
            sizes: dict[str, float] = {}
            for path, node in list(top_conditions(tree))[:MAX_JUDGED]:
                warning = _judge(cursor, path, node, channel_id, subjects, now, min_rows, sizes)
                if warning:
                    result.expensive.append(warning)
            # a local setting would outlive this savepoint in an enclosing transaction
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [before])
    except OperationalError:  # the statement timeout: planning a huge tree
        return Cost(budget_exceeded=True)
    return result


def top_conditions(group: Group, path: str = "") -> Iterator[tuple[str, Condition]]:
    """(path, condition) of the conditions of the shopper's scope (through nested groups)."""
    for index, child in enumerate(group.conditions):
        child_path = f"{path}.conditions[{index}]" if path else f"conditions[{index}]"
        if isinstance(child, Group):
            yield from top_conditions(child, child_path)
        else:
            yield child_path, child


def _plan(cursor: Any, tree: Group, channel_id: int, subject: str, now: dt.datetime) -> dict:
    sql, params = shopper_query(tree, channel_id, subject)
    cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", bind(params, now))
    raw = cursor.fetchone()[0]
    return (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]


def _judge(cursor: Any, path: str, node: Condition, channel_id: int, subjects: list[str],
           now: dt.datetime, min_rows: int, sizes: dict[str, float]) -> CostWarning | None:
    worst: tuple[float, str] | None = None
    cost = 0.0
    for subject in subjects:
        if subject == "visitor" and node.registered_only:
            continue  # compiled as FALSE for visitors
        plan = _plan(cursor, Group("all", True, (node,)), channel_id, subject, now)
        cost += plan["Total Cost"]
        own_table = SUBJECTS[subject][0]
        for scan in plan_nodes(plan):
            table = scan.get("Relation Name")
            if scan["Node Type"] not in SCANS or table not in LARGE_TABLES or table == own_table:
                continue
            rows = max(_table_rows(cursor, table, sizes), scan.get("Plan Rows", 0))
            if rows >= min_rows and (worst is None or rows > worst[0]):
                worst = (rows, table)
    if worst is None:
        return None
    rows, table = worst
    return CostWarning(path=path, kind=node.kind, estimated_cost=cost,
                       reason=f"reads all ~{int(rows):,} {LARGE_TABLES[table]} ({table}) "
                              "from start to end",
                       hint=hint(node, table))


def hint(node: Condition, table: str) -> str:
    what = LARGE_TABLES[table]
    if hasattr(node, "period") and node.kind != "order.products" and (
            getattr(node, "source", None) != "cart"):
        if node.period is None:
            return ("Add a period (e.g. `during last 90 days`): PostgreSQL then reads only the "
                    f"recent {what}, by date.")
        return (f"Shorten the period, or add a narrower sub-condition (a product, a status) so "
                f"that fewer {what} are read.")
    if any(cmp.operator in ("contains", "not_contains") for inner in walk(node)
           if isinstance(inner, Condition) for cmp in inner.comparisons()):
        return (f"`contains` cannot use an index: `is` or `in` on the same field lets "
                f"PostgreSQL find the {what} it needs.")
    return (f"Combine it with cheaper conditions under `all` (they narrow the shoppers first), "
            f"or narrow it so that fewer {what} are read.")


def plan_nodes(plan: dict) -> Iterator[dict]:
    yield plan
    for child in plan.get("Plans", ()):
        yield from plan_nodes(child)


def _table_rows(cursor: Any, table: str, sizes: dict[str, float]) -> float:
    """The planner's idea of the table's size (its statistics; -1 before the first ANALYZE)."""
    if table not in sizes:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = to_regclass(%s)", [table])
        row = cursor.fetchone()
        sizes[table] = float(row[0]) if row and row[0] is not None else 0.0
    return sizes[table]
