import datetime as dt
import uuid

import pytest
from django.db import connection

from saleor_segments.intake import activity
from saleor_segments.models import CustomerMembership, ProductView, Segment
from saleor_segments.services.segments import create_segment
from saleor_segments.worker import tasks

from ..factories import NOW, UserFactory

pytestmark = pytest.mark.django_db


def test_views_and_wishlist(channel):
    token = uuid.uuid4()
    activity.record_view(product_id=7, channel_id=channel["id"], customer_id=1)
    activity.record_view(product_id=8, channel_id=channel["id"], checkout_token=token)
    with pytest.raises(ValueError, match="exactly one"):
        activity.record_view(product_id=7, channel_id=channel["id"])
    assert activity.adopt_visitor_activity(token, customer_id=2) == 1
    assert set(ProductView.objects.values_list("customer_id", "product_id")) == {(1, 7), (2, 8)}

    first = activity.wishlist_add(1, 7)
    assert activity.wishlist_add(1, 7).pk == first.pk  # idempotent
    activity.wishlist_add(1, 9, variant_id=3)
    assert [(w.product_id, w.variant_id) for w in activity.wishlist(1)] == [(9, 3), (7, None)]
    assert activity.wishlist_remove(1, 7) and not activity.wishlist_remove(1, 7)


def test_pruning_keeps_recent_views(channel):
    for days in (1, 10, 400, 500):
        activity.record_view(product_id=1, channel_id=channel["id"], customer_id=1,
                             at=NOW - dt.timedelta(days=days))
    assert activity.prune_views(365, batch_size=1, now=NOW) == 2
    assert ProductView.objects.count() == 2
    with pytest.raises(ValueError):
        activity.prune_views(0)


def test_tasks_refresh_and_age_out(channel):
    # eager (apply): the task bodies, without a broker
    recent = UserFactory(date_joined=dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
    UserFactory(date_joined=dt.datetime.now(dt.UTC) - dt.timedelta(days=90))
    new = create_segment(name="new", channel_id=channel["id"], conditions={"conditions": [
        {"kind": "customer.field", "field": "date_joined", "operator": "in_last_days",
         "value": 30}]})
    plain = create_segment(name="all", channel_id=channel["id"], conditions={"conditions": []})

    result = tasks.refresh_segment_task.apply(args=[new.pk]).get()
    assert result["joined"] == 1
    assert tasks.refresh_all_task.apply().get()[0]["joined"] == 2  # "all" joins both
    with connection.cursor() as cursor:  # a month later, the recent customer is not new
        cursor.execute("UPDATE account_user SET date_joined = date_joined - interval '60 days', "
                       "updated_at = clock_timestamp()")  # (Saleor stamps its saves)
    results = tasks.refresh_time_windows_task.apply().get()
    assert [r["segments"] for r in results] == [[new.pk]]  # only segments with time windows
    assert results[0]["left"] == 1
    assert not CustomerMembership.objects.filter(segment=new).exists()
    assert CustomerMembership.objects.filter(segment=plain, customer_id=recent["id"]).exists()
    assert tasks.refresh_segment_task.apply(args=[999999]).get()["skipped"]
    assert Segment.objects.count() == 2


def test_marked_channels_get_the_combined_refresh(channel):
    from saleor_segments.intake import shop_events
    from saleor_segments.models import PendingRefresh

    UserFactory(email="a@shop.com")
    segment = create_segment(name="shop", channel_id=channel["id"], conditions={"conditions": [
        {"kind": "customer.field", "field": "email", "operator": "contains", "value": "shop"}]})
    assert shop_events.mark_pending() == 1  # account events: every channel with active segments
    assert shop_events.mark_pending(channel["id"]) == 0  # already marked
    assert tasks.refresh_pending_task.apply().get()[0]["joined"] == 1
    assert not PendingRefresh.objects.exists()
    assert CustomerMembership.objects.filter(segment=segment).count() == 1
    assert tasks.refresh_pending_task.apply().get() == []
