"""Benchmark (prints figures, asserts nothing about time): what a segment-restricted order
promotion adds to one checkout price calculation in real Saleor.

Run it like the contract suite, naming this file (it is not collected by default):

    python -m pytest <saleor-segments>/tests/saleor_contract/benchmark_discounts.py -s \
        -c <saleor-segments>/setup.cfg --rootdir <saleor-segments> --ds=saleor.tests.settings
"""

import statistics
import time
from contextlib import ExitStack

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connections

from saleor_segments.host import discount_hooks
from saleor_segments.membership.refresh import refresh_segment
from saleor_segments.services.segments import create_segment
from saleor_segments.targeting import discounts

pytestmark = [pytest.mark.saleor_contract, pytest.mark.django_db]
ROUNDS, BLOCKS, WARM_UP = 300, 5, 5


def calculate(checkout):
    """One price calculation: (milliseconds, queries on every connection)."""
    from saleor.checkout.calculations import fetch_checkout_data
    from saleor.checkout.fetch import fetch_checkout_info, fetch_checkout_lines
    from saleor.plugins.manager import get_plugins_manager

    manager = get_plugins_manager(allow_replica=False)
    lines, _ = fetch_checkout_lines(checkout)
    info = fetch_checkout_info(checkout, lines, manager)
    count = [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with ExitStack() as stack:
        for alias in {"default", settings.DATABASE_CONNECTION_REPLICA_NAME}:
            stack.enter_context(connections[alias].execute_wrapper(counter))
        started = time.perf_counter()
        result = fetch_checkout_data(info, manager, lines, requestor=None, force_update=True)
        if hasattr(result, "get"):
            result.get()
        return (time.perf_counter() - started) * 1000, count[0]


def test_price_calculation_cost(settings, checkout_with_item, customer_user,
                                order_promotion_with_rule, channel_USD):
    settings.PLUGINS = ["saleor_segments.host.plugin.CustomerSegmentsPlugin"]
    cache.delete(discounts.CACHE_KEY)
    cache.delete(discount_hooks.ACTIVE_CACHE_KEY)
    promotion = order_promotion_with_rule
    rule = promotion.rules.get()
    rule.order_predicate = {"discountedObjectPredicate": {"baseSubtotalPrice": {
        "range": {"gte": 1}}}}
    rule.save(update_fields=["order_predicate"])
    checkout = checkout_with_item
    checkout.user = customer_user
    checkout.save(update_fields=["user"])
    members = create_segment(name="members", channel_id=channel_USD.pk, conditions={
        "conditions": [{"kind": "customer.field", "field": "email", "operator": "is",
                        "value": customer_user.email}]})
    others = create_segment(name="others", channel_id=channel_USD.pk, conditions={
        "conditions": [{"kind": "customer.field", "field": "email", "operator": "is",
                        "value": "nobody@example.com"}]})
    for segment in (members, others):
        refresh_segment(segment)

    cases = {  # name -> (promotion limited to, a voucher elsewhere limited to)
        "no restriction anywhere": ([], []),
        "unrestricted promotion (a voucher elsewhere restricted)": ([], [others.pk]),
        "restricted promotion, member": ([members.pk], [others.pk]),
        "restricted promotion, non-member": ([others.pk], [others.pk]),
    }
    samples = {name: [] for name in cases}
    queries = {}
    for _block in range(BLOCKS):  # blocks of each case in turn, so drift hits them alike
        for name, (promotion_segments, voucher_segments) in cases.items():
            discounts.set_segments("promotion", promotion.pk, promotion_segments)
            discounts.set_segments("voucher", 10**9, voucher_segments)
            discounts.restrictions()  # a running store has the map cached
            for round_ in range(WARM_UP + ROUNDS // BLOCKS):  # warm-up: the state settles
                elapsed, count = calculate(checkout)
                if round_ >= WARM_UP:
                    samples[name].append(elapsed)
                    queries[name] = count
    rows = []
    for name, times in samples.items():
        times.sort()
        rows.append((name, statistics.median(times), times[int(len(times) * 0.95)],
                     queries[name]))

    base = rows[0]
    print(f"\ncheckout price calculation (fetch_checkout_data, force_update), {ROUNDS} rounds, "
          "real Saleor, PostgreSQL on this machine")
    print(f"{'case':58} {'median':>9} {'p95':>9} {'queries':>8} {'added (median)':>15}")
    for name, median, p95, queries in rows:
        print(f"{name:58} {median:>7.2f}ms {p95:>7.2f}ms {queries:>8} "
              f"{median - base[1]:>+12.2f}ms ({queries - base[3]:+d} q)")
    assert rows[1][3] == base[3]  # unrestricted discounts: not one query more
