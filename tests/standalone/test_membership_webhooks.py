"""Membership events: deliveries to a loopback HTTP receiver started by the test."""

import datetime as dt
import json
import threading

import psycopg
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from saleor_segments.membership.refresh import refresh_segment
from saleor_segments.membership.tables import LOG_TABLE
from saleor_segments.services.segments import create_segment
from saleor_segments.standalone.rows import insert_many
from saleor_segments.webhooks import signing, transport
from saleor_segments.webhooks.models import DeliveredChange, MembershipDelivery
from saleor_segments.webhooks.outbox import collect
from saleor_segments.webhooks.sending import send_due
from saleor_segments.webhooks.services import create_subscription

from ..factories import NOW, UserFactory
from ..helpers import EMAIL_SHOP
from ..loopback import Receiver


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture(autouse=True)
def manual_dispatch(request):
    """These tests collect and send themselves, with their clock: the wake-up after commit
    (an eager Celery task in tests) is switched off, except where a test asks for it."""
    from saleor_segments import webhooks
    from saleor_segments.membership import events

    if "wake_up" in request.fixturenames:
        yield
        return
    events.memberships_changed.disconnect(dispatch_uid="segments-webhooks-refresh")
    events.shopper_checked.disconnect(dispatch_uid="segments-webhooks-check")
    yield
    webhooks.install()


class Clock:
    """The time as the sender sees it: now (deliveries are due from their creation), moved
    forward by the test."""

    def __init__(self):
        self.at = timezone.now() + dt.timedelta(seconds=1)

    def __call__(self):
        return self.at


def shop_segment(channel, name="Shop"):
    return create_segment(name=name, channel_id=channel["id"], conditions=EMAIL_SHOP)


def subscribe(segment, url, **kwargs):
    return create_subscription(name="CRM", target_url=url, segment_ids=[segment.pk], **kwargs)


def deliver(subscription, clock=None):
    collect(subscription.pk)
    return send_due(subscription.pk, now=clock or Clock())


def one_member_subscribed(channel, receiver):
    """A segment a subscription listens to, refreshed with one customer in it."""
    UserFactory(email="a@shop.com")
    segment = shop_segment(channel)
    created = subscribe(segment, receiver.url)
    refresh_segment(segment)
    return segment, created


def set_email(customer_id, email):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE account_user SET email = %s WHERE id = %s", [email, customer_id])


@pytest.mark.django_db(transaction=True)
def test_joins_and_leaves_arrive_signed_and_batched(channel, receiver):
    a, b = UserFactory(email="a@shop.com"), UserFactory(email="b@shop.com")
    UserFactory(email="c@elsewhere.com")
    segment = shop_segment(channel)
    created = subscribe(segment, receiver.url)
    refresh_segment(segment)

    clock = Clock()
    assert deliver(created.subscription, clock) is None
    assert len(receiver.received) == 1  # one delivery carries both joins
    headers, body = receiver.received[0]
    sent = clock.at.timestamp()
    assert signing.verify(created.secret, headers, body, now=sent + 60)
    assert not signing.verify("another-secret", headers, body, now=sent)
    assert not signing.verify(created.secret, headers, body + b" ", now=sent)
    assert not signing.verify(created.secret, headers, body, now=sent + 3600)  # a replay
    payload = json.loads(body)
    assert payload["event"] == "segment_membership_changed" and payload["attempt"] == 1
    changes = payload["changes"]
    assert [(c["action"], c["customer"]["email"]) for c in changes] == [
        ("joined", "a@shop.com"), ("joined", "b@shop.com")]
    assert changes[0]["segment"] == {"id": _gid("Segment", segment.pk), "name": "Shop"}
    assert changes[0]["customer"]["id"] == _gid("User", a["id"])
    delivery = MembershipDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("success", 1, 200)
    assert delivery.change_ids == [c["id"] for c in changes]

    set_email(b["id"], "b@elsewhere.com")
    refresh_segment(segment)
    deliver(created.subscription)
    assert [(c["action"], c["customer"]["email"]) for c in receiver.payloads()[1]["changes"]] \
        == [("left", "b@elsewhere.com")]


