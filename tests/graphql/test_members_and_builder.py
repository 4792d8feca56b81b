"""segmentMembers, customerSegments, segmentMembershipHistory, segmentConditionKinds,
segmentPreview and segmentExplain."""

import datetime as dt
import json

import pytest

from saleor_segments.conditions import all_kinds
from saleor_segments.membership.refresh import refresh_segment
from saleor_segments.models import CustomerField
from saleor_segments.services.segments import create_segment
from saleor_segments.standalone.rows import insert

from ..factories import AddressFactory, CustomerTypeFactory, OrderFactory, UserFactory
from ..helpers import EMAIL_SHOP
from .conftest import gid

pytestmark = pytest.mark.django_db

MEMBERS = """query($segment: ID!, $first: Int, $after: String, $filter: SegmentMemberFilterInput,
                   $sortBy: SegmentMemberSortingInput) {
  segmentMembers(segment: $segment, first: $first, after: $after, filter: $filter,
                 sortBy: $sortBy) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { customerId email firstName lastName customerType phone postalCode country
                   countryArea customerSince joinedAt } }
  }
}"""


@pytest.fixture
def shop(channel):
    vip = CustomerTypeFactory(name="VIP")
    people = []
    for i, (email, country) in enumerate([("cy@shop.com", "US"), ("ab@shop.com", "PL"),
                                          ("bx@shop.com", "US"), ("zz@else.com", "US")]):
        address = AddressFactory(country=country, postal_code=f"0{i}", phone=f"+1555{i}")
        people.append(UserFactory(email=email, default_billing_address_id=address["id"],
                                  customer_type_id=vip["id"] if i == 0 else None,
                                  last_name=f"Last{3 - i}"))
    segment = create_segment(name="Shop", channel_id=channel["id"], conditions=EMAIL_SHOP)
    refresh_segment(segment)
    return segment, people


def emails(data):
    return [e["node"]["email"] for e in data["segmentMembers"]["edges"]]


def test_members_grid_pages_sorts_and_filters(api, shop):
    segment, people = shop
    seg = gid("Segment", segment.pk)
    data = api.admin(MEMBERS, {"segment": seg, "first": 2})
    assert data["segmentMembers"]["totalCount"] == 3
    assert emails(data) == ["cy@shop.com", "ab@shop.com"]  # by customer id
    row = data["segmentMembers"]["edges"][0]["node"]
    assert row["customerId"] == gid("User", people[0]["id"])
    assert (row["customerType"], row["country"], row["postalCode"], row["phone"]) == (
        "VIP", "US", "00", "+15550")
    after = data["segmentMembers"]["pageInfo"]["endCursor"]
    data = api.admin(MEMBERS, {"segment": seg, "first": 2, "after": after})
    assert emails(data) == ["bx@shop.com"]
    assert not data["segmentMembers"]["pageInfo"]["hasNextPage"]

    by_email = {"field": "EMAIL", "direction": "DESC"}
    data = api.admin(MEMBERS, {"segment": seg, "first": 1, "sortBy": by_email})
    pages = [emails(data)]
    data = api.admin(MEMBERS, {"segment": seg, "first": 5, "sortBy": by_email,
                               "after": data["segmentMembers"]["pageInfo"]["endCursor"]})
    assert pages + [emails(data)] == [["cy@shop.com"], ["bx@shop.com", "ab@shop.com"]]
    data = api.admin(MEMBERS, {"segment": seg, "first": 5, "sortBy": {
        "field": "LAST_NAME", "direction": "ASC"}})
    assert emails(data) == ["bx@shop.com", "ab@shop.com", "cy@shop.com"]

    data = api.admin(MEMBERS, {"segment": seg, "first": 5, "filter": {"countries": ["us"]}})
    assert (data["segmentMembers"]["totalCount"], emails(data)) == (2, ["cy@shop.com",
                                                                         "bx@shop.com"])
    data = api.admin(MEMBERS, {"segment": seg, "first": 5, "filter": {"search": "AB@"}})
    assert emails(data) == ["ab@shop.com"]


