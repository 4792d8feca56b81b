"""Refresh time with and without a membership event subscription to a dead endpoint.

    DATABASE_URL=postgresql://.../seg_bench CELERY_BROKER_URL=redis://127.0.0.1:6379/6 \
        python benchmarks/webhook_benchmark.py [--customers 10000] [--rounds 5]

Each round refreshes a new segment that all customers join, once with no subscription and
once with a subscription whose endpoint never answers (a loopback socket that listens but never
reads: every POST waits for its timeout). The refresh only queues the dispatch task after commit (no worker runs
here), so both medians should be alike; the delivery work (outbox read, then one POST that
times out) is timed apart, as a Celery worker would do it. Wipes the standalone store tables
of the database it is given: never point it at a shop.
"""

import argparse
import datetime as dt
import os
import socket
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_segments.standalone.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import override_settings  # noqa: E402

from saleor_segments.membership.refresh import refresh_segment  # noqa: E402
from saleor_segments.models import Segment  # noqa: E402
from saleor_segments.services.segments import create_segment  # noqa: E402
from saleor_segments.standalone.rows import insert, insert_many, truncate_store  # noqa: E402
from saleor_segments.webhooks.models import MembershipSubscription  # noqa: E402
from saleor_segments.webhooks.outbox import collect  # noqa: E402
from saleor_segments.webhooks.sending import send_due  # noqa: E402
from saleor_segments.webhooks.services import create_subscription  # noqa: E402

SHOP = {"conditions": [{"kind": "customer.field", "field": "email", "operator": "contains",
                        "value": "@shop.com"}]}


def load(customers: int) -> int:
    truncate_store()
    Segment.objects.all().delete()
    MembershipSubscription.objects.all().delete()
    channel = insert("channel_channel", name="Bench", slug="bench", currency_code="USD",
                     is_active=True)
    now = dt.datetime.now(dt.UTC)
    insert_many("account_user", [
        {"email": f"c{n}@shop.com", "first_name": "Ann", "last_name": "Smith",
         "is_staff": False, "is_active": True, "is_confirmed": True, "date_joined": now,
         "updated_at": now, "language_code": "en", "number_of_orders": 0, "metadata": {},
         "private_metadata": {}} for n in range(customers)])
    return channel["id"]


def dead_endpoint() -> tuple[socket.socket, str]:
    """A socket that takes connections (the kernel's backlog) and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    return sock, f"http://127.0.0.1:{sock.getsockname()[1]}/hooks"


def timed_refresh(channel_id: int, subscribed: bool, n: int, dead: str) -> float:
    segment = create_segment(name=f"bench {n}", channel_id=channel_id, conditions=SHOP)
    MembershipSubscription.objects.all().delete()
    if subscribed:
        create_subscription(name="dead", target_url=dead, segment_ids=[segment.pk])
    started = time.perf_counter()
    result = refresh_segment(segment)
    seconds = time.perf_counter() - started
    assert result.joined > 0
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=2.0, help="a POST's timeout (s)")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    channel_id = load(args.customers)
    _sock, dead = dead_endpoint()
    load_avg = os.getloadavg()[0]
    times: dict[bool, list[float]] = {False: [], True: []}
    n = 0
    for _round in range(args.rounds):
        for subscribed in (False, True):
            n += 1
            times[subscribed].append(timed_refresh(channel_id, subscribed, n, dead))
    without, with_dead = (statistics.median(times[k]) for k in (False, True))
    print(f"refresh of {args.customers:,} joins, median of {args.rounds} "
          f"(load {load_avg:.1f}):")
    print(f"  no subscription:               {without:.3f} s  {times[False]}")
    print(f"  subscribed, dead endpoint:     {with_dead:.3f} s  {times[True]}")
    print(f"  ratio:                         {with_dead / without:.2f}")

    subscription = MembershipSubscription.objects.get()
    with override_settings(SEGMENTS_WEBHOOK_TIMEOUT=args.timeout):
        started = time.perf_counter()
        deliveries = collect(subscription.pk)
        collected = time.perf_counter() - started
        started = time.perf_counter()
        send_due(subscription.pk)  # first delivery times out, then waits for its retry
        sent = time.perf_counter() - started
    error = subscription.deliveries.order_by("pk").first().last_error
    print(f"delivery work (Celery worker, not the refresh): outbox read into "
          f"{len(deliveries)} deliveries {collected:.3f} s; one POST to the dead endpoint "
          f"{sent:.3f} s (timeout {args.timeout} s: {error})")


if __name__ == "__main__":
    main()