@pytest.mark.django_db(transaction=True)
def test_only_the_chosen_events_and_segments(channel, receiver):
    UserFactory(email="a@shop.com")
    segment, other = shop_segment(channel), shop_segment(channel, "Other")
    created = subscribe(segment, receiver.url, actions=["left"])
    refresh_segment(segment)
    refresh_segment(other)
    deliver(created.subscription)
    assert receiver.received == [] and not MembershipDelivery.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_history_before_the_subscription_is_not_sent(channel, receiver):
    UserFactory(email="a@shop.com")
    segment = shop_segment(channel)
    refresh_segment(segment)
    created = subscribe(segment, receiver.url)
    deliver(created.subscription)
    assert receiver.received == []


@pytest.mark.django_db(transaction=True)
def test_retries_on_500_with_back_off_then_succeeds(channel, receiver, settings):
    settings.SEGMENTS_WEBHOOK_RETRY_SECONDS = 30
    UserFactory(email="a@shop.com")
    segment = shop_segment(channel)
    created = subscribe(segment, receiver.url)
    refresh_segment(segment)
    receiver.statuses = [500, 503]
    clock = Clock()
    t0 = clock.at

    assert deliver(created.subscription, clock) == t0 + dt.timedelta(seconds=30)
    clock.at = t0 + dt.timedelta(seconds=29)  # not due yet: nothing sent
    assert send_due(created.subscription.pk, now=clock) == t0 + dt.timedelta(seconds=30)
    assert len(receiver.received) == 1
    clock.at = t0 + dt.timedelta(seconds=30)  # second attempt fails: twice the delay
    assert send_due(created.subscription.pk, now=clock) == clock.at + dt.timedelta(seconds=60)
    delivery = MembershipDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("pending", 2, 503)
    assert delivery.last_error.startswith("HTTP 503")
    clock.at += dt.timedelta(seconds=60)
    assert send_due(created.subscription.pk, now=clock) is None

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("success", 3, 200)
    assert delivery.last_error == "" and delivery.delivered_at == clock.at
    payloads = receiver.payloads()
    assert [p["attempt"] for p in payloads] == [1, 2, 3]
    assert len({json.dumps(p["changes"]) for p in payloads}) == 1  # the same changes


@pytest.mark.django_db(transaction=True)
def test_gives_up_after_the_limit_and_the_next_delivery_goes_on(channel, receiver, settings):
    settings.SEGMENTS_WEBHOOK_MAX_ATTEMPTS = 3
    a = UserFactory(email="a@shop.com")
    segment = shop_segment(channel)
    created = subscribe(segment, receiver.url)
    refresh_segment(segment)
    receiver.statuses = [500] * 3
    clock = Clock()
    retry_at = deliver(created.subscription, clock)
    while retry_at is not None:
        clock.at = retry_at
        retry_at = send_due(created.subscription.pk, now=clock)
    failed = MembershipDelivery.objects.get()
    assert (failed.status, failed.attempts, failed.response_code) == ("failed", 3, 500)
    assert len(receiver.received) == 3

    set_email(a["id"], "a@elsewhere.com")
    refresh_segment(segment)
    assert deliver(created.subscription, clock) is None  # the failed one does not block
    assert [c["action"] for c in receiver.payloads()[-1]["changes"]] == ["left"]
    assert len(receiver.received) == 4


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_endpoint_is_recorded(channel, settings):
    settings.SEGMENTS_WEBHOOK_MAX_ATTEMPTS = 1
    UserFactory(email="a@shop.com")
    segment = shop_segment(channel)
    closed = Receiver()  # a port nothing listens on any more
    closed.close()
    created = subscribe(segment, closed.url)
    refresh_segment(segment)
    deliver(created.subscription)
    delivery = MembershipDelivery.objects.get()
    assert (delivery.status, delivery.response_code) == ("failed", None)
    assert "Connection refused" in delivery.last_error or "Errno" in delivery.last_error


@pytest.mark.django_db(transaction=True)
def test_no_change_is_delivered_twice(channel, receiver, settings):
    settings.SEGMENTS_WEBHOOK_BATCH_SIZE = 2
    for n in range(5):
        UserFactory(email=f"{n}@shop.com")
    segment = shop_segment(channel)
    created = subscribe(segment, receiver.url)
    refresh_segment(segment)

    runs = [threading.Thread(target=_collect_in_thread, args=(created.subscription.pk,))
            for _ in range(4)]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    collect(created.subscription.pk)
    send_due(created.subscription.pk, now=Clock())
    send_due(created.subscription.pk, now=Clock())
    collect(created.subscription.pk)

    ids = [c["id"] for p in receiver.payloads() for c in p["changes"]]
    assert len(ids) == 5 and len(set(ids)) == 5
    assert [len(p["changes"]) for p in receiver.payloads()] == [2, 2, 1]  # batches of 2
    assert ids == sorted(ids)
    assert MembershipDelivery.objects.count() == 3


