"""The one-shopper check's prepared statement: it selects exactly who the set-based SQL selects,
a changed definition takes effect on the next check, it runs inside a caller's transaction
(Saleor's atomic blocks) without disturbing it, and a statement the server lost is prepared
again. On a connection closed after its request (CONN_MAX_AGE 0) nothing is prepared and the
memberships are the same."""

import itertools

import psycopg
import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saleor_segments.conditions import Event, parse_tree, temporarily
from saleor_segments.conditions.sql import Fragment
from saleor_segments.membership import check
from saleor_segments.membership.check import check_customer
from saleor_segments.membership.check_statement import statement
from saleor_segments.models import Segment
from saleor_segments.services.segments import create_segment, update_segment

from ..factories import NOW, UserFactory
from ..helpers import EMAIL_SHOP, members
from .conftest import sql_matches
from .test_property_sql_equals_python import build_store, strategies, tree_strategy
from .test_refresh import FAILING_SQL, Exploding, store_bad_tree

EMAIL_OTHER = {"conditions": [{"kind": "customer.field", "field": "email",
                               "operator": "contains", "value": "@other.com"}]}


@pytest.fixture(autouse=True)
def kept_connection(monkeypatch):
    """A connection that is kept (a Celery worker, CONN_MAX_AGE > 0): the check prepares."""
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", None)


def prepared_checks() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql "
                       "AND statement LIKE 'WITH r AS MATERIALIZED (WITH shopper_%%SELECT ARRAY[CASE WHEN%%'")
        return [r[0] for r in cursor.fetchall()]


def settings_now() -> tuple:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit'), current_setting('enable_bitmapscan'), "
                       "current_setting('plan_cache_mode')")
        return cursor.fetchone()


@pytest.mark.django_db
def test_a_changed_definition_takes_effect_on_the_next_check(channel):
    shopper = UserFactory(email="a@shop.com")["id"]
    segment = create_segment(name="S", channel_id=channel["id"], conditions=EMAIL_SHOP)
    assert check_customer(shopper).joined == [segment.pk]
    assert check_customer(shopper).joined == []
    assert len([s for s in prepared_checks() if "@shop.com" in s]) == 1  # prepared once, reused

    update_segment(segment, conditions=EMAIL_OTHER)
    assert check_customer(shopper).left == [segment.pk]
    assert any("@other.com" in s for s in prepared_checks())
    update_segment(segment, conditions=EMAIL_SHOP)
    assert check_customer(shopper).joined == [segment.pk]

    for i in range(check._KEEP_PREPARED):  # statements of changed definitions do not pile up
        update_segment(segment, conditions={"conditions": [{
            "kind": "customer.field", "field": "email", "operator": "contains",
            "value": f"@shop{i}.com"}]})
        assert check_customer(shopper).left == ([segment.pk] if i == 0 else [])
    assert len(prepared_checks()) < check._KEEP_PREPARED  # the driver deallocates the rest
    update_segment(segment, conditions=EMAIL_SHOP)
    assert check_customer(shopper).joined == [segment.pk]

    added = create_segment(name="T", channel_id=channel["id"], conditions=EMAIL_SHOP)
    assert check_customer(shopper).joined == [added.pk]
    update_segment(added, status=Segment.Status.INACTIVE)
    assert added.pk not in check_customer(shopper).checked
    assert members(segment) == members(added) == {shopper}


@pytest.mark.django_db(transaction=True)
def test_inside_a_callers_transaction_and_on_its_own(channel):
    shopper = UserFactory(email="a@shop.com")["id"]
    segment = create_segment(name="S", channel_id=channel["id"], conditions=EMAIL_SHOP)
    before = settings_now()
    with transaction.atomic():  # as Saleor's atomic blocks call it
        assert check_customer(shopper).joined == [segment.pk]
        assert members(segment) == {shopper}
        assert settings_now() == before  # the check's planner settings are put back
        transaction.set_rollback(True)
    assert members(segment) == set()  # the caller's rollback takes the check's writes along

    sent: list = []
    real = check._run
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(check, "_run", lambda raw, steps, *rest: sent.extend(steps) or real(
            raw, steps, *rest))
        assert check_customer(shopper).joined == [segment.pk]  # its own transaction, committed
    # its commit waits for the disk (joins and leaves are logged, the log feeds the webhooks)
    texts = [str(s.sql) if isinstance(s, Fragment) else s[0].text.decode() for s in sent]
    assert texts and not [t for t in texts if "synchronous_commit" in t]
    assert connection.connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    with psycopg.connect(connection.connection.info.dsn) as other:
        assert other.execute("SELECT customer_id FROM saleor_segments_customermembership "
                             "WHERE segment_id = %s", [segment.pk]).fetchall() == [(shopper,)]


