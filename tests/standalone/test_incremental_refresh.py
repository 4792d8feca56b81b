"""Incremental refresh: each source of candidates finds the shoppers it must, nothing else is
re-evaluated, and the cases that cannot be incremental are evaluated fully (and say why)."""

import datetime as dt
import json

import pytest
from django.db import connection, transaction
from django.test import override_settings

from saleor_segments.conditions import Condition, Event
from saleor_segments.membership import changes
from saleor_segments.membership.refresh import refresh_channel, refresh_segment
from saleor_segments.models import ChangedShopper, Segment, VisitorMembership
from saleor_segments.services.customer_fields import declare_field
from saleor_segments.services.segments import create_segment, update_segment

from ..factories import NOW, CheckoutFactory, OrderFactory, UserFactory
from ..helpers import EMAIL_SHOP, members

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)
RECENT_ORDER = {"conditions": [{"kind": "orders", "measure": "count", "operator": "gte",
                                "value": 1, "period": {"last_days": 30},
                                "aggregator": "all", "expected": True, "conditions": []}]}


@pytest.fixture(autouse=True)
def _incremental_however_many_changed(settings):
    """Small stores: a few changed shoppers are a big share (the fallback has its own test)."""
    settings.SEGMENTS_INCREMENTAL_MAX_SHARE = 1.0


def incremental(segment, now):
    result = refresh_segment(segment, now=now, incremental=True)
    return result, result.modes[segment.pk]


