"""Per-segment look-ups go through DataLoaders: a page of segments costs the same number of
queries whatever its size (as Saleor's tests/benchmark checks with count_queries)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from saleor_segments.graphql.context import Permission, Requestor, SegmentsContext
from saleor_segments.graphql.execute import execute
from saleor_segments.models import RefreshRun
from saleor_segments.services.segments import create_segment

from ..factories import ChannelFactory, UserFactory
from ..helpers import EMAIL_SHOP

QUERY_SEGMENTS = """{ segments(first: 100) { totalCount edges { node {
  id name channel { id slug name } memberCount lastRefreshedAt
  lastRefresh { id status parts partsDone } } } } }"""

pytestmark = pytest.mark.django_db
LAST: list = []


def queries_for(count: int) -> tuple[int, list]:
    channels = [ChannelFactory(), ChannelFactory()]
    for number in range(count):
        segment = create_segment(name=f"S{number}", channel_id=channels[number % 2]["id"],
                                 conditions=EMAIL_SHOP)
        RefreshRun.objects.create(segment=segment, parts=2, evaluated_at=timezone.now(),
                                  definition_version=segment.definition_version)
    context = SegmentsContext(requestor=Requestor(kind="app", permissions=frozenset(
        {Permission.MANAGE_USERS})))
    with CaptureQueriesContext(connection) as captured:
        result, status = execute({"query": QUERY_SEGMENTS}, context)
    assert status == 200 and "errors" not in result, result
    edges = result["data"]["segments"]["edges"]
    assert len(edges) == count
    LAST[:] = [q["sql"][:200] for q in captured]
    return len(captured), edges


def test_a_page_of_segments_costs_a_constant_number_of_queries():
    UserFactory(email="a@shop.com")
    few, _ = queries_for(2)
    RefreshRun.objects.all().delete()
    from saleor_segments.models import Segment

    Segment.objects.all().delete()
    many, edges = queries_for(30)
    assert many == few, f"{few} queries for 2 segments, {many} for 30: {LAST[-3:]}"
    node = edges[0]["node"]
    assert node["channel"]["slug"] and node["memberCount"] == 0
    assert node["lastRefresh"]["parts"] == 2
