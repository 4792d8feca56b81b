"""Membership event subscriptions over the API: MANAGE_USERS, errors as data, the secret
shown once, deliveries with their status."""

import pytest

from saleor_segments.graphql.core.ids import global_id
from saleor_segments.services.segments import create_segment
from saleor_segments.webhooks.models import MembershipDelivery, MembershipSubscription

from ..helpers import EMAIL_SHOP
from .conftest import DISCOUNTS_TOKEN, USERS_TOKEN

pytestmark = pytest.mark.django_db

SUBSCRIPTION_FIELDS = """
    id name targetUrl appId events isActive hasSecret segments { id name }
    deliveries(first: 10) { totalCount edges { node { id status attempts } } }
"""
CREATE = f"""
mutation Create($input: SegmentSubscriptionCreateInput!) {{
  segmentSubscriptionCreate(input: $input) {{
    errors {{ field code message }}
    secret
    segmentSubscription {{ {SUBSCRIPTION_FIELDS} }}
  }}
}}"""
UPDATE = f"""
mutation Update($id: ID!, $input: SegmentSubscriptionUpdateInput!) {{
  segmentSubscriptionUpdate(id: $id, input: $input) {{
    errors {{ field code message }}
    secret
    segmentSubscription {{ {SUBSCRIPTION_FIELDS} }}
  }}
}}"""
DELETE = """
mutation Delete($id: ID!) {
  segmentSubscriptionDelete(id: $id) { errors { field code } segmentSubscription { id } }
}"""
LIST = f"""
query List($first: Int, $after: String) {{
  segmentSubscriptions(first: $first, after: $after) {{
    totalCount pageInfo {{ hasNextPage endCursor }}
    edges {{ node {{ {SUBSCRIPTION_FIELDS} }} }}
  }}
}}"""
DELIVERIES = """
query Deliveries($subscription: ID, $status: SegmentDeliveryStatusEnum) {
  segmentMembershipDeliveries(subscription: $subscription, status: $status, first: 10) {
    totalCount
    edges { node { id status attempts responseCode lastError changeIds changes
                   subscription { id } } }
  }
}"""
RETRY = """
mutation Retry($id: ID!) {
  segmentMembershipDeliveryRetry(id: $id) {
    errors { field code message } delivery { id status attempts }
  }
}"""


@pytest.fixture
def segment(channel):
    return create_segment(name="Shop", channel_id=channel["id"], conditions=EMAIL_SHOP)


def create_input(segment, **overrides):
    return {"name": "CRM", "targetUrl": "https://crm.example.com/hooks",
            "segments": [global_id("Segment", segment.pk)], **overrides}


def test_create_shows_the_secret_once(api, segment):
    data = api.admin(CREATE, {"input": create_input(segment, events=["JOINED"])})
    payload = data["segmentSubscriptionCreate"]
    assert payload["errors"] == []
    created = payload["segmentSubscription"]
    stored = MembershipSubscription.objects.get()
    assert payload["secret"] == stored.secret and len(stored.secret) >= 32
    assert created["events"] == ["JOINED"] and created["hasSecret"] is True
    assert created["segments"] == [{"id": global_id("Segment", segment.pk), "name": "Shop"}]

    # never again: not in the type, not in the list, not in an update that keeps it
    listed = api.admin(LIST, {"first": 10})["segmentSubscriptions"]
    assert listed["totalCount"] == 1 and stored.secret not in str(listed)
    updated = api.admin(UPDATE, {"id": created["id"], "input": {"name": "CRM 2"}})
    assert updated["segmentSubscriptionUpdate"]["secret"] is None
    assert stored.secret not in str(updated)
    status, body = api.post(f"{{ segmentSubscription(id: \"{created['id']}\") {{ secret }} }}",
                            token=USERS_TOKEN)
    assert "Cannot query field" in body["errors"][0]["message"]


