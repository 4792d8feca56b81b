import datetime as dt
import threading
from dataclasses import dataclass

import pytest
from django.db import connection, connections, transaction

from saleor_segments.conditions import Condition, Event, Scope, temporarily
from saleor_segments.conditions.base import cmp_json
from saleor_segments.conditions.values import NUMBER
from saleor_segments.membership.check import check_customer, check_visitor
from saleor_segments.membership.members import customers_at, matched_customers, member_count
from saleor_segments.membership.refresh import refresh_channel, refresh_segment
from saleor_segments.models import CustomerMembership, MembershipLog, Segment, VisitorMembership
from saleor_segments.services.segments import create_segment, delete_segment, update_segment

from ..factories import (
    NOW,
    CheckoutFactory,
    CheckoutLineFactory,
    ProductFactory,
    UserFactory,
    VariantFactory,
)
from ..helpers import EMAIL_SHOP, members


def log(segment):
    return sorted(MembershipLog.objects.filter(segment_id=segment.pk).values_list(
        "customer_id", "action", "reason"))


@pytest.mark.django_db
def test_refresh_writes_only_the_difference_and_logs_it(channel):
    a, b = UserFactory(email="a@shop.com"), UserFactory(email="b@shop.com")
    c = UserFactory(email="c@else.com")
    segment = create_segment(name="Shop staff", channel_id=channel["id"], conditions=EMAIL_SHOP)

    result = refresh_segment(segment, now=NOW)
    assert (result.joined, result.left) == (2, 0)
    assert members(segment) == {a["id"], b["id"]}
    first_join = CustomerMembership.objects.get(segment=segment, customer_id=a["id"]).joined_at

    with connection.cursor() as cursor:  # b changes email, c joins the shop
        cursor.execute("UPDATE account_user SET email = 'b@else.com' WHERE id = %s", [b["id"]])
        cursor.execute("UPDATE account_user SET email = 'c@shop.com' WHERE id = %s", [c["id"]])
    result = refresh_segment(segment, now=NOW + dt.timedelta(hours=1))
    assert (result.joined, result.left) == (1, 1)
    assert members(segment) == {a["id"], c["id"]}
    # a stayed: its row was not rewritten
    assert CustomerMembership.objects.get(segment=segment, customer_id=a["id"]).joined_at == \
        first_join
    assert log(segment) == sorted([(a["id"], "joined", "refresh"), (b["id"], "joined", "refresh"),
                                   (b["id"], "left", "refresh"), (c["id"], "joined", "refresh")])
    # point-in-time membership, replayed from the log
    assert customers_at(segment.pk, NOW) == {a["id"], b["id"]}
    assert customers_at(segment.pk, NOW + dt.timedelta(hours=2)) == {a["id"], c["id"]}
    assert refresh_segment(segment).joined == 0  # idempotent


@pytest.mark.django_db
def test_definition_version_and_inactive_segments(channel):
    a = UserFactory(email="a@shop.com")
    segment = create_segment(name="S", channel_id=channel["id"], conditions=EMAIL_SHOP)
    refresh_segment(segment)
    segment = update_segment(segment, conditions={"conditions": [
        {"kind": "customer.field", "field": "email", "operator": "contains", "value": "shop"}]})
    assert segment.definition_version == 2
    refresh_segment(segment)
    assert CustomerMembership.objects.get(customer_id=a["id"]).definition_version == 2
    # unchanged conditions keep the version
    assert update_segment(segment, conditions=segment.conditions).definition_version == 2

    update_segment(segment, status="inactive")
    UserFactory(email="new@shop.com")
    assert refresh_segment(segment).skipped
    assert members(segment) == {a["id"]}


@pytest.mark.django_db
def test_combined_channel_refresh(channel):
    a, b = UserFactory(email="a@shop.com", first_name="Zed"), UserFactory(email="b@x.com")
    s1 = create_segment(name="shop", channel_id=channel["id"], conditions=EMAIL_SHOP)
    s2 = create_segment(name="zed", channel_id=channel["id"], conditions={"conditions": [
        {"kind": "customer.field", "field": "first_name", "operator": "is", "value": "zed"}]})
    s3 = create_segment(name="all", channel_id=channel["id"], conditions={"conditions": []})
    result = refresh_channel(channel["id"])
    assert sorted(result.segment_ids) == sorted([s1.pk, s2.pk, s3.pk])
    assert members(s1) == {a["id"]} and members(s2) == {a["id"]}
    assert members(s3) == {a["id"], b["id"]}
    assert result.joined == 4