def _collect_in_thread(pk):
    try:
        collect(pk)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_one_shoppers_changes_keep_their_order_across_open_transactions(channel, receiver):
    """A change whose transaction began earlier but wrote later must not overtake the
    shopper's earlier change, still in a transaction other sessions see as running."""
    x, y = UserFactory(email="x@shop.com"), UserFactory(email="y@shop.com")
    segment = shop_segment(channel)
    created = subscribe(segment, receiver.url)
    dsn = _dsn()
    late_writer = psycopg.connect(dsn)  # B: its transaction id is the oldest
    bystander = psycopg.connect(dsn)  # E: a running transaction (the horizon stays at it)
    early_writer = psycopg.connect(dsn, autocommit=True)  # C
    try:
        late_writer.execute(f"INSERT INTO {LOG_TABLE} {_ROW}", _row(segment, y, "joined"))
        bystander.execute("SELECT pg_current_xact_id()")
        early_writer.execute(f"INSERT INTO {LOG_TABLE} {_ROW}", _row(segment, x, "joined"))
        late_writer.execute(f"INSERT INTO {LOG_TABLE} {_ROW}", _row(segment, x, "left"))
        late_writer.commit()

        deliver(created.subscription)  # x's "left" is older by transaction, later in fact
        assert [c["customer"]["email"] for p in receiver.payloads() for c in p["changes"]] \
            == ["y@shop.com"]
        bystander.commit()
        deliver(created.subscription)
    finally:
        for conn in (late_writer, bystander, early_writer):
            conn.close()
    assert [(c["customer"]["email"], c["action"]) for c in receiver.payloads()[1]["changes"]] \
        == [("x@shop.com", "joined"), ("x@shop.com", "left")]
    assert DeliveredChange.objects.count() == 0  # below the position: forgotten


_ROW = ("(segment_id, customer_id, action, at, reason, definition_version) "
        "VALUES (%s, %s, %s, now(), 'test', 1)")


def _row(segment, customer, action):
    return [segment.pk, customer["id"], action]


def _dsn() -> str:
    params = connection.get_connection_params()
    return psycopg.conninfo.make_conninfo(**{k: v for k, v in params.items()
                                             if k in ("dbname", "host", "port", "user",
                                                      "password")})


def _gid(kind, pk):
    from graphql_relay import to_global_id

    return to_global_id(kind, str(pk))


class Recorder:
    """A host that records each POST and whether a transaction was open at the time."""

    def __init__(self):
        self.calls: list[bool] = []

    def post(self, url, body, headers, timeout):
        self.calls.append(connection.in_atomic_block)
        return transport.Response(None, "dead endpoint")

    def app_headers(self, app_id, body):
        raise transport.AppUnavailable

    def app_name(self, app_id):
        return None


@pytest.fixture
def wake_up():
    """The wake-up after commit stays connected."""


@pytest.mark.django_db
def test_refresh_of_10000_members_does_no_delivery_work_with_a_dead_endpoint(
        channel, django_capture_on_commit_callbacks, wake_up):
    insert_many("account_user", [_user(n) for n in range(10_000)])
    segment, twin = shop_segment(channel), shop_segment(channel, "Twin")
    refresh_segment(shop_segment(channel, "Warm-up"))  # once-per-process work done

    with CaptureQueriesContext(connection) as without:
        refresh_segment(twin)
    subscribe(segment, "http://127.0.0.1:9/dead")  # the discard port: nothing answers
    recorder = Recorder()
    transport.set_host(recorder)
    try:
        with django_capture_on_commit_callbacks() as callbacks, \
                CaptureQueriesContext(connection) as with_subscription:
            result = refresh_segment(segment)
    finally:
        transport.set_host(transport.StandaloneHost())
    assert result.joined == 10_000
    assert recorder.calls == []  # no POST inside (or during) the refresh
    # the same statements with or without a subscriber (one asks "is anyone subscribed?");
    # the wake-up waits for the commit
    asked = [q["sql"] for q in with_subscription.captured_queries
             if "saleor_segments_membershipsubscription" in q["sql"]]
    assert len(with_subscription) == len(without) and len(asked) == 1, asked
    assert [c.__name__ for c in callbacks] == ["_publish"]
    assert not MembershipDelivery.objects.exists()


