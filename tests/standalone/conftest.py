import datetime as dt

import pytest

from saleor_segments.conditions import parse_tree
from saleor_segments.evaluation.compile import bind, shopper_query
from saleor_segments.evaluation.python import Evaluator
from saleor_segments.evaluation.snapshot import Snapshot

from ..factories import NOW, ChannelFactory


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def channel(db):
    return ChannelFactory()


def sql_matches(tree, channel_id, subject="customer", single=False, now=NOW) -> set:
    from django.db import connection

    sql, params = shopper_query(tree, channel_id, subject, single)
    with connection.cursor() as cursor:
        cursor.execute(sql, bind(params, now))
        return {r[0] for r in cursor.fetchall()}


def ranged_matches(tree, channel_id, now=NOW) -> set:
    """Customers matched range by range (as a split refresh's parts evaluate them)."""
    from django.db import connection

    sql, params = shopper_query(tree, channel_id, "customer", ranged=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(min(id), 0), coalesce(max(id), 0) + 1 FROM account_user")
        low, high = cursor.fetchone()
        cuts = sorted({low, low + (high - low) // 3, low + 2 * (high - low) // 3, high})
        found = set()
        for lo, hi in zip(cuts, cuts[1:]):
            cursor.execute(sql, bind(params, now, (lo, hi)))
            rows = {r[0] for r in cursor.fetchall()}
            assert all(lo <= r < hi for r in rows)
            found |= rows
    return found


def python_matches(tree, channel_id, subject="customer", now=NOW) -> set:
    return Evaluator(Snapshot.load(), channel_id, now, subject).matching(tree)


@pytest.fixture
def matches(channel):
    """Who meets a condition (JSON), checked three ways that must agree: set-based SQL,
    single-shopper SQL and the Python reference evaluator."""

    def run(conditions, subject="customer", channel_id=None, now=NOW):
        channel_id = channel_id or channel["id"]
        if "kind" in conditions:
            conditions = {"conditions": [conditions]}
        tree = parse_tree(conditions)
        found = sql_matches(tree, channel_id, subject, now=now)
        assert sql_matches(tree, channel_id, subject, single=True, now=now) == found
        assert python_matches(tree, channel_id, subject, now=now) == found
        if subject == "customer":
            assert ranged_matches(tree, channel_id, now=now) == found
        return found

    return run


@pytest.fixture
def fixed_now():
    return dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)