def execute(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def segment_of(channel, conditions, **extra):
    segment = create_segment(name="S", channel_id=channel["id"], conditions=conditions, **extra)
    refresh_segment(segment, now=NOW)
    return Segment.objects.get(pk=segment.pk)


def test_nothing_changed_re_evaluates_nobody(channel):
    a = UserFactory(email="a@shop.com")
    UserFactory(email="b@else.com")
    segment = segment_of(channel, EMAIL_SHOP)
    assert members(segment) == {a["id"]}
    result, mode = incremental(segment, NOW + HOUR)
    assert mode == "incremental: 0 shoppers"
    assert (result.joined, result.left) == (0, 0)
    assert members(segment) == {a["id"]}


def test_saleor_change_stamp_finds_the_changed_customer(channel):
    a, b = UserFactory(email="a@shop.com"), UserFactory(email="b@else.com")
    c = UserFactory(email="c@else.com")
    segment = segment_of(channel, EMAIL_SHOP)
    execute("UPDATE account_user SET email = 'b@shop.com', updated_at = clock_timestamp() "
            "WHERE id = %s", [b["id"]])
    execute("UPDATE account_user SET email = 'a@else.com', updated_at = clock_timestamp() "
            "WHERE id = %s", [a["id"]])
    execute("UPDATE account_user SET email = 'c@shop.com' WHERE id = %s", [c["id"]])  # no stamp
    result, mode = incremental(segment, NOW + HOUR)
    assert mode == "incremental: 2 shoppers"
    assert members(segment) == {b["id"]}  # c's change showed neither a stamp nor an event ...
    refresh_segment(segment, now=NOW + HOUR)
    assert members(segment) == {b["id"], c["id"]}  # ... the full evaluation (safety net) sees it


def test_a_new_customer_is_a_candidate(channel):
    segment = segment_of(channel, EMAIL_SHOP)
    new = UserFactory(email="new@shop.com", updated_at=dt.datetime.now(dt.UTC))
    assert incremental(segment, NOW + HOUR)[1] == "incremental: 1 shoppers"
    assert members(segment) == {new["id"]}


CART_50 = {"conditions": [{"kind": "cart", "field": "total", "operator": "gte", "value": 50}]}
NO_RECENT_ORDER = {"conditions": [{"kind": "orders", "measure": "count", "operator": "is",
                                   "value": 0, "period": {"last_days": 30}, "conditions": []}]}


def cart_member_changed(channel, change):
    """A customer in a segment about carts only, then ``change`` (SQL) made to their row."""
    a = UserFactory()
    CheckoutFactory(user_id=a["id"], channel_id=channel["id"], total_gross_amount=60)
    segment = segment_of(channel, CART_50)
    assert members(segment) == {a["id"]}
    execute(f"UPDATE account_user SET {change}, updated_at = clock_timestamp() WHERE id = %s",
            [a["id"]])
    return a, segment


def test_customer_data_changes_are_no_candidates_of_segments_that_do_not_read_it(channel):
    a, segment = cart_member_changed(channel, "metadata = '{\"x\": \"1\"}'")
    assert incremental(segment, NOW + HOUR)[1] == "incremental: 0 shoppers"
    email = segment_of(channel, EMAIL_SHOP)  # reads the customer row: the same write counts
    execute("UPDATE account_user SET updated_at = clock_timestamp() WHERE id = %s", [a["id"]])
    assert incremental(email, NOW + HOUR)[1] == "incremental: 1 shoppers"


def test_a_new_customer_is_a_candidate_of_every_segment_by_the_date_joined(channel):
    segment = segment_of(channel, NO_RECENT_ORDER)  # met by a customer with no rows at all
    assert members(segment) == set()
    now = dt.datetime.now(dt.UTC)
    new = UserFactory(date_joined=now, updated_at=now)  # as Saleor stamps a new account
    assert incremental(segment, NOW + HOUR)[1] == "incremental: 1 shoppers"
    assert members(segment) == {new["id"]}


def test_a_customer_made_staff_leaves_every_segment_once_staff_created_is_recorded(channel):
    a, segment = cart_member_changed(channel, "is_staff = true")
    assert incremental(segment, NOW + HOUR)[1] == "incremental: 0 shoppers"  # no report yet
    changes.remember(customers=[a["id"]])  # what the staff_created hook records
    result, mode = incremental(segment, NOW + HOUR)
    assert (mode, result.left, members(segment)) == ("incremental: 1 shoppers", 1, set())


def test_event_marks_find_changes_without_a_stamp(channel):
    a = UserFactory(email="a@else.com")
    segment = segment_of(channel, EMAIL_SHOP)
    execute("UPDATE account_user SET email = 'a@shop.com' WHERE id = %s", [a["id"]])
    execute("INSERT INTO saleor_segments_changedshopper (customer_id, at) "
            "VALUES (%s, clock_timestamp())", [a["id"]])
    assert incremental(segment, NOW + HOUR)[1] == "incremental: 1 shoppers"
    assert members(segment) == {a["id"]}


def test_marks_older_than_the_last_refresh_are_not_looked_at_again(channel):
    a = UserFactory(email="a@else.com")
    ChangedShopper.objects.create(customer_id=a["id"], at=dt.datetime.now(dt.UTC) - 2 * HOUR)
    segment = segment_of(channel, EMAIL_SHOP)
    assert incremental(segment, NOW + HOUR)[1] == "incremental: 0 shoppers"
    with override_settings(SEGMENTS_INCREMENTAL_OVERLAP_SECONDS=3 * 3600):
        assert incremental(segment, NOW + HOUR)[1] == "incremental: 1 shoppers"


def test_orders_leaving_a_window_are_found_by_their_dates(channel):
    old, fresh = UserFactory(), UserFactory()
    OrderFactory(user_id=old["id"], channel_id=channel["id"], created_at=NOW - 25 * 24 * HOUR)
    OrderFactory(user_id=fresh["id"], channel_id=channel["id"], created_at=NOW - 2 * 24 * HOUR)
    segment = segment_of(channel, RECENT_ORDER)
    assert members(segment) == {old["id"], fresh["id"]}
    assert incremental(segment, NOW + 24 * HOUR)[1] == "incremental: 0 shoppers"
    result, mode = incremental(segment, NOW + 10 * 24 * HOUR)  # old's order is 35 days old
    assert mode == "incremental: 1 shoppers"
    assert members(segment) == {fresh["id"]}


def test_changed_orders_are_found_by_their_stamp(channel):
    a = UserFactory()
    order = OrderFactory(user_id=a["id"], channel_id=channel["id"], status="draft",
                         created_at=NOW - 24 * HOUR)
    segment = segment_of(channel, RECENT_ORDER)
    assert members(segment) == set()
    execute("UPDATE order_order SET status = 'unfulfilled', updated_at = clock_timestamp() "
            "WHERE id = %s", [order["id"]])
    assert incremental(segment, NOW + HOUR)[1] == "incremental: 1 shoppers"
    assert members(segment) == {a["id"]}


def test_changed_orders_older_than_every_period_are_no_candidates(channel):
    """A change to an order created before the segment's "last 30 days" cannot move its
    customer: no re-evaluation (the order's stamp moved, as any Saleor save moves it)."""
    a, b = UserFactory(), UserFactory()
    old = OrderFactory(user_id=a["id"], channel_id=channel["id"], created_at=NOW - 60 * 24 * HOUR)
    recent = OrderFactory(user_id=b["id"], channel_id=channel["id"],
                          created_at=NOW - 24 * HOUR)
    segment = segment_of(channel, RECENT_ORDER)
    assert members(segment) == {b["id"]}
    execute("UPDATE order_order SET updated_at = clock_timestamp() WHERE id = ANY(%s)",
            [[old["id"], recent["id"]]])
    assert incremental(segment, NOW + HOUR)[1] == "incremental: 1 shoppers"
    assert members(segment) == {b["id"]}


@pytest.mark.parametrize("conditions", [
    # orders of any age: every changed order's customer is re-evaluated
    {"conditions": [{"kind": "orders", "measure": "count", "operator": "gte", "value": 1,
                     "aggregator": "all", "expected": True, "conditions": []}]},
    # one condition with a period, one without: the one without decides
    {"conditions": [RECENT_ORDER["conditions"][0],
                    {"kind": "products", "source": "ordered", "found": True,
                     "aggregator": "all", "expected": True, "conditions": []}],
     "aggregator": "any"},
])
def test_changed_old_orders_are_candidates_when_a_condition_reads_every_order(
        channel, conditions):
    a = UserFactory()
    old = OrderFactory(user_id=a["id"], channel_id=channel["id"], created_at=NOW - 60 * 24 * HOUR)
    segment = segment_of(channel, conditions)
    execute("UPDATE order_order SET updated_at = clock_timestamp() WHERE id = %s", [old["id"]])
    assert incremental(segment, NOW + HOUR)[1] == "incremental: 1 shoppers"


def test_a_changed_order_that_left_the_period_since_the_last_refresh_is_found(channel):
    """Canceled after the last refresh and out of the period by now: found by its date."""
    a = UserFactory()
    order = OrderFactory(user_id=a["id"], channel_id=channel["id"],
                         created_at=NOW - 29 * 24 * HOUR)
    segment = segment_of(channel, RECENT_ORDER)
    assert members(segment) == {a["id"]}
    execute("UPDATE order_order SET status = 'canceled', updated_at = clock_timestamp() "
            "WHERE id = %s", [order["id"]])
    assert incremental(segment, NOW + 2 * 24 * HOUR)[1] == "incremental: 1 shoppers"
    assert members(segment) == set()


def test_changed_carts_find_customers_and_visitors(channel):
    a = UserFactory()
    cart = CheckoutFactory(user_id=a["id"], channel_id=channel["id"])
    visitor = CheckoutFactory(channel_id=channel["id"])
    segment = segment_of(channel, {"conditions": [{"kind": "cart", "field": "total",
                                                   "operator": "gte", "value": 50}]},
                         apply_to="visitors_and_customers")
    assert members(segment) == set()
    for token in (cart["token"], visitor["token"]):
        execute("UPDATE checkout_checkout SET total_gross_amount = 60, "
                "last_change = clock_timestamp() WHERE token = %s", [token])
    # a's cart is a customer's and (as every checkout) a visitor candidate, then found owned
    assert incremental(segment, NOW + HOUR)[1] == "incremental: 3 shoppers"
    assert members(segment) == {a["id"]}
    assert set(VisitorMembership.objects.filter(segment=segment).values_list(
        "checkout_token", flat=True)) == {visitor["token"]}


def test_a_deleted_customer_an_event_reported_leaves(channel):
    a = UserFactory(email="a@shop.com")
    segment = segment_of(channel, EMAIL_SHOP)
    execute("DELETE FROM account_user WHERE id = %s", [a["id"]])
    ChangedShopper.objects.create(customer_id=a["id"], at=dt.datetime.now(dt.UTC))
    result, _mode = incremental(segment, NOW + HOUR)
    assert (result.joined, result.left, members(segment)) == (0, 1, set())


def test_segment_of_segments_follows_the_other_segments_changes(channel):
    a = UserFactory(email="a@else.com")
    inner = segment_of(channel, EMAIL_SHOP)
    outer = segment_of(channel, {"conditions": [{"kind": "segment", "operator": "is",
                                                 "value": inner.pk}]})
    execute("UPDATE account_user SET email = 'a@shop.com', updated_at = clock_timestamp() "
            "WHERE id = %s", [a["id"]])
    incremental(inner, NOW + HOUR)
    assert members(inner) == {a["id"]}
    with override_settings(SEGMENTS_INCREMENTAL_OVERLAP_SECONDS=0):
        execute("UPDATE account_user SET updated_at = '2000-01-01' WHERE id = %s", [a["id"]])
        assert incremental(outer, NOW + HOUR)[1] == "incremental: 1 shoppers"  # from the log
    assert members(outer) == {a["id"]}


@pytest.mark.parametrize("why, prepare", [
    ("never refreshed", lambda s: Segment.objects.filter(pk=s.pk).update(
        changes_seen_at=None)),
    ("its definition changed", lambda s: update_segment(s, conditions={"conditions": [
        {"kind": "customer.field", "field": "email", "operator": "contains",
         "value": "@else.com"}]})),
    ("periodic full evaluation (safety net)", lambda s: Segment.objects.filter(
        pk=s.pk).update(last_full_refresh_at=dt.datetime.now(dt.UTC) - 25 * HOUR)),
])
def test_when_a_full_evaluation_runs_instead(channel, why, prepare):
    UserFactory(email="a@shop.com")
    segment = segment_of(channel, EMAIL_SHOP)
    prepare(segment)
    assert incremental(Segment.objects.get(pk=segment.pk), NOW + HOUR)[1] == f"full: {why}"
    assert incremental(Segment.objects.get(pk=segment.pk), NOW + HOUR)[1].startswith(
        "incremental")


def test_time_going_back_is_evaluated_fully(channel):
    segment = segment_of(channel, EMAIL_SHOP)
    assert incremental(segment, NOW - HOUR)[1] == \
        "full: evaluated at an earlier time than last refresh"


def test_windows_that_cannot_be_range_scanned(channel):
    last_login = segment_of(channel, {"conditions": [
        {"kind": "customer.field", "field": "last_login", "operator": "in_last_days",
         "value": 7}]})
    assert incremental(last_login, NOW + HOUR)[1] == \
        "full: customer.field: its time window cannot be range-scanned"
    declare_field(source="metadata", key="birthday", value_type="date")
    birthday = segment_of(channel, {"conditions": [
        {"kind": "customer.metadata", "key": "birthday", "type": "date",
         "operator": "in_last_days", "value": 7}]})
    # a date in metadata moves with the UTC date only: within the same day, nothing crossed
    assert incremental(birthday, NOW + HOUR)[1] == "incremental: 0 shoppers"
    assert incremental(birthday, NOW + 13 * HOUR)[1] == \
        "full: customer.metadata: its time window cannot be range-scanned"


def test_date_joined_window_is_range_scanned(channel):
    a = UserFactory(date_joined=NOW - 6 * 24 * HOUR)
    segment = segment_of(channel, {"conditions": [
        {"kind": "customer.field", "field": "date_joined", "operator": "in_last_days",
         "value": 7}]})
    assert members(segment) == {a["id"]}
    assert incremental(segment, NOW + 2 * 24 * HOUR)[1] == "incremental: 1 shoppers"
    assert members(segment) == set()


def diff_statement_plan(segment, now):
    """The plan of the statement that evaluates and diffs an incremental refresh's
    candidates (EXPLAIN of the statement the refresh runs; the refresh itself runs too)."""
    statements = []

    def capture(execute, sql, params, many, context):
        if "CREATE TEMPORARY TABLE segments_diff" in sql:
            statements.append((sql, params))
        return execute(sql, params, many, context)

    with transaction.atomic():
        with connection.execute_wrapper(capture):
            result, mode = incremental(segment, now)
        # a test store's tables are a page each: with the other scans priced out, the plan
        # shows whether the rows can be read by their locations
        scans = ("enable_seqscan", "enable_indexscan", "enable_bitmapscan")
        with connection.cursor() as cursor:
            for scan in scans:
                cursor.execute("SELECT set_config(%s, 'off', true)", [scan])
            cursor.execute("EXPLAIN (FORMAT JSON) " + statements[0][0], statements[0][1])
            plan = cursor.fetchone()[0]
            for scan in scans:
                cursor.execute("SELECT set_config(%s, 'on', true)", [scan])
    return mode, json.dumps(plan)


def test_changed_customers_are_read_again_by_their_row_location(channel):
    """A customer found by Saleor's change stamp is evaluated from the row that statement
    found (a TID scan, no second index look-up); one reported by an event (no location)
    is located by its key first, in the same statement."""
    a, b = UserFactory(email="a@shop.com"), UserFactory(email="b@else.com")
    segment = segment_of(channel, EMAIL_SHOP)
    execute("UPDATE account_user SET email = 'b@shop.com', updated_at = clock_timestamp() "
            "WHERE id = %s", [b["id"]])
    execute("UPDATE account_user SET email = 'a@else.com' WHERE id = %s", [a["id"]])  # no stamp
    changes.remember(customers=[a["id"]])
    mode, plan = diff_statement_plan(segment, NOW + HOUR)
    assert mode == "incremental: 2 shoppers"
    assert members(segment) == {b["id"]}
    assert '"Node Type": "Tid Scan"' in plan and '"Relation Name": "account_user"' in plan, plan


def test_one_statement_keeps_incremental_segments_and_hands_over_those_with_many_changes(
        channel, settings):
    """In a channel refresh, a segment with more candidates than the share is evaluated
    fully, and the others of the same statement stay incremental."""
    settings.SEGMENTS_INCREMENTAL_MAX_SHARE = 0.2
    users = [UserFactory(email=f"u{i}@else.com") for i in range(10)]
    CheckoutFactory(user_id=users[9]["id"], channel_id=channel["id"], total_gross_amount=10)
    emails, carts = segment_of(channel, EMAIL_SHOP), segment_of(channel, CART_50)
    execute("UPDATE account_user SET email = replace(email, 'else', 'shop'), "
            "updated_at = clock_timestamp() WHERE id = ANY(%s)", [[u["id"] for u in users[:3]]])
    execute("UPDATE checkout_checkout SET total_gross_amount = 60, "
            "last_change = clock_timestamp() WHERE user_id = %s", [users[9]["id"]])
    result = refresh_channel(channel["id"], now=NOW + HOUR, incremental=True)
    assert result.modes == {emails.pk: "full: 3 of about 10 shoppers changed",
                            carts.pk: "incremental: 1 shoppers"}
    assert members(emails) == {u["id"] for u in users[:3]}
    assert members(carts) == {users[9]["id"]}


def test_many_changes_are_evaluated_fully(channel, settings):
    settings.SEGMENTS_INCREMENTAL_MAX_SHARE = 0.2
    users = [UserFactory(email=f"u{i}@else.com") for i in range(10)]
    segment = segment_of(channel, EMAIL_SHOP)
    execute("UPDATE account_user SET email = replace(email, 'else', 'shop'), "
            "updated_at = clock_timestamp() WHERE id = ANY(%s)", [[u["id"] for u in users[:3]]])
    assert incremental(segment, NOW + HOUR)[1] == "full: 3 of about 10 shoppers changed"
    assert len(members(segment)) == 3


def test_a_kind_that_does_not_say_how_it_depends_on_time_is_evaluated_fully():
    class Timed(Condition):
        events = frozenset({Event.TIME})

    class Timeless(Condition):
        events = frozenset({Event.CUSTOMER})

    assert Timed().windows() is None  # (the refresh then says "how it depends on time is
    assert Timeless().windows() == ()  # unknown" and evaluates fully)


def test_events_with_the_real_time_check_off_re_evaluate_only_their_shoppers(channel):
    from saleor_segments.intake import shop_events
    from saleor_segments.models import PendingRefresh
    from saleor_segments.worker.tasks import refresh_pending_task

    a = UserFactory(email="a@else.com")
    segment = segment_of(channel, EMAIL_SHOP)
    execute("UPDATE account_user SET email = 'a@shop.com' WHERE id = %s", [a["id"]])
    assert shop_events.mark_changed(channel["id"], [a["id"]]) == 1
    assert list(PendingRefresh.objects.values_list("full_refresh", flat=True)) == [False]
    [summary] = refresh_pending_task.apply().get()
    assert summary["modes"] == {str(segment.pk): "incremental: 1 shoppers"}
    assert members(segment) == {a["id"]}

    shop_events.mark_changed(channel["id"], [a["id"]])
    assert shop_events.mark_pending(channel["id"]) == 1  # nothing more known: a full wins
    assert shop_events.mark_changed(channel["id"], [a["id"]]) == 0  # ... and stays
    [summary] = refresh_pending_task.apply().get()
    assert summary["modes"] == {str(segment.pk): "full: requested"}
    assert shop_events.mark_changed(channel["id"]) == 1  # nobody named: full
    assert list(PendingRefresh.objects.values_list("full_refresh", flat=True)) == [True]


def test_a_catalogue_change_evaluates_fully_only_the_segments_with_product_conditions(channel):
    """A product edit can move every shopper with that product, so the segments reading
    products are evaluated fully; the channel's other segments stay incremental."""
    from saleor_segments.intake import shop_events
    from saleor_segments.models import PendingRefresh
    from saleor_segments.worker.tasks import refresh_pending_task

    from ..factories import CategoryFactory

    a = UserFactory(email="a@else.com")
    by_email = segment_of(channel, EMAIL_SHOP)
    by_category = create_segment(name="p", channel_id=channel["id"], conditions={
        "conditions": [{"kind": "products", "source": "cart", "conditions": [
            {"kind": "product.category", "operator": "is", "value": CategoryFactory()["id"]}]}]})
    refresh_segment(by_category, now=NOW)
    assert shop_events.catalogue_changed() == [channel["id"]]
    assert list(PendingRefresh.objects.values_list("full_refresh", "full_segments")) == [
        (False, [by_category.pk])]
    assert shop_events.catalogue_changed() == [channel["id"]]  # the same mark, not widened
    assert shop_events.mark_pending(channel["id"], segments=[by_category.pk]) == 0
    execute("UPDATE account_user SET email = 'a@shop.com', updated_at = clock_timestamp() "
            "WHERE id = %s", [a["id"]])
    [summary] = refresh_pending_task.apply().get()
    assert summary["modes"][str(by_category.pk)].startswith("full: data many shoppers share")
    assert summary["modes"][str(by_email.pk)] == "incremental: 1 shoppers"
    assert members(by_email) == {a["id"]}
    assert not PendingRefresh.objects.exists()

    shop_events.mark_changed(channel["id"], [a["id"]])  # shoppers first, the catalogue next
    assert shop_events.catalogue_changed() == [channel["id"]]
    assert list(PendingRefresh.objects.values_list("full_refresh", "full_segments")) == [
        (False, [by_category.pk])]
    assert shop_events.mark_pending(channel["id"]) == 1  # nothing more known: all fully
    assert shop_events.catalogue_changed() == [channel["id"]]  # ... and stays so
    assert list(PendingRefresh.objects.values_list("full_refresh", flat=True)) == [True]


def test_a_changed_product_re_evaluates_only_the_shoppers_holding_it(channel):
    """A product moved to another category (Saleor's productUpdate sends product_updated with
    it): the segments with product conditions re-evaluate only the shoppers holding it among
    the items they read (a cart, an order, a view), not every shopper."""
    from saleor_segments.intake import activity, shop_events
    from saleor_segments.models import PendingRefresh
    from saleor_segments.worker.tasks import refresh_pending_task

    from ..factories import (
        CategoryFactory,
        CheckoutLineFactory,
        OrderLineFactory,
        ProductFactory,
        ProductTypeFactory,
        VariantFactory,
    )

    ch = channel["id"]
    shoes, boots = CategoryFactory(tree_id=10)["id"], CategoryFactory(tree_id=11)["id"]
    kind = ProductTypeFactory()["id"]
    moved, other = (ProductFactory(product_type_id=kind, category_id=shoes)["id"]
                    for _ in range(2))
    variant = {p: VariantFactory(product_id=p)["id"] for p in (moved, other)}
    in_cart, in_order, viewer, bystander = (UserFactory()["id"] for _ in range(4))
    for owner, product in ((in_cart, moved), (bystander, other)):
        CheckoutLineFactory(checkout_id=CheckoutFactory(user_id=owner, channel_id=ch)["token"],
                            variant_id=variant[product])
    for owner, product in ((in_order, moved), (bystander, other)):
        OrderLineFactory(order_id=OrderFactory(user_id=owner, channel_id=ch)["id"],
                         variant_id=variant[product])
    for owner, product in ((viewer, moved), (bystander, other)):
        activity.record_view(product_id=product, channel_id=ch, customer_id=owner,
                             at=NOW - HOUR)
    in_boots = {source: segment_of(channel, {"conditions": [{
        "kind": "products", "source": source, "conditions": [
            {"kind": "product.category", "operator": "is", "value": boots}]}]})
        for source in ("cart", "ordered", "viewed")}
    assert not any(members(s) for s in in_boots.values())

    execute("UPDATE product_product SET category_id = %s WHERE id = %s", [boots, moved])
    assert shop_events.catalogue_changed(products=[moved]) == [ch]
    assert list(PendingRefresh.objects.values_list("full_refresh", "full_segments")) == [
        (False, [])]  # nothing to evaluate fully
    [summary] = refresh_pending_task.apply().get()
    assert {source: members(s) for source, s in in_boots.items()} == {
        "cart": {in_cart}, "ordered": {in_order}, "viewed": {viewer}}
    assert {summary["modes"][str(s.pk)] for s in in_boots.values()} == {
        "incremental: 1 shoppers"}  # the bystander, holding the other product, is not read

    # the product back (a variant's update names its product): they leave, again one each
    execute("UPDATE product_product SET category_id = %s WHERE id = %s", [shoes, moved])
    assert shop_events.catalogue_changed(products=[moved]) == [ch]
    [summary] = refresh_pending_task.apply().get()
    assert not any(members(s) for s in in_boots.values())
    assert {summary["modes"][str(s.pk)] for s in in_boots.values()} == {
        "incremental: 1 shoppers"}


def test_pruned_views_and_old_marks(channel):
    from saleor_segments.intake import activity
    from saleor_segments.membership import changes

    token = CheckoutFactory(channel_id=channel["id"])["token"]
    for owner in ({"customer_id": 7}, {"checkout_token": token}):
        activity.record_view(product_id=1, channel_id=channel["id"], at=NOW - 400 * 24 * HOUR,
                             **owner)
    assert activity.prune_views(365, now=NOW) == 2
    assert set(ChangedShopper.objects.values_list("customer_id", "checkout_token")) == {
        (7, None), (None, token)}
    ChangedShopper.objects.update(at=dt.datetime.now(dt.UTC) - 26 * HOUR)
    assert changes.prune() == 2


def test_incremental_refresh_and_prepared_check_under_parallel_plans(channel, monkeypatch):
    """A large store gets parallel plans: the candidates' range scans, the restricted
    evaluation and diff, and the one-shopper check's prepared statement give the same members
    under forced parallel plans."""
    from saleor_segments.membership.check import check_customer

    from .conftest import forced_parallel_plans

    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", None)  # the check prepares
    old, fresh, changed = UserFactory(), UserFactory(), UserFactory()
    OrderFactory(user_id=old["id"], channel_id=channel["id"], created_at=NOW - 25 * 24 * HOUR)
    OrderFactory(user_id=fresh["id"], channel_id=channel["id"], created_at=NOW - 2 * 24 * HOUR)
    order = OrderFactory(user_id=changed["id"], channel_id=channel["id"], status="draft",
                         created_at=NOW - 24 * HOUR)
    segment = segment_of(channel, RECENT_ORDER)
    assert members(segment) == {old["id"], fresh["id"]}
    execute("UPDATE order_order SET status = 'unfulfilled', updated_at = clock_timestamp() "
            "WHERE id = %s", [order["id"]])
    with forced_parallel_plans():  # old's order leaves the window; changed's order counts now
        result, mode = incremental(segment, NOW + 10 * 24 * HOUR)
    assert mode == "incremental: 2 shoppers"
    assert members(segment) == {fresh["id"], changed["id"]}
    execute("UPDATE order_order SET status = 'draft' WHERE id = %s", [order["id"]])
    later = NOW + 10 * 24 * HOUR
    with forced_parallel_plans():
        assert check_customer(changed["id"], Event.ORDER, now=later).left == [segment.pk]
        assert check_customer(fresh["id"], Event.ORDER, now=later).left == []
    assert members(segment) == {fresh["id"]}

    # the holders of a changed product (found from its ids and its variants' as arrays)
    from ..factories import (
        CategoryFactory,
        CheckoutLineFactory,
        OrderLineFactory,
        ProductFactory,
        ProductTypeFactory,
        VariantFactory,
    )

    shoes, boots = CategoryFactory(tree_id=10)["id"], CategoryFactory(tree_id=11)["id"]
    product = ProductFactory(product_type_id=ProductTypeFactory()["id"], category_id=shoes)["id"]
    variant = VariantFactory(product_id=product)["id"]
    OrderLineFactory(order_id=order["id"], variant_id=variant)
    CheckoutLineFactory(checkout_id=CheckoutFactory(user_id=old["id"], channel_id=channel["id"])[
        "token"], variant_id=variant)
    in_boots = {source: segment_of(channel, {"conditions": [{
        "kind": "products", "source": source, "conditions": [
            {"kind": "product.category", "operator": "is", "value": boots}]}]})
        for source in ("cart", "ordered")}
    execute("UPDATE product_product SET category_id = %s WHERE id = %s", [boots, product])
    changes.remember_products([product])
    with forced_parallel_plans():
        modes = {source: incremental(s, later)[1] for source, s in in_boots.items()}
    assert modes == {"cart": "incremental: 1 shoppers", "ordered": "incremental: 1 shoppers"}
    assert {source: members(s) for source, s in in_boots.items()} == {
        "cart": {old["id"]}, "ordered": set()}  # the order is a draft again: it never counts
