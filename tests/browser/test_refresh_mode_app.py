"""The segment page says how the segment was last refreshed (full or incremental)."""

import base64
import datetime as dt
from urllib.parse import quote

import pytest

from saleor_segments.membership.refresh import refresh_segment
from saleor_segments.services.segments import create_segment

from ..factories import NOW

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_segment_page_shows_the_last_refresh_mode(dashboard, shop):
    channel, _people = shop
    segment = create_segment(name="Refreshed", channel_id=channel["id"], conditions={
        "conditions": [{"kind": "customer.field", "field": "email", "operator": "contains",
                        "value": "@example.com"}]})
    segment_id = base64.b64encode(f"Segment:{segment.pk}".encode()).decode()
    app = dashboard.open(f"segments/{quote(segment_id, safe='')}")
    line = app.get_by_test_id("last-refresh")
    line.filter(has_text="Last refresh: never").wait_for(timeout=15_000)

    refresh_segment(segment, now=NOW)
    refresh_segment(segment, now=NOW + dt.timedelta(hours=1), incremental=True)
    dashboard.page.reload()
    line = dashboard.page.frame_locator("#app").get_by_test_id("last-refresh")
    line.filter(has_text="incremental, 0 shoppers re-evaluated").wait_for(timeout=15_000)
    assert line.inner_text().startswith("Last refresh: ")
    assert line.get_attribute("title").startswith("Last full evaluation: ")
    dashboard.screenshot("segment-last-refresh")
    assert dashboard.real_errors() == []