def test_customer_segments_and_history(api, shop, channel):
    segment, people = shop
    other = create_segment(name="All", channel_id=channel["id"], conditions={"conditions": []})
    refresh_segment(other)
    query = """query($id: ID!) { customerSegments(customerId: $id) { segment { name }
               joinedAt } }"""
    data = api.admin(query, {"id": gid("User", people[0]["id"])})
    assert [s["segment"]["name"] for s in data["customerSegments"]] == ["All", "Shop"]
    data = api.admin(query, {"id": gid("User", people[3]["id"])})
    assert [s["segment"]["name"] for s in data["customerSegments"]] == ["All"]

    history = """query($segment: ID, $customer: ID, $period: DateTimeRangeInput) {
        segmentMembershipHistory(segment: $segment, customer: $customer, period: $period,
                                 first: 10) {
          totalCount edges { node { segment { name } customerId action reason } } } }"""
    data = api.admin(history, {"customer": gid("User", people[0]["id"])})
    events = data["segmentMembershipHistory"]
    assert events["totalCount"] == 2
    assert {(e["node"]["segment"]["name"], e["node"]["action"]) for e in events["edges"]} == {
        ("Shop", "JOINED"), ("All", "JOINED")}
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    data = api.admin(history, {"segment": gid("Segment", segment.pk),
                               "period": {"gte": future}})
    assert data["segmentMembershipHistory"]["totalCount"] == 0
    status, body = api.post(history, {}, token="admin-token-0123456789")
    assert "Give a segment, a customer or both" in body["errors"][0]["message"]


def test_condition_kinds_describe_everything_a_builder_needs(api, channel):
    CustomerField.objects.create(source="metadata", key="newsletter", value_type="boolean")
    CustomerTypeFactory(name="Wholesale")
    data = api.admin("""{ segmentConditionKinds { formatVersion aggregators maxDepth
        groups { code } kinds { kind group scope childrenScope applyTo
            fields { name type object choices operators { name label } } }
        declaredFields { source key type } countries { code label } orderStatuses { code }
        customerTypes { label } } }""")["segmentConditionKinds"]
    kinds = {k["kind"]: k for k in data["kinds"]}
    assert set(kinds) == set(all_kinds())
    assert kinds["cart"]["applyTo"] == ["VISITORS_AND_CUSTOMERS", "CUSTOMERS", "VISITORS"]
    assert kinds["orders"]["applyTo"] == ["CUSTOMERS"]
    assert kinds["address"]["childrenScope"] == "address"
    email = next(f for f in kinds["customer.field"]["fields"] if f["name"] == "email")
    assert {"contains", "undefined"} <= {o["name"] for o in email["operators"]}
    status = next(f for f in kinds["order.field"]["fields"] if f["name"] == "status")
    assert "draft" not in status["choices"]
    assert data["declaredFields"] == [{"source": "metadata", "key": "newsletter",
                                       "type": "boolean"}]
    assert {"code": "PL", "label": "Poland"} in data["countries"]
    assert "canceled" in [s["code"] for s in data["orderStatuses"]]
    assert [t["label"] for t in data["customerTypes"]] == ["Wholesale"]


PREVIEW = """query($conditions: JSONString!, $channel: ID!, $budget: Int, $applyTo: SegmentApplyToEnum) {
  segmentPreview(conditions: $conditions, channel: $channel, timeBudgetMs: $budget,
                 applyTo: $applyTo, sampleSize: 2) {
    size customers visitors budgetExceeded sample { email } errors { field code } } }"""


