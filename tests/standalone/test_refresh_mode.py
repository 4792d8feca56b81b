"""How each segment was last refreshed is stored on it (``Segment.last_refresh_mode``): full or
incremental, by a refresh of one segment, of a channel, or a split refresh."""

import datetime as dt

import pytest

from saleor_segments.membership import split
from saleor_segments.membership.refresh import mark_refreshed, refresh_channel, refresh_segment
from saleor_segments.models import Segment
from saleor_segments.services.segments import create_segment, update_segment

from ..factories import NOW, UserFactory
from ..helpers import EMAIL_SHOP, members

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)


@pytest.fixture(autouse=True)
def _incremental_however_many_changed(settings):
    settings.SEGMENTS_INCREMENTAL_MAX_SHARE = 1.0


def stored(segment):
    return Segment.objects.values_list("last_refresh_mode", "last_full_refresh_at").get(
        pk=segment.pk)


def test_full_then_incremental_refresh_store_their_modes(channel):
    a = UserFactory(email="a@shop.com")
    segment = create_segment(name="S", channel_id=channel["id"], conditions=EMAIL_SHOP)
    assert stored(segment) == ("", None)  # never refreshed

    refresh_segment(segment, now=NOW)
    mode, full_at = stored(segment)
    assert mode == "full: requested" and full_at is not None

    UserFactory(email="new@shop.com", updated_at=dt.datetime.now(dt.UTC))
    result = refresh_segment(segment, now=NOW + HOUR, incremental=True)
    assert result.modes[segment.pk] == "incremental: 1 shoppers"
    assert stored(segment) == ("incremental: 1 shoppers", full_at)  # no new full evaluation
    assert len(members(segment)) == 2 and a["id"] in members(segment)

    update_segment(Segment.objects.get(pk=segment.pk),
                   conditions={**EMAIL_SHOP, "expected": False})
    refresh_segment(segment, now=NOW + 2 * HOUR, incremental=True)
    mode, later = stored(segment)
    assert mode == "full: its definition changed" and later > full_at


def test_a_channel_refresh_stores_each_segments_own_mode(channel):
    UserFactory(email="a@shop.com")
    one = create_segment(name="one", channel_id=channel["id"], conditions=EMAIL_SHOP)
    two = create_segment(name="two", channel_id=channel["id"], conditions=EMAIL_SHOP)
    refresh_segment(one, now=NOW)  # two was never refreshed
    refresh_channel(channel["id"], now=NOW + HOUR, incremental=True)
    assert stored(one)[0] == "incremental: 0 shoppers"
    assert stored(two)[0] == "full: never refreshed"


def test_a_split_refresh_stores_a_full_mode(channel):
    UserFactory(email="a@shop.com")
    segment = create_segment(name="S", channel_id=channel["id"], conditions=EMAIL_SHOP)
    run = split.run_inline(segment, parts=3)
    assert run.status == "done"
    assert stored(segment)[0] == f"full: split refresh ({run.parts} parts)"


def test_a_long_mode_is_cut_to_the_column(channel):
    segment = create_segment(name="S", channel_id=channel["id"], conditions=EMAIL_SHOP)
    mark_refreshed([segment], NOW, NOW, {segment.pk: "full: " + "x" * 300})
    assert stored(segment)[0] == "full: " + "x" * 194