def _user(n):
    return {"email": f"c{n}@shop.com", "first_name": "Ann", "last_name": "Smith",
            "is_staff": False, "is_active": True, "is_confirmed": True,
            "date_joined": NOW - dt.timedelta(days=100), "updated_at": NOW,
            "language_code": "en", "number_of_orders": 0, "metadata": {},
            "private_metadata": {}}


@pytest.mark.django_db(transaction=True)
def test_private_metadata_mirror_is_off_by_default_and_follows_membership(channel, settings):
    from saleor_segments.webhooks.mirror import mirror_changed

    a = UserFactory(email="a@shop.com", private_metadata={"kept": "yes"})
    segment = shop_segment(channel)
    refresh_segment(segment)
    assert mirror_changed() == 0  # off: nothing read, nothing written

    settings.SEGMENTS_MEMBERSHIP_METADATA_KEY = "segments"
    mirror_changed()  # the first run starts reading from now
    other = shop_segment(channel, "Other")
    refresh_segment(other)
    assert mirror_changed() == 1
    assert _private_metadata(a) == {"kept": "yes", "segments": json.dumps(
        [_gid("Segment", segment.pk), _gid("Segment", other.pk)], separators=(", ", ": "))}

    set_email(a["id"], "a@elsewhere.com")
    refresh_segment(segment)
    refresh_segment(other)
    assert mirror_changed() == 1 and _private_metadata(a)["segments"] == "[]"
    assert mirror_changed() == 0  # nothing new


def _private_metadata(customer):
    with connection.cursor() as cursor:
        cursor.execute("SELECT private_metadata FROM account_user WHERE id = %s",
                       [customer["id"]])
        value = cursor.fetchone()[0]
    return json.loads(value) if isinstance(value, str) else value


@pytest.mark.django_db
def test_a_failing_subscription_check_never_breaks_the_refresh(channel, wake_up, monkeypatch,
                                                              caplog):
    from saleor_segments.webhooks.models import MembershipSubscription

    UserFactory(email="a@shop.com")
    segment = shop_segment(channel)

    def broken(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")

    monkeypatch.setattr(MembershipSubscription.objects, "filter", broken)
    assert refresh_segment(segment).joined == 1
    assert "could not check for subscriptions" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_deleted_segments_members_are_told_they_left(channel, receiver):
    from saleor_segments.services.segments import delete_segment

    segment, created = one_member_subscribed(channel, receiver)
    pk = segment.pk
    delete_segment(segment)
    deliver(created.subscription)
    changes = [c for p in receiver.payloads() for c in p["changes"]]
    assert [(c["action"], c["reason"]) for c in changes] == [("joined", "refresh"),
                                                            ("left", "segment_deleted")]
    assert changes[1]["segment"] == {"id": _gid("Segment", pk), "name": None}


@pytest.mark.django_db(transaction=True)
def test_old_deliveries_are_pruned_and_their_changes_never_sent_again(channel, receiver):
    from saleor_segments.webhooks.tasks import prune_membership_deliveries_task

    _segment, created = one_member_subscribed(channel, receiver)
    deliver(created.subscription)
    sent = MembershipDelivery.objects.get()
    pending = MembershipDelivery.objects.create(subscription=created.subscription,
                                                changes=[], change_ids=[])
    long_ago = timezone.now() - dt.timedelta(days=31)
    MembershipDelivery.objects.update(created_at=long_ago)
    recent = MembershipDelivery.objects.create(subscription=created.subscription, changes=[],
                                               change_ids=[], status="failed")

    assert prune_membership_deliveries_task.apply().get() == 1  # the 30-day default
    assert set(MembershipDelivery.objects.values_list("pk", flat=True)) == {pending.pk,
                                                                            recent.pk}
    assert not MembershipDelivery.objects.filter(pk=sent.pk).exists()
    collect(created.subscription.pk)  # the pruned delivery's join is not collected again
    assert MembershipDelivery.objects.count() == 2 and len(receiver.received) == 1
