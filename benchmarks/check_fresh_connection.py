"""The one-shopper check on a brand-new connection, prepared vs unprepared.

    DATABASE_URL=postgresql://... python benchmarks/refresh_benchmark.py --customers 100000 \\
        --orders 500000 --only-checks --split-parts 0      # generates the data once
    DATABASE_URL=postgresql://... python benchmarks/check_fresh_connection.py [--rounds 30]

Saleor's default ``DB_CONN_MAX_AGE=0`` opens a new database connection per web request, so an
event's check is the first on its connection. This times that first check (the connection is
opened before the clock starts) with the statement prepared (``CONN_MAX_AGE`` None: what a kept
connection does) and unprepared (``CONN_MAX_AGE`` 0), for 50 mixed segments (the refresh
benchmark's), with no event (every segment) and with the events Saleor's web requests bring;
then checks on one kept connection against the targets (median < 2 ms, p95 < 5 ms).
Memberships are made current first, so no check writes.
"""

import argparse
import statistics
import sys
import time

from django.db import connection  # noqa: I001  (refresh_benchmark sets Django up)
from refresh_benchmark import NOW, fifty_segments, load, scalar

from saleor_segments.conditions import Event
from saleor_segments.membership.check import check_customer
from saleor_segments.models import CustomerField, Segment

MODES = {"prepared": None, "unprepared": 0}  # CONN_MAX_AGE


def first_check(pk: int, event: Event | None, conn_max_age: int | None) -> tuple[float, float]:
    """(ms of the first check on a new connection, ms of the second on it)."""
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = conn_max_age
    connection.ensure_connection()
    times = []
    for _ in range(2):
        started = time.perf_counter()
        result = check_customer(pk, event=event, now=NOW)
        times.append((time.perf_counter() - started) * 1000)
        assert not (result.joined or result.left)
    return times[0], times[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30, help="new connections per case")
    parser.add_argument("--kept", type=int, default=300, help="checks on one kept connection")
    args = parser.parse_args()
    customers = scalar("SELECT count(*) FROM account_user WHERE NOT is_staff")
    if not customers:
        sys.exit("no data: run benchmarks/refresh_benchmark.py on this database first")
    Segment.objects.all().delete()
    CustomerField.objects.get_or_create(source="attribute", key="gender",
                                        defaults={"value_type": "string"})
    fifty_segments()
    ids = list(range(1, customers + 1, max(1, customers // (args.rounds * 3 + args.kept))))
    for pk in ids:  # memberships current (and definitions compiled, statements built)
        check_customer(pk, now=NOW)
    print(f"{customers:,} customers, 50 active segments; {load()}\n")
    print("first check on a new connection (ms; the connection opened before timing), "
          f"{args.rounds} connections per case:")
    print(f"  {'event':10} {'mode':11} {'first median':>13} {'first p95':>10} "
          f"{'second median':>14}")
    for event in (None, Event.CHECKOUT, Event.CUSTOMER, Event.ORDER):
        sample = iter(ids)
        runs: dict = {mode: [] for mode in MODES}
        for _ in range(args.rounds):  # the modes alternate: the same load for both
            for mode, age in MODES.items():
                runs[mode].append(first_check(next(sample), event, age))
        for mode, times in runs.items():
            firsts = sorted(t[0] for t in times)
            print(f"  {event.value if event else 'all':10} {mode:11} "
                  f"{statistics.median(firsts):>13.2f} {firsts[int(len(firsts) * 0.95)]:>10.2f} "
                  f"{statistics.median(t[1] for t in times):>14.2f}", flush=True)
    print(f"  ({load()})")

    for mode, age in MODES.items():
        connection.close()
        connection.settings_dict["CONN_MAX_AGE"] = age
        check_customer(ids[0], now=NOW)  # the first check: prepares (when it does)
        latencies = []
        for pk in ids[:args.kept]:
            started = time.perf_counter()
            check_customer(pk, event=Event.CHECKOUT, now=NOW)
            latencies.append((time.perf_counter() - started) * 1000)
        latencies.sort()
        median, p95 = statistics.median(latencies), latencies[int(len(latencies) * 0.95)]
        print(f"\nchecks (checkout event) on one kept connection, {mode}: median {median:.2f} ms "
              f"(target < 2 ms: {'met' if median < 2 else 'NOT MET'}), p95 {p95:.2f} ms "
              f"(target < 5 ms: {'met' if p95 < 5 else 'NOT MET'}) over {len(latencies)} "
              f"checks; {load()}", flush=True)


if __name__ == "__main__":
    main()