@pytest.mark.django_db(transaction=True)
def test_a_failing_segment_leaves_the_callers_transaction_usable(channel, monkeypatch):
    shopper = UserFactory(email="a@shop.com")["id"]
    good = create_segment(name="S", channel_id=channel["id"], conditions=EMAIL_SHOP)
    failing = store_bad_tree(create_segment(name="F", channel_id=channel["id"],
                                            conditions=EMAIL_SHOP), FAILING_SQL)
    one_by_one = []
    real = check._check_one_by_one
    monkeypatch.setattr(check, "_check_one_by_one", lambda *args, only=None: one_by_one.append(
        sorted(only or [])) or real(*args, only=only))
    with temporarily(Exploding):
        for _ in range(3):
            with transaction.atomic():  # as Saleor's atomic blocks call it
                result = check_customer(shopper)
                assert sorted(result.failed) == [failing.pk]
                assert "division by zero" in result.failed[failing.pk]
                assert members(good) == {shopper}
                with connection.cursor() as cursor:  # the caller's transaction goes on
                    cursor.execute("SELECT 1")
    # once found failing, the segment is kept out of the combined statement and checked on its
    # own (a failing prepared statement would be prepared again on every check)
    assert one_by_one == [[], [failing.pk], [failing.pk]]
    assert len(prepared_checks()) <= 2


@pytest.mark.django_db
def test_a_statement_the_server_lost_is_prepared_again(channel):
    shopper = UserFactory(email="a@shop.com")["id"]
    segment = create_segment(name="S", channel_id=channel["id"], conditions=EMAIL_SHOP)
    assert check_customer(shopper).joined == [segment.pk]
    with connection.cursor() as cursor:  # as a pooler's reset does, behind the driver's back
        cursor.execute("DEALLOCATE ALL")
    assert prepared_checks() == []
    with connection.cursor() as cursor:
        cursor.execute("UPDATE account_user SET email = 'a@x.com' WHERE id = %s", [shopper])
    assert check_customer(shopper).left == [segment.pk]
    assert check_customer(shopper).left == []
    assert len(prepared_checks()) == 1


FAKE_IDS = itertools.count(100_000)


@settings(max_examples=int(__import__("os").environ.get("PROPERTY_EXAMPLES", 40)),
          deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                HealthCheck.too_slow,
                                                HealthCheck.data_too_large])