def test_rotating_gives_a_new_secret_once(api, segment):
    created = api.admin(CREATE, {"input": create_input(segment)})["segmentSubscriptionCreate"]
    rotated = api.admin(UPDATE, {"id": created["segmentSubscription"]["id"],
                                 "input": {"rotateSecret": True}})["segmentSubscriptionUpdate"]
    assert rotated["errors"] == [] and rotated["secret"] not in (None, created["secret"])
    assert MembershipSubscription.objects.get().secret == rotated["secret"]


@pytest.mark.parametrize(("overrides", "field", "code"), [
    ({"name": "  "}, "name", "REQUIRED"),
    ({"targetUrl": "ftp://crm.example.com"}, "targetUrl", "INVALID"),
    ({"targetUrl": "https://user:pw@crm.example.com/"}, "targetUrl", "INVALID"),
    ({"targetUrl": "not a url"}, "targetUrl", "INVALID"),
    ({"segments": []}, "segments", "REQUIRED"),
    ({"segments": [global_id("Segment", 999999)]}, "segments", "NOT_FOUND"),
    ({"events": []}, "events", "REQUIRED"),
    ({"app": global_id("App", 1)}, "app", "NOT_FOUND"),  # standalone: no Saleor Apps
])
def test_bad_input_is_an_error_and_changes_nothing(api, segment, overrides, field, code):
    payload = api.admin(CREATE, {"input": create_input(segment, **overrides)})[
        "segmentSubscriptionCreate"]
    assert payload["segmentSubscription"] is None and payload["secret"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [(field, code)]
    assert not MembershipSubscription.objects.exists()


def test_update_changes_and_validates(api, segment, channel):
    other = create_segment(name="Other", channel_id=channel["id"], conditions=EMAIL_SHOP)
    sub_id = api.admin(CREATE, {"input": create_input(segment)})[
        "segmentSubscriptionCreate"]["segmentSubscription"]["id"]
    payload = api.admin(UPDATE, {"id": sub_id, "input": {
        "segments": [global_id("Segment", other.pk)], "events": ["LEFT"], "isActive": False,
        "targetUrl": "http://10.0.0.5:8000/in"}})["segmentSubscriptionUpdate"]
    assert payload["errors"] == []
    got = payload["segmentSubscription"]
    assert [s["name"] for s in got["segments"]] == ["Other"]
    assert (got["events"], got["isActive"], got["targetUrl"]) == (
        ["LEFT"], False, "http://10.0.0.5:8000/in")
    bad = api.admin(UPDATE, {"id": sub_id, "input": {"segments": []}})[
        "segmentSubscriptionUpdate"]
    assert [(e["field"], e["code"]) for e in bad["errors"]] == [("segments", "REQUIRED")]
    assert MembershipSubscription.objects.get().segment_ids == [other.pk]


def test_delete(api, segment):
    sub_id = api.admin(CREATE, {"input": create_input(segment)})[
        "segmentSubscriptionCreate"]["segmentSubscription"]["id"]
    deleted = api.admin(DELETE, {"id": sub_id})["segmentSubscriptionDelete"]
    assert deleted == {"errors": [], "segmentSubscription": {"id": sub_id}}
    assert not MembershipSubscription.objects.exists()
    again = api.admin(DELETE, {"id": sub_id})["segmentSubscriptionDelete"]
    assert [(e["field"], e["code"]) for e in again["errors"]] == [("id", "NOT_FOUND")]


def test_deliveries_with_status_and_retry_of_a_failed_one(api, segment):
    sub_id = api.admin(CREATE, {"input": create_input(segment)})[
        "segmentSubscriptionCreate"]["segmentSubscription"]["id"]
    subscription = MembershipSubscription.objects.get()
    change = {"id": 7, "action": "joined"}
    done = MembershipDelivery.objects.create(subscription=subscription, status="success",
                                             attempts=1, response_code=204, changes=[change],
                                             change_ids=[7])
    failed = MembershipDelivery.objects.create(subscription=subscription, status="failed",
                                               attempts=6, response_code=500,
                                               last_error="HTTP 500", changes=[change],
                                               change_ids=[8])
    everything = api.admin(DELIVERIES, {"subscription": sub_id})["segmentMembershipDeliveries"]
    assert everything["totalCount"] == 2
    assert [e["node"]["status"] for e in everything["edges"]] == ["FAILED", "SUCCESS"]
    only_failed = api.admin(DELIVERIES, {"status": "FAILED"})["segmentMembershipDeliveries"]
    (node,) = [e["node"] for e in only_failed["edges"]]
    assert (node["attempts"], node["responseCode"], node["lastError"], node["changeIds"]) == (
        6, 500, "HTTP 500", [8])
    assert node["subscription"]["id"] == sub_id

    retried = api.admin(RETRY, {"id": global_id("SegmentMembershipDelivery", failed.pk)})[
        "segmentMembershipDeliveryRetry"]
    assert retried["errors"] == [] and retried["delivery"]["status"] == "PENDING"
    assert retried["delivery"]["attempts"] == 0
    not_failed = api.admin(RETRY, {"id": global_id("SegmentMembershipDelivery", done.pk)})[
        "segmentMembershipDeliveryRetry"]
    assert [(e["field"], e["code"]) for e in not_failed["errors"]] == [("id", "INVALID")]


def test_manage_users_is_required(api, segment):
    variables = {"input": create_input(segment)}
    for token in (None, DISCOUNTS_TOKEN):
        _status, body = api.post(CREATE, variables, token=token)
        assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
        _status, body = api.post(LIST, {"first": 5}, token=token)
        assert body["data"]["segmentSubscriptions"] is None
        assert "MANAGE_USERS" in body["errors"][0]["message"]
    assert not MembershipSubscription.objects.exists()
    _status, body = api.post(CREATE, variables, token=USERS_TOKEN)
    assert body["data"]["segmentSubscriptionCreate"]["errors"] == []


ADMIN_EVENTS = """query($id: ID) {
  segmentAdminEvents(objectType: SEGMENT_SUBSCRIPTION, objectId: $id, first: 20) { totalCount
    edges { node { objectType objectId objectName action before after actorKind } } } }"""


def test_subscription_changes_are_in_the_action_log_without_the_secret(api, segment):
    import json

    created = api.admin(CREATE, {"input": create_input(segment)})["segmentSubscriptionCreate"]
    sid, secrets = created["segmentSubscription"]["id"], [created["secret"]]
    api.admin(UPDATE, {"id": sid, "input": {"name": "CRM 2"}})
    api.admin(UPDATE, {"id": sid, "input": {"isActive": False}})
    rotated = api.admin(UPDATE, {"id": sid, "input": {"rotateSecret": True}})
    secrets.append(rotated["segmentSubscriptionUpdate"]["secret"])
    failed = api.admin(UPDATE, {"id": sid, "input": {"name": "  "}})  # refused: not logged
    assert failed["segmentSubscriptionUpdate"]["errors"]
    api.admin(DELETE, {"id": sid})

    data = api.admin(ADMIN_EVENTS, {"id": sid})["segmentAdminEvents"]
    events = [e["node"] for e in data["edges"]][::-1]  # oldest first
    assert [e["action"] for e in events] == ["CREATED", "UPDATED", "DEACTIVATED", "UPDATED",
                                             "DELETED"]
    assert {e["objectType"] for e in events} == {"SEGMENT_SUBSCRIPTION"}
    assert {e["objectId"] for e in events} == {sid}
    renamed = events[1]
    assert (json.loads(renamed["before"])["name"], json.loads(renamed["after"])["name"]) == (
        "CRM", "CRM 2")
    assert (json.loads(events[2]["before"]), json.loads(events[2]["after"])) == (
        {"is_active": True}, {"is_active": False})
    assert json.loads(events[0]["after"])["segment_ids"] == [segment.pk]
    assert events[-1]["objectName"] == "CRM 2" and events[-1]["after"] is None
    assert all(secret not in str(events) for secret in secrets)