@pytest.mark.django_db
def test_check_one_customer_against_relevant_segments(channel):
    variant = VariantFactory(product_id=ProductFactory()["id"])
    shopper = UserFactory(email="shopper@x.com")
    big_cart = create_segment(name="big cart", channel_id=channel["id"], conditions={
        "conditions": [{"kind": "cart", "field": "quantity", "operator": "gte", "value": 3}]})
    by_email = create_segment(name="x.com", channel_id=channel["id"], conditions={
        "conditions": [{"kind": "customer.field", "field": "email", "operator": "contains",
                        "value": "x.com"}]})
    checkout = CheckoutFactory(user_id=shopper["id"], channel_id=channel["id"])
    line = CheckoutLineFactory(checkout_id=checkout["token"], variant_id=variant["id"],
                               quantity=3)

    result = check_customer(shopper["id"], Event.CHECKOUT, channel["id"], reason="event:checkout")
    assert result.checked == [big_cart.pk]  # the email segment can't change on a cart event
    assert result.joined == [big_cart.pk]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM checkout_checkoutline WHERE id = %s", [line["id"]])
    assert check_customer(shopper["id"], Event.CHECKOUT).left == [big_cart.pk]
    assert check_customer(shopper["id"]).joined == [by_email.pk]  # no event: every segment
    assert log(big_cart) == [(shopper["id"], "joined", "event:checkout"),
                             (shopper["id"], "left", "check")]


@pytest.mark.django_db
def test_visitor_segments(channel):
    variant = VariantFactory(product_id=ProductFactory()["id"])
    segment = create_segment(name="visitors with carts", channel_id=channel["id"],
                             apply_to="visitors", conditions={"conditions": [
                                 {"kind": "cart", "field": "lines", "operator": "gte",
                                  "value": 1}]})
    visitor = CheckoutFactory(user_id=None, channel_id=channel["id"])
    CheckoutFactory(user_id=None, channel_id=channel["id"])  # empty cart
    CheckoutLineFactory(checkout_id=visitor["token"], variant_id=variant["id"])
    refresh_segment(segment)
    assert set(VisitorMembership.objects.values_list("checkout_token", flat=True)) == {
        visitor["token"]}
    with connection.cursor() as cursor:  # the visitor logs in: no longer anonymous
        cursor.execute("UPDATE checkout_checkout SET user_id = %s WHERE token = %s",
                       [UserFactory()["id"], visitor["token"]])
    assert check_visitor(visitor["token"], Event.CHECKOUT).left == [segment.pk]


@pytest.mark.django_db
def test_matched_customers_grid_and_delete(channel):
    users = [UserFactory(email=f"u{i}@shop.com") for i in range(5)]
    segment = create_segment(name="shop", channel_id=channel["id"], conditions=EMAIL_SHOP)
    refresh_segment(segment)
    page = matched_customers(segment.pk, first=2)
    assert [r["id"] for r in page.rows] == [users[0]["id"], users[1]["id"]]
    assert page.total_count == 5 and page.has_next_page
    page = matched_customers(segment.pk, first=2, after=page.end_cursor)
    assert [r["id"] for r in page.rows] == [users[2]["id"], users[3]["id"]]
    assert set(page.rows[0]) >= {"email", "phone", "postal_code", "country", "country_area",
                                 "customer_type", "date_joined", "joined_at"}
    with pytest.raises(ValueError):
        matched_customers(segment.pk, first=10_000)
    with pytest.raises(ValueError):
        matched_customers(segment.pk, after="garbage!")

    pk = segment.pk
    delete_segment(segment)
    assert member_count(pk) == 0
    assert MembershipLog.objects.filter(segment_id=pk, reason="segment_deleted").count() == 5
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM account_user")
        assert cursor.fetchone()[0] == 5  # customers are never deleted


# --- atomicity: a refresh that dies leaves the previous members in place ------------------


@dataclass(frozen=True)
class Exploding(Condition):
    """Test-only kind: its SQL fails (division by zero) once rows reach it."""

    kind = "test.exploding"
    label = "Exploding"
    group = "test"
    scope = Scope.SHOPPER
    fields = {"value": NUMBER}
    cmp: object = None

    @classmethod
    def parse(cls, r):
        return cls(r.comparison(NUMBER))

    def params_json(self):
        return cmp_json(self.cmp)

    def to_sql(self, c, alias):
        return f"(1 / ({alias}.id - {alias}.id) > %s)", [self.cmp.value]

    def evaluate(self, e, row):
        raise ZeroDivisionError


@dataclass(frozen=True)
class Sleeping(Exploding):
    """Test-only kind: sleeps in SQL so the refresh can be killed midway."""

    kind = "test.sleeping"

    def to_sql(self, c, alias):
        return "(pg_sleep(%s) IS NOT NULL)", [self.cmp.value]


