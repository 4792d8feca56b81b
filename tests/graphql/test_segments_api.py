"""segments / segment / segmentCreate / Update / Delete / BulkDelete / Refresh."""

import json

import pytest

from saleor_segments.models import MembershipLog, Segment

from ..factories import ChannelFactory, UserFactory
from ..helpers import EMAIL_SHOP
from .conftest import gid

pytestmark = pytest.mark.django_db

CREATE = """
mutation($input: SegmentCreateInput!) {
  segmentCreate(input: $input) {
    segment { id name status applyTo definitionVersion memberCount channel { slug }
              conditions conditionTree { kind aggregator expected conditions { kind field
              operator value } } }
    errors { field code message }
  }
}"""

SEGMENTS = """
query($first: Int, $after: String, $filter: SegmentFilterInput, $sortBy: SegmentSortingInput) {
  segments(first: $first, after: $after, filter: $filter, sortBy: $sortBy) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name } }
  }
}"""


def create(api, channel, name="Shop people", conditions=EMAIL_SHOP, **extra):
    data = api.admin(CREATE, {"input": {"name": name, "channel": gid("Channel", channel["id"]),
                                        "conditions": json.dumps(conditions), **extra}})
    return data["segmentCreate"]


def test_create_returns_the_segment_with_its_tree(api, channel):
    result = create(api, channel, description="people of the shop")
    assert result["errors"] == []
    segment = result["segment"]
    assert (segment["name"], segment["status"], segment["applyTo"]) == (
        "Shop people", "ACTIVE", "CUSTOMERS")
    assert segment["channel"]["slug"] == channel["slug"]
    assert segment["definitionVersion"] == 1 and segment["memberCount"] == 0
    assert json.loads(segment["conditions"])["version"] == 1
    tree = segment["conditionTree"]
    assert (tree["kind"], tree["aggregator"], tree["expected"]) == ("group", "all", True)
    assert tree["conditions"] == [{"kind": "customer.field", "field": "email",
                                   "operator": "contains", "value": '"@shop.com"'}]  # JSON


def test_invalid_tree_is_rejected_with_paths_and_nothing_saved(api, channel):
    bad = {"conditions": [
        {"kind": "customer.field", "field": "email", "operator": "gt", "value": "x"},
        {"kind": "address", "conditions": [{"kind": "address.field", "field": "country",
                                            "operator": "is", "value": "Narnia"}]},
        {"kind": "no.such.kind"}]}
    result = create(api, channel, conditions=bad)
    assert result["segment"] is None
    fields = {(e["field"], e["code"]) for e in result["errors"]}
    assert ("conditions[0].operator", "INVALID_OPERATOR") in fields
    assert ("conditions[1].conditions[0].value", "INVALID_VALUE") in fields
    assert ("conditions[2].kind", "UNKNOWN_KIND") in fields
    assert Segment.objects.count() == 0

    result = create(api, channel, name="  ")
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("name", "REQUIRED")]
    result = api.admin(CREATE, {"input": {"name": "x", "channel": gid("Channel", 999999),
                                           "conditions": "{}"}})["segmentCreate"]
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("channel", "NOT_FOUND")]
    assert Segment.objects.count() == 0


def test_nesting_bomb_is_refused(api, channel):
    tree = {"kind": "group", "conditions": []}
    for _ in range(60):
        tree = {"kind": "group", "conditions": [tree]}
    result = create(api, channel, conditions={"conditions": [tree]})
    assert {e["code"] for e in result["errors"]} == {"TOO_DEEP"}
    many = {"conditions": [EMAIL_SHOP["conditions"][0]] * 600}
    assert {e["code"] for e in create(api, channel, conditions=many)["errors"]} == {"TOO_LARGE"}
    assert Segment.objects.count() == 0


def test_update_bumps_the_version_only_for_new_conditions(api, channel):
    segment_id = create(api, channel)["segment"]["id"]
    update = """mutation($id: ID!, $input: SegmentInput!) { segmentUpdate(id: $id, input: $input) {
        segment { name status definitionVersion } errors { field code message } } }"""
    result = api.admin(update, {"id": segment_id, "input": {"name": "Renamed",
                                                            "status": "INACTIVE"}})
    assert result["segmentUpdate"]["segment"] == {"name": "Renamed", "status": "INACTIVE",
                                                  "definitionVersion": 1}
    new = {"conditions": [{"kind": "customer.field", "field": "email", "operator": "contains",
                           "value": "shop"}]}
    result = api.admin(update, {"id": segment_id, "input": {"conditions": json.dumps(new)}})
    assert result["segmentUpdate"]["segment"]["definitionVersion"] == 2
    bad = {"conditions": [{"kind": "cart", "field": "nope", "operator": "is", "value": 1}]}
    result = api.admin(update, {"id": segment_id, "input": {"conditions": json.dumps(bad),
                                                            "name": "Not saved"}})
    assert result["segmentUpdate"]["errors"][0]["field"] == "conditions[0].field"
    segment = Segment.objects.get()
    assert (segment.name, segment.definition_version) == ("Renamed", 2)  # nothing half-saved


