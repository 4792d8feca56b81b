import datetime as dt
import re
from contextlib import contextmanager, nullcontext

import pytest

from saleor_segments.conditions import parse_tree
from saleor_segments.conditions.sql import sql, value
from saleor_segments.evaluation.compile import SUBJECTS, bind, shopper_predicate, shopper_query
from saleor_segments.evaluation.shopper_rows import shopper_rows

from ..factories import NOW, ChannelFactory
from ..reference.evaluator import Reference
from ..reference.snapshot import Snapshot


@pytest.fixture
def now():
    return NOW


@pytest.fixture(autouse=True)
def _saleor_tables_emptied_after_committing_tests(request):
    """Saleor's tables are not Django models here: a transactional test's flush skips them."""
    yield
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        from saleor_segments.standalone.rows import truncate_store

        truncate_store()


@pytest.fixture
def channel(db):
    return ChannelFactory()


def sql_matches(tree, channel_id, subject="customer", single=False, now=NOW) -> set:
    from django.db import connection

    sql, params = shopper_query(tree, channel_id, subject, single)
    with connection.cursor() as cursor:
        cursor.execute(sql, bind(params, now))
        return {r[0] for r in cursor.fetchall()}


def parallel_settings(cursor) -> list[tuple[str, str]]:
    """Settings that make PostgreSQL plan every parallel-safe query as a parallel one, however
    small the tables (PG16 renamed ``force_parallel_mode`` to ``debug_parallel_query``)."""
    cursor.execute("SELECT current_setting('server_version_num')::int")
    force = "debug_parallel_query" if cursor.fetchone()[0] >= 160000 else "force_parallel_mode"
    return [(force, "on"), ("parallel_setup_cost", "0"), ("parallel_tuple_cost", "0"),
            ("min_parallel_table_scan_size", "0"), ("min_parallel_index_scan_size", "0"),
            ("max_parallel_workers_per_gather", "2")]


OWN_FUNCTION = re.compile(r"\bsaleor_segments_\w+\(")


@contextmanager
def forced_parallel_plans():
    """Within: every parallel-safe statement of this connection runs under a Gather (in a
    worker, or in the leader in parallel mode when no worker is free: a function wrongly
    marked PARALLEL SAFE fails either way)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        settings = parallel_settings(cursor)
        cursor.execute("SELECT " + ", ".join(["current_setting(%s)"] * len(settings)),
                       [name for name, _ in settings])
        before = cursor.fetchone()
        for name, value in settings:
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
        yield
        # SET LOCAL outlives a released savepoint (an error rolls it back with the savepoint)
        for (name, _), value in zip(settings, before):
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


def parallel_matches(tree, channel_id, subject="customer", single=False, now=NOW,
                     check_plan=True) -> set:
    """``sql_matches`` under forced parallel plans. With ``check_plan``, a statement calling a
    function of ours must really get a parallel plan (others may not, on tiny tables:
    correlated subplans keep them, or a whole mixed tree, in the leader)."""
    from django.db import connection

    sql, params = shopper_query(tree, channel_id, subject, single)
    with forced_parallel_plans(), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", bind(params, now))
        plan = cursor.fetchone()[0]
        if check_plan and OWN_FUNCTION.search(sql):
            assert "Gather" in str(plan), f"no parallel plan for {tree}"
        cursor.execute(sql, bind(params, now))
        return {r[0] for r in cursor.fetchall()}


def own_rows_matches(tree, channel_id, subject="customer", now=NOW, parallel=False) -> set:
    """Shoppers matched one by one as the check matches them: the predicate compiled over the
    shopper's own rows, read once into common table expressions (``shopper_rows``)."""
    from django.db import connection

    table, alias, pk = SUBJECTS[subject]
    cast = "integer" if subject == "customer" else "uuid"
    predicate = shopper_predicate(tree, channel_id, subject, single=True, own_rows=True)
    found = set()
    with (forced_parallel_plans() if parallel else nullcontext()), \
            connection.cursor() as cursor:
        cursor.execute(f"SELECT {pk} FROM {table}")
        for (shopper,) in cursor.fetchall():
            query = sql("{own}SELECT {a}.{pk} FROM {table} {a} WHERE {a}.{pk} = {s}::{cast} AND {p}",
                        own=shopper_rows(subject, sql("{}::{}", value(shopper), cast)),
                        a=alias, pk=pk, table=table, s=value(shopper), cast=cast, p=predicate)
            cursor.execute(query.sql, bind(list(query.params), now))
            found |= {r[0] for r in cursor.fetchall()}
    return found


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
    return Reference(Snapshot.load(), channel_id, now, subject).matching(tree)


@pytest.fixture
def matches(channel):
    """Who meets a condition (JSON), checked four ways that must agree: set-based SQL,
    single-shopper SQL, the check's form over the shopper's own rows and the Python reference
    evaluator; the SQL forms also under forced parallel plans (the small test stores never get one otherwise)."""

    def run(conditions, subject="customer", channel_id=None, now=NOW):
        channel_id = channel_id or channel["id"]
        if "kind" in conditions:
            conditions = {"conditions": [conditions]}
        tree = parse_tree(conditions)
        found = sql_matches(tree, channel_id, subject, now=now)
        assert sql_matches(tree, channel_id, subject, single=True, now=now) == found
        assert python_matches(tree, channel_id, subject, now=now) == found
        assert parallel_matches(tree, channel_id, subject, now=now) == found
        assert parallel_matches(tree, channel_id, subject, single=True, now=now) == found
        assert own_rows_matches(tree, channel_id, subject, now=now) == found
        assert own_rows_matches(tree, channel_id, subject, now=now, parallel=True) == found
        if subject == "customer":
            assert ranged_matches(tree, channel_id, now=now) == found
        return found

    return run


@pytest.fixture
def fixed_now():
    return dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)