@pytest.mark.django_db
def test_failed_refresh_keeps_old_members(channel):
    a = UserFactory(email="a@shop.com")
    segment = create_segment(name="S", channel_id=channel["id"], conditions=EMAIL_SHOP)
    refresh_segment(segment)
    log_before = log(segment)
    with temporarily(Exploding):
        Segment.objects.filter(pk=segment.pk).update(conditions={"version": 1, "conditions": [
            {"kind": "test.exploding", "operator": "gt", "value": 0}]}, definition_version=2)
        with pytest.raises(Exception, match="division by zero"):
            with transaction.atomic():
                refresh_segment(segment)
    assert members(segment) == {a["id"]}
    assert log(segment) == log_before
    assert Segment.objects.get(pk=segment.pk).refreshed_version == 1


@pytest.mark.django_db(transaction=True)
def test_killed_refresh_keeps_old_members_and_refreshes_never_interleave(channel):
    a = UserFactory(email="a@shop.com")
    UserFactory(email="b@else.com")
    segment = create_segment(name="S", channel_id=channel["id"], conditions=EMAIL_SHOP)
    refresh_segment(segment)
    with temporarily(Sleeping):
        Segment.objects.filter(pk=segment.pk).update(conditions={"version": 1, "conditions": [
            {"kind": "test.sleeping", "operator": "is", "value": 1}]}, definition_version=2)
        outcome, pids = {}, {}

        def run():
            try:
                with connections["default"].cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    pids["refresh"] = cursor.fetchone()[0]
                refresh_segment(segment.pk)
                outcome["result"] = "finished"
            except Exception as exc:  # the connection is killed under it
                outcome["result"] = type(exc).__name__
            finally:
                connections["default"].close()

        thread = threading.Thread(target=run)
        thread.start()
        with connection.cursor() as cursor:
            for _ in range(100):  # wait until the refresh holds the segment's lock
                cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                               "AND objid = %s AND granted", [segment.pk])
                if cursor.fetchone()[0]:
                    break
                threading.Event().wait(0.05)
            # a second refresh cannot start while the first holds the lock
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [0x5E65, segment.pk])
            assert cursor.fetchone()[0] is False
            cursor.execute("SELECT pg_terminate_backend(%s)", [pids["refresh"]])
        thread.join(10)
    assert outcome["result"] != "finished"
    assert members(segment) == {a["id"]}
    assert Segment.objects.get(pk=segment.pk).refreshed_version == 1


# --- large-store plans and bad segments ----------------------------------------------------

BORN_1990S = {"conditions": [{"kind": "customer.metadata", "key": "birthday", "type": "date",
                              "operator": "between", "value": ["1990-01-01", "1999-12-31"]}]}


@pytest.mark.django_db
def test_combined_and_pending_refresh_under_parallel_plans(channel):
    """A large store gets parallel plans; the small test stores only when forced."""
    from saleor_segments.conditions import ApplyTo
    from saleor_segments.membership.definitions import segment_tree
    from saleor_segments.membership.preview import preview
    from saleor_segments.models import CustomerField, PendingRefresh
    from saleor_segments.worker.tasks import refresh_pending_task

    from .conftest import forced_parallel_plans

    CustomerField.objects.create(source="metadata", key="birthday", value_type="date")
    born = UserFactory(metadata={"birthday": "1992-03-04"})
    UserFactory(metadata={"birthday": "1982-03-04"})
    odd = UserFactory(metadata={"birthday": "1993-02-29"})  # no such day: undefined
    segment = create_segment(name="90s", channel_id=channel["id"], conditions=BORN_1990S)
    other = create_segment(name="shop", channel_id=channel["id"], conditions=EMAIL_SHOP)
    with forced_parallel_plans():
        assert refresh_channel(channel["id"]).segment_ids == [segment.pk, other.pk]
    assert members(segment) == {born["id"]}
    with connection.cursor() as cursor:
        cursor.execute("UPDATE account_user SET metadata = '{\"birthday\": \"1999-12-31\"}' "
                       "WHERE id = %s", [odd["id"]])
    PendingRefresh.objects.create(channel_id=channel["id"])
    with forced_parallel_plans():
        [summary] = refresh_pending_task.apply().get()
    assert summary["joined"] == 1 and members(segment) == {born["id"], odd["id"]}
    assert not PendingRefresh.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE account_user SET metadata = '{}' WHERE id = %s", [born["id"]])
    with forced_parallel_plans():  # the real-time check and a preview
        assert check_customer(born["id"], Event.CUSTOMER).left == [segment.pk]
        found = preview(segment_tree(segment), channel["id"], ApplyTo.CUSTOMERS, now=NOW)
    assert (found.customers, found.sample_customer_ids) == (1, [odd["id"]])


OUT_OF_RANGE = {"version": 1, "conditions": [  # saved before validation refused such IDs
    {"kind": "customer.field", "field": "customer_type", "operator": "is",
     "value": 3000000000}]}
FAILING_SQL = {"version": 1, "conditions": [  # its statement fails (division by zero)
    {"kind": "test.exploding", "operator": "gt", "value": 0}]}