def test_preview_counts_without_saving(api, shop, channel):
    variables = {"conditions": json.dumps(EMAIL_SHOP), "channel": gid("Channel", channel["id"])}
    data = api.admin(PREVIEW, variables)["segmentPreview"]
    assert (data["size"], data["customers"], data["visitors"], data["budgetExceeded"]) == (
        3, 3, None, False)
    assert [s["email"] for s in data["sample"]] == ["cy@shop.com", "ab@shop.com"]
    bad = {"conditions": [{"kind": "orders", "measure": "count", "operator": "gte"}]}
    data = api.admin(PREVIEW, {**variables, "conditions": json.dumps(bad),
                               "applyTo": "VISITORS"})["segmentPreview"]
    assert data["size"] is None and data["errors"]
    from saleor_segments.models import Segment

    assert Segment.objects.count() == 1


def test_preview_says_when_the_time_budget_is_exceeded(api, shop, channel, monkeypatch):
    from saleor_segments.membership import preview

    monkeypatch.setattr(preview, "shopper_query", lambda *a, **k: (
        "SELECT 1 AS shopper FROM pg_sleep(0.5)", []))
    data = api.admin(PREVIEW, {"conditions": json.dumps(EMAIL_SHOP), "budget": 50,
                               "channel": gid("Channel", channel["id"])})["segmentPreview"]
    assert data["budgetExceeded"] is True and data["size"] is None
    api.admin("{ segments(first: 1) { totalCount } }")  # the connection still works


def test_explain_tells_which_condition_decided(api, channel):
    ann = UserFactory(email="ann@shop.com", first_name="Ann")
    bob = UserFactory(email="bob@else.com", first_name="Bob")
    for _ in range(3):
        OrderFactory(user_id=ann["id"], channel_id=channel["id"], status="fulfilled")
    la = AddressFactory(city="Los Angeles", country_area="CA")
    insert("account_user_addresses", user_id=bob["id"], address_id=la["id"])
    segment = create_segment(name="Explained", channel_id=channel["id"], conditions={
        "aggregator": "any", "conditions": [
            {"kind": "customer.field", "field": "email", "operator": "contains",
             "value": "@shop.com"},
            {"kind": "orders", "measure": "count", "operator": "gte", "value": 2,
             "conditions": []},
            {"kind": "address", "conditions": [
                {"kind": "address.field", "field": "city", "operator": "is",
                 "value": "Los Angeles"},
                {"kind": "address.field", "field": "country_area", "operator": "is",
                 "value": "NY"}]}]})
    query = """query($s: ID!, $c: ID!) { segmentExplain(segment: $s, customer: $c) {
        matches isMember nodes { path kind met value inside } } }"""
    data = api.admin(query, {"s": gid("Segment", segment.pk),
                             "c": gid("User", ann["id"])})["segmentExplain"]
    assert (data["matches"], data["isMember"]) == (True, False)  # not refreshed yet
    nodes = {n["path"]: n for n in data["nodes"]}
    assert nodes[""]["met"] and nodes[""]["kind"] == "group"
    assert (nodes["conditions[0]"]["met"], json.loads(nodes["conditions[0]"]["value"])) == (
        True, "ann@shop.com")
    assert (nodes["conditions[1]"]["met"], json.loads(nodes["conditions[1]"]["value"])) == (
        True, 3)

    data = api.admin(query, {"s": gid("Segment", segment.pk),
                             "c": gid("User", bob["id"])})["segmentExplain"]
    nodes = {n["path"]: n for n in data["nodes"]}
    assert data["matches"] is False
    assert json.loads(nodes["conditions[1]"]["value"]) == 0
    city = nodes["conditions[2].conditions[0]"]
    assert (city["met"], city["inside"]) == (True, "conditions[2]")  # LA, but not NY
    assert nodes["conditions[2].conditions[1]"]["met"] is False
    assert nodes["conditions[2]"]["met"] is False

    status, body = api.post(query, {"s": gid("Segment", segment.pk), "c": gid("User", 999999)},
                            token="admin-token-0123456789")
    assert "does not exist" in body["errors"][0]["message"]
