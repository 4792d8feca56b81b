import uuid
from contextlib import contextmanager

import pytest
from django.db import connection

from saleor_segments.intake import shop_events
from saleor_segments.membership.check import check_visitor
from saleor_segments.models import CustomerMembership, MembershipLog, ProductView, VisitorMembership
from saleor_segments.services.segments import create_segment, update_segment

from ..factories import (
    ChannelFactory,
    CheckoutFactory,
    CheckoutLineFactory,
    ProductFactory,
    UserFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db

@contextmanager
def django_capture():
    """Run the on-commit callbacks (queued refresh tasks) as the transaction would."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        yield


CART = {"conditions": [{"kind": "cart", "field": "lines", "operator": "gte", "value": 1}]}


def test_visitor_becomes_customer_on_attach(channel):
    variant = VariantFactory(product_id=ProductFactory()["id"])
    visitors = create_segment(name="v", channel_id=channel["id"], apply_to="visitors",
                              conditions=CART)
    customers = create_segment(name="c", channel_id=channel["id"], conditions=CART)
    checkout = CheckoutFactory(user_id=None, channel_id=channel["id"])
    CheckoutLineFactory(checkout_id=checkout["token"], variant_id=variant["id"])
    ProductView.objects.create(checkout_token=checkout["token"], channel_id=channel["id"],
                               product_id=variant["product_id"])

    assert shop_events.checkout_changed(checkout["token"], channel["id"], None).joined == [visitors.pk]
    user = UserFactory()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE checkout_checkout SET user_id = %s WHERE token = %s",
                       [user["id"], checkout["token"]])
    result = shop_events.checkout_changed(checkout["token"], channel["id"], user["id"])
    assert result.joined == [customers.pk]
    assert MembershipLog.objects.filter(segment_id=visitors.pk, action="left").count() == 1
    assert ProductView.objects.get().customer_id == user["id"]


def test_deleted_customer_leaves_every_segment_and_failures_never_raise(channel, caplog,
                                                                       monkeypatch):
    user = UserFactory(email="a@shop.com")
    shop = create_segment(name="shop", channel_id=channel["id"], conditions={"conditions": [
        {"kind": "customer.field", "field": "email", "operator": "contains", "value": "shop"}]})
    shop_events.customer_changed(user["id"])
    update_segment(shop, status="inactive")  # inactive segments are left too
    assert shop_events.customer_deleted(user["id"]) == 1
    assert not CustomerMembership.objects.exists()
    assert MembershipLog.objects.filter(reason="event:customer_deleted").count() == 1

    assert shop_events.order_changed(user["id"], channel["id"], "draft") is None  # drafts ignored

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(shop_events, "check_visitor", broken)
    assert shop_events.checkout_changed("token", channel["id"], None) is None  # logged, not raised
    assert "checkout_changed failed" in caplog.text and "database went away" in caplog.text


NEW_CUSTOMERS = {"conditions": [{"kind": "orders", "measure": "count", "operator": "is",
                                 "value": 0, "conditions": []}]}


def test_a_new_customer_is_checked_against_every_kind_of_segment(channel):
    """Issue 9.1: "orders count is 0" is only about orders, yet a customer who has just been
    created is in it, in every channel that has such a segment."""
    other = ChannelFactory()
    welcome = create_segment(name="welcome", channel_id=channel["id"], conditions=NEW_CUSTOMERS)
    welcome_there = create_segment(name="welcome 2", channel_id=other["id"],
                                   conditions=NEW_CUSTOMERS)
    visitors = create_segment(name="visitors", channel_id=channel["id"], apply_to="visitors",
                              conditions=CART)
    user = UserFactory()

    result = shop_events.customer_created(user["id"])

    assert result.joined == [welcome.pk, welcome_there.pk]
    assert visitors.pk not in result.checked
    assert MembershipLog.objects.filter(customer_id=user["id"],
                                        reason="event:customer_created").count() == 2


def test_deleted_checkouts_move_their_visitors_and_customers_out(channel):
    """Issue 9.3: a visitor whose checkout is gone leaves every segment; a customer is
    re-checked against the cart of their remaining checkouts."""
    variant = VariantFactory(product_id=ProductFactory()["id"])
    visitors = create_segment(name="v", channel_id=channel["id"], apply_to="visitors",
                              conditions=CART)
    customers = create_segment(name="c", channel_id=channel["id"], conditions=CART)
    anonymous, kept = (CheckoutFactory(user_id=None, channel_id=channel["id"]) for _ in "ab")
    user = UserFactory()
    owned = CheckoutFactory(user_id=user["id"], channel_id=channel["id"])
    for checkout in (anonymous, kept, owned):
        CheckoutLineFactory(checkout_id=checkout["token"], variant_id=variant["id"])
        shop_events.checkout_changed(checkout["token"], channel["id"], checkout["user_id"])
    assert VisitorMembership.objects.count() == 2 and CustomerMembership.objects.count() == 1

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM checkout_checkoutline WHERE checkout_id = ANY(%s)",
                       [[anonymous["token"], owned["token"]]])
        cursor.execute("DELETE FROM checkout_checkout WHERE token = ANY(%s)",
                       [[anonymous["token"], owned["token"]]])
    rows = [(anonymous["token"], channel["id"], None), (owned["token"], channel["id"], user["id"]),
            (kept["token"], channel["id"], None)]  # kept: a deletion rolled back, still there
    assert shop_events.checkouts_deleted(rows) == {"visitors_ended": 1, "customers_checked": 1}

    assert list(VisitorMembership.objects.values_list("checkout_token", "segment_id")) == [
        (kept["token"], visitors.pk)]
    assert not CustomerMembership.objects.filter(segment=customers).exists()
    assert set(MembershipLog.objects.filter(reason="event:checkout_deleted").values_list(
        "action", "customer_id", "checkout_token")) == {("left", None, anonymous["token"]),
                                                         ("left", user["id"], None)}


def test_checkouts_deleted_with_their_customer_are_left_to_customer_deleted(channel):
    customers = create_segment(name="c", channel_id=channel["id"], conditions=NEW_CUSTOMERS)
    user = UserFactory()
    shop_events.customer_created(user["id"])
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM account_user WHERE id = %s", [user["id"]])
    assert shop_events.checkouts_deleted([(uuid.uuid4(), channel["id"], user["id"])])[
        "customers_checked"] == 0
    assert CustomerMembership.objects.filter(segment=customers).exists()  # untouched here


def test_sweep_catches_checkouts_removed_behind_the_plugins_back(channel):
    """Issue 9.3's safety net: rows deleted with raw SQL (no event at all)."""
    from saleor_segments.worker.tasks import sweep_checkouts_task

    variant = VariantFactory(product_id=ProductFactory()["id"])
    visitors = create_segment(name="v", channel_id=channel["id"], apply_to="visitors",
                              conditions={"conditions": []})  # not even about the cart
    customers = create_segment(name="c", channel_id=channel["id"], conditions=CART)
    unrelated = create_segment(name="u", channel_id=channel["id"], conditions=NEW_CUSTOMERS)
    gone, kept = (CheckoutFactory(user_id=None, channel_id=channel["id"]) for _ in "ab")
    user = UserFactory()
    owned = CheckoutFactory(user_id=user["id"], channel_id=channel["id"])
    CheckoutLineFactory(checkout_id=owned["token"], variant_id=variant["id"])
    for checkout in (gone, kept):
        check_visitor(checkout["token"])
    shop_events.checkout_changed(owned["token"], channel["id"], user["id"])
    assert VisitorMembership.objects.count() == 2
    assert CustomerMembership.objects.filter(segment=customers).exists()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM checkout_checkoutline")
        cursor.execute("DELETE FROM checkout_checkout WHERE token <> %s", [kept["token"]])

    result = sweep_checkouts_task.apply().get()

    assert result == {"visitors_ended": 1, "segments": [customers.pk], "failed": [],
                      "joined": 0, "left": 1}
    assert unrelated.pk not in result["segments"]
    assert list(VisitorMembership.objects.values_list("checkout_token", "segment_id")) == [
        (kept["token"], visitors.pk)]
    assert not CustomerMembership.objects.filter(segment=customers).exists()
    assert MembershipLog.objects.filter(reason="sweep:checkout_deleted").count() == 1


def test_sweep_is_in_the_beat_schedule():
    from saleor_segments.worker.schedule import BEAT_SCHEDULE

    assert {e["task"] for e in BEAT_SCHEDULE.values()} >= {"saleor_segments.sweep_checkouts"}


def test_shared_data_changes_refresh_the_segments_that_read_them(channel):
    """A customer type deleted (its customers moved in one UPDATE) refreshes the segments that
    read customer types, and only those; with the real-time check off it marks their channel."""
    from saleor_segments.models import PendingRefresh

    from ..factories import CustomerTypeFactory

    kept_type, gone_type = CustomerTypeFactory(), CustomerTypeFactory()
    by_type = create_segment(name="t", channel_id=channel["id"], conditions={"conditions": [
        {"kind": "customer.field", "field": "customer_type", "operator": "is",
         "value": kept_type["id"]}]})
    other = create_segment(name="o", channel_id=channel["id"], conditions=NEW_CUSTOMERS)
    user = UserFactory(customer_type_id=gone_type["id"])
    with connection.cursor() as cursor:  # what customerTypeDelete does
        cursor.execute("UPDATE account_user SET customer_type_id = %s", [kept_type["id"]])

    def reads_type(node):
        return getattr(node, "field", None) == "customer_type"

    with django_capture():
        assert shop_events.shared_data_changed(reads_type) == [by_type.pk]
    assert list(CustomerMembership.objects.values_list("segment_id", "customer_id")) == [
        (by_type.pk, user["id"])]
    assert other.pk not in set(CustomerMembership.objects.values_list("segment_id", flat=True))

    assert shop_events.shared_data_changed(reads_type, real_time=False) == [by_type.pk]
    assert list(PendingRefresh.objects.values_list("channel_id", flat=True)) == [channel["id"]]


def test_catalogue_changes_mark_the_channels_of_segments_with_product_conditions(channel):
    from saleor_segments.models import PendingRefresh

    from ..factories import CategoryFactory

    other = ChannelFactory()
    by_category = create_segment(name="p", channel_id=channel["id"], conditions={
        "conditions": [{"kind": "products", "source": "cart", "conditions": [
            {"kind": "product.category", "operator": "is", "value": CategoryFactory()["id"]}]}]})
    create_segment(name="n", channel_id=other["id"], conditions=NEW_CUSTOMERS)

    assert shop_events.catalogue_changed() == [channel["id"]]
    assert list(PendingRefresh.objects.values_list(
        "channel_id", "full_refresh", "full_segments")) == [(channel["id"], False, [by_category.pk])]
    update_segment(by_category, status="inactive")
    assert shop_events.catalogue_changed() == []


def test_a_broker_that_refuses_the_refresh_marks_the_channel_and_never_raises(channel,
                                                                             monkeypatch):
    """Shared-data events arrive inside Saleor's mutations: a broker that is down must not
    break them; the combined refresh (refresh_pending) takes the work instead."""
    from saleor_segments.models import PendingRefresh
    from saleor_segments.worker import tasks

    segment = create_segment(name="t", channel_id=channel["id"], conditions={"conditions": [
        {"kind": "customer.field", "field": "customer_type", "operator": "undefined",
         "value": True}]})

    def down(*args, **kwargs):
        raise ConnectionRefusedError("broker unreachable")

    monkeypatch.setattr(tasks.refresh_segment_task, "apply_async", down)  # queued by name
    with django_capture():
        assert shop_events.shared_data_changed(
            lambda node: getattr(node, "field", None) == "customer_type") == [segment.pk]
    assert list(PendingRefresh.objects.values_list(
        "channel_id", "full_refresh", "full_segments")) == [(channel["id"], False, [segment.pk])]