def store_bad_tree(segment, tree):
    Segment.objects.filter(pk=segment.pk).update(conditions=tree, definition_version=2)
    return Segment.objects.get(pk=segment.pk)


@pytest.mark.django_db
def test_one_bad_segment_never_breaks_the_combined_refresh(channel, caplog):
    a = UserFactory(email="a@shop.com")
    good = create_segment(name="good", channel_id=channel["id"], conditions=EMAIL_SHOP)
    bad = create_segment(name="bad", channel_id=channel["id"], conditions=EMAIL_SHOP)
    failing = create_segment(name="failing", channel_id=channel["id"], conditions=EMAIL_SHOP)
    refresh_channel(channel["id"])
    bad, failing = store_bad_tree(bad, OUT_OF_RANGE), store_bad_tree(failing, FAILING_SQL)
    later = create_segment(name="later", channel_id=channel["id"], conditions={"conditions": []})
    b = UserFactory(email="b@else.com")

    with temporarily(Exploding):
        result = refresh_channel(channel["id"])
        assert result.segment_ids == [good.pk, later.pk]
        assert sorted(result.failed) == [bad.pk, failing.pk]
        assert "CustomerType ID" in result.failed[bad.pk]
        assert "division by zero" in result.failed[failing.pk]
        assert members(good) == {a["id"]} and members(later) == {a["id"], b["id"]}
        assert members(bad) == members(failing) == {a["id"]}  # their members stay
        assert Segment.objects.get(pk=failing.pk).refreshed_version == 1
        assert f"segment {failing.pk}" in caplog.text and "division by zero" in caplog.text
        with pytest.raises(Exception, match="division by zero"):
            refresh_segment(failing)  # refreshed alone, the error is the caller's


@pytest.mark.django_db
def test_one_bad_segment_never_breaks_the_one_shopper_check(channel, caplog):
    shopper = UserFactory(email="a@x.com")
    bad = store_bad_tree(create_segment(name="bad", channel_id=channel["id"],
                                        conditions=EMAIL_SHOP), OUT_OF_RANGE)
    failing = store_bad_tree(create_segment(name="failing", channel_id=channel["id"],
                                            conditions=EMAIL_SHOP), FAILING_SQL)
    good = create_segment(name="x.com", channel_id=channel["id"], conditions={"conditions": [
        {"kind": "customer.field", "field": "email", "operator": "contains", "value": "x.com"}]})

    with temporarily(Exploding):
        result = check_customer(shopper["id"], reason="event:customer_updated")
        assert result.joined == [good.pk]
        assert sorted(result.failed) == [bad.pk, failing.pk]
        assert members(good) == {shopper["id"]}
        assert "CustomerType ID" in caplog.text and "division by zero" in caplog.text
        # the shopper's next check still works, and leaving is written too
        with connection.cursor() as cursor:
            cursor.execute("UPDATE account_user SET email = 'a@y.com' WHERE id = %s",
                           [shopper["id"]])
        assert check_customer(shopper["id"]).left == [good.pk]


@pytest.mark.django_db(transaction=True)
def test_delete_during_a_refresh_logs_each_leave_once(channel):
    users = [UserFactory(email=f"u{i}@shop.com")["id"] for i in range(3)]
    segment = create_segment(name="S", channel_id=channel["id"], conditions=EMAIL_SHOP)
    refresh_segment(segment)
    with temporarily(Sleeping):  # everyone leaves, slowly: 0.3 s per customer
        Segment.objects.filter(pk=segment.pk).update(conditions={"version": 1, "conditions": [
            {"kind": "group", "aggregator": "all", "expected": False, "conditions": [
                {"kind": "test.sleeping", "operator": "is", "value": 0.3}]}]},
            definition_version=2)
        outcome = {}

        def run():
            try:
                outcome["left"] = refresh_segment(segment.pk).left
            except Exception as exc:  # noqa: BLE001
                outcome["left"] = exc
            finally:
                connections["default"].close()

        thread = threading.Thread(target=run)
        thread.start()
        with connection.cursor() as cursor:
            for _ in range(100):  # wait until the refresh is evaluating (it holds the lock)
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                               "AND query LIKE '%%pg_sleep%%' AND pid <> pg_backend_pid()")
                if cursor.fetchone()[0]:
                    break
                threading.Event().wait(0.05)
        pk = segment.pk
        delete_segment(Segment.objects.get(pk=pk))
        thread.join(20)
    lefts = sorted(MembershipLog.objects.filter(segment_id=pk, action="left").values_list(
        "customer_id", flat=True))
    assert lefts == sorted(users)  # once each
    assert outcome["left"] == 3  # by the refresh, which finished first
    assert not Segment.objects.filter(pk=pk).exists() and member_count(pk) == 0
