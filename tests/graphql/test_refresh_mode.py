"""segment { lastRefreshMode lastFullRefreshAt }: how the segment was last refreshed."""

import datetime as dt

import pytest

from saleor_segments.membership.refresh import refresh_segment
from saleor_segments.services.segments import create_segment

from ..factories import NOW, UserFactory
from ..helpers import EMAIL_SHOP
from .conftest import gid

pytestmark = pytest.mark.django_db

QUERY = """query($id: ID!) { segment(id: $id) { lastRefreshedAt lastRefreshMode
  lastFullRefreshAt } }"""


def test_segment_says_how_it_was_last_refreshed(api, channel, settings):
    settings.SEGMENTS_INCREMENTAL_MAX_SHARE = 1.0
    UserFactory(email="a@shop.com")
    segment = create_segment(name="S", channel_id=channel["id"], conditions=EMAIL_SHOP)
    segment_id = gid("Segment", segment.pk)
    assert api.admin(QUERY, {"id": segment_id})["segment"] == {
        "lastRefreshedAt": None, "lastRefreshMode": None, "lastFullRefreshAt": None}

    refresh_segment(segment, now=NOW)
    full = api.admin(QUERY, {"id": segment_id})["segment"]
    assert full["lastRefreshMode"] == "full: requested"
    assert full["lastRefreshedAt"] == NOW.isoformat()
    assert full["lastFullRefreshAt"] is not None

    later = NOW + dt.timedelta(hours=1)
    refresh_segment(segment, now=later, incremental=True)
    assert api.admin(QUERY, {"id": segment_id})["segment"] == {
        "lastRefreshedAt": later.isoformat(), "lastRefreshMode": "incremental: 0 shoppers",
        "lastFullRefreshAt": full["lastFullRefreshAt"]}