@given(data=st.data())
@pytest.mark.parametrize("prepare", [True, False])
@pytest.mark.django_db
def test_the_prepared_statement_selects_what_the_set_based_sql_selects(channel, data, prepare):
    """Many segments side by side in one prepared statement, values written in as literals,
    each evaluated only when asked for: each selects exactly its set-based SQL's shoppers.
    Unprepared (a connection closed after its request), made of the asked segments only: the
    same."""
    with transaction.atomic():
        ids = build_store(data.draw, channel)
        raws = data.draw(st.lists(tree_strategy(strategies(ids)), min_size=2, max_size=6))
        first = next(FAKE_IDS) * 10  # statements are kept by segment id and version
        segments = [Segment(pk=first + i, name=f"t{i}", channel_id=channel["id"],
                            apply_to="visitors_and_customers", conditions=raw,
                            definition_version=1, updated_at=NOW)
                    for i, raw in enumerate(raws)]
        asked = {s.pk for s in segments if data.draw(st.booleans())}
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM account_user")
            customers = [r[0] for r in cursor.fetchall()]
            cursor.execute("SELECT token FROM checkout_checkout WHERE user_id IS NULL")
            visitors = [r[0] for r in cursor.fetchall()]
        for subject, shoppers in (("customer", customers), ("visitor", visitors)):
            made_of = segments if prepare else [s for s in segments if s.pk in asked]
            if not made_of:  # (the check makes no statement then)
                continue
            found = statement(made_of, subject, connection.connection)
            met: dict = {s.pk: set() for s in segments}
            for shopper in shoppers:
                row = check._run(connection.connection, [  # no stamp: nothing written
                    (found, found.params(shopper, NOW, asked, None, "test"))], prepare)[0][0]
                for segment, hit in zip(made_of, row[1], strict=True):
                    assert (hit is None) == (segment.pk not in asked)
                    if hit:
                        met[segment.pk].add(shopper)
            for segment, raw in zip(segments, raws, strict=True):
                if segment.pk in asked:
                    assert met[segment.pk] == sql_matches(parse_tree(raw), channel["id"],
                                                          subject), raw
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_a_kept_connection_prepares_a_statement_per_kind_of_event(channel):
    """A prepared statement holds only the segments its kind of event can change (a segment
    it holds costs its executor's start and end even when the check does not run it); the
    channel only chooses which of them run."""
    shopper = UserFactory(email="a@shop.com")["id"]
    by_email = create_segment(name="S", channel_id=channel["id"], conditions=EMAIL_SHOP)
    by_cart = create_segment(name="C", channel_id=channel["id"], conditions={"conditions": [
        {"kind": "cart", "field": "quantity", "operator": "gte", "value": 0}]})
    check._forget_prepared(connection.connection)
    assert check_customer(shopper, event=Event.CHECKOUT, channel_id=channel["id"]).checked == [
        by_cart.pk]
    assert check_customer(shopper, event=Event.CHECKOUT).checked == [by_cart.pk]
    [for_checkouts] = prepared_checks()  # one statement for both channel choices
    assert for_checkouts.count("CASE WHEN run.which[") == 1 and "@shop.com" not in for_checkouts

    everything = check_customer(shopper)
    assert sorted(everything.checked) == sorted([by_email.pk, by_cart.pk])
    assert everything.joined == [by_email.pk]
    assert check_customer(shopper, event=Event.CUSTOMER).checked == [by_email.pk]
    assert sorted(s.count("CASE WHEN run.which[") for s in prepared_checks()) == [1, 1, 2]
    # the array of the segments to run is cast (parsed) once, not once per segment
    assert [s.count("$3::boolean[]") for s in prepared_checks()] == [1, 1, 1]
    assert members(by_email) == {shopper} and members(by_cart) == set()  # no cart


@pytest.mark.django_db
def test_a_connection_closed_after_its_request_prepares_nothing(channel, monkeypatch):
    """CONN_MAX_AGE 0 (Saleor's default: a new connection per request): the check runs
    unprepared, made of the event's segments only, and finds what the prepared one finds."""
    shoppers = [UserFactory(email=f"{name}@shop.com")["id"] for name in ("a", "b")]
    by_email = create_segment(name="S", channel_id=channel["id"], conditions=EMAIL_SHOP)
    by_cart = create_segment(name="C", channel_id=channel["id"], conditions={"conditions": [
        {"kind": "cart", "field": "quantity", "operator": "gte", "value": 1}]})
    found = {}
    for age in (None, 0):
        monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", age)
        with connection.cursor() as cursor:
            cursor.execute("DEALLOCATE ALL")
        check._forget_prepared(connection.connection)
        runs = [check_customer(shoppers[0], event=Event.CUSTOMER),
                check_customer(shoppers[0], event=Event.CHECKOUT),
                check_customer(shoppers[1])]
        found[age] = ([(r.joined, r.left, sorted(r.checked)) for r in runs],
                      members(by_email), members(by_cart))
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            prepared = cursor.fetchone()[0]
        assert (prepared == 0) == (age == 0)
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM saleor_segments_customermembership")
    assert found[None] == found[0]
    assert found[0][1] == set(shoppers)
    assert found[0][0][0][2] == [by_email.pk]  # a customer event: the email segment only