def test_list_filter_sort_and_paginate(api, channel):
    other = ChannelFactory()
    for name in ("Bravo", "Alpha", "Charlie", "Delta"):
        create(api, channel, name=name)
    create(api, other, name="Echo")

    page = api.admin(SEGMENTS, {"first": 2, "sortBy": {"field": "NAME", "direction": "ASC"}})
    segments = page["segments"]
    assert segments["totalCount"] == 5 and segments["pageInfo"]["hasNextPage"]
    names = [e["node"]["name"] for e in segments["edges"]]
    after = segments["pageInfo"]["endCursor"]
    while True:
        page = api.admin(SEGMENTS, {"first": 2, "after": after,
                                    "sortBy": {"field": "NAME", "direction": "ASC"}})
        names += [e["node"]["name"] for e in page["segments"]["edges"]]
        if not page["segments"]["pageInfo"]["hasNextPage"]:
            break
        after = page["segments"]["pageInfo"]["endCursor"]
    assert names == ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]

    page = api.admin(SEGMENTS, {"first": 10, "filter": {
        "channels": [gid("Channel", other["id"])]}})
    assert [e["node"]["name"] for e in page["segments"]["edges"]] == ["Echo"]
    page = api.admin(SEGMENTS, {"first": 10, "filter": {"search": "LTA"},
                                "sortBy": {"field": "CREATED_AT", "direction": "DESC"}})
    assert [e["node"]["name"] for e in page["segments"]["edges"]] == ["Delta"]


def test_get_delete_and_bulk_delete(api, channel, django_capture_on_commit_callbacks):
    UserFactory(email="a@shop.com")
    first = create(api, channel, name="one")["segment"]["id"]
    second = create(api, channel, name="two")["segment"]["id"]
    third = create(api, channel, name="three")["segment"]["id"]
    with django_capture_on_commit_callbacks(execute=True):
        api.admin("mutation($id: ID!) { segmentRefresh(id: $id) { errors { code } } }",
                  {"id": first})

    query = "query($id: ID!) { segment(id: $id) { id name memberCount } }"
    assert api.admin(query, {"id": first})["segment"] == {"id": first, "name": "one",
                                                          "memberCount": 1}
    delete = "mutation($id: ID!) { segmentDelete(id: $id) { segment { id name } errors { code } } }"
    assert api.admin(delete, {"id": first})["segmentDelete"]["segment"] == {"id": first,
                                                                            "name": "one"}
    assert api.admin(query, {"id": first})["segment"] is None
    assert MembershipLog.objects.filter(reason="segment_deleted").count() == 1

    bulk = """mutation($ids: [ID!]!) { segmentBulkDelete(ids: $ids) { count
              errors { field code } } }"""
    result = api.admin(bulk, {"ids": [second, gid("Segment", 999999)]})["segmentBulkDelete"]
    assert result["errors"] == [{"field": "ids", "code": "NOT_FOUND"}]
    assert Segment.objects.count() == 2  # all or none
    result = api.admin(bulk, {"ids": [second, third, second]})["segmentBulkDelete"]
    assert (result["count"], result["errors"]) == (2, [])
    assert Segment.objects.count() == 0


def test_refresh_runs_a_task_whose_progress_can_be_read(api, channel,
                                                        django_capture_on_commit_callbacks):
    for i in range(5):
        UserFactory(email=f"p{i}@shop.com")
    segment_id = create(api, channel)["segment"]["id"]
    refresh = """mutation($id: ID!, $parts: Int) { segmentRefresh(id: $id, parts: $parts) {
        refresh { id status parts } errors { field code message } } }"""
    run_query = """query($id: ID!) { segmentRefreshRun(id: $id) { status parts partsDone joined
        left error finishedAt } }"""
    for parts in (1, 3):
        with django_capture_on_commit_callbacks(execute=True):
            result = api.admin(refresh, {"id": segment_id, "parts": parts})["segmentRefresh"]
        assert result["errors"] == [] and result["refresh"]["parts"] == parts
        run = api.admin(run_query, {"id": result["refresh"]["id"]})["segmentRefreshRun"]
        assert (run["status"], run["partsDone"], run["error"]) == ("DONE", parts, None)
        assert run["joined"] == (5 if parts == 1 else 0)  # the second run finds them in

    result = api.admin(refresh, {"id": segment_id, "parts": 1000})["segmentRefresh"]
    assert result["errors"][0]["field"] == "parts"
