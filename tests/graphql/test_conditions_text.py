"""The segment query language over GraphQL: segmentConditionsParse, segmentConditionsText,
Segment.conditionsText, conditionsText as mutation input; cost warnings of segmentPreview."""

import json

import pytest

from saleor_segments.models import CustomerField, Segment

from ..helpers import EMAIL_SHOP
from .conftest import NO_PERMISSION_TOKEN, gid

pytestmark = pytest.mark.django_db

PARSE = """query($text: String!, $applyTo: SegmentApplyToEnum) {
  segmentConditionsParse(text: $text, applyTo: $applyTo) {
    conditions text errors { field code message line column } } }"""
TEXT = """query($conditions: JSONString!) {
  segmentConditionsText(conditions: $conditions) {
    conditions text errors { field code message line column } } }"""
CREATE = """mutation($input: SegmentCreateInput!) {
  segmentCreate(input: $input) {
    segment { id conditions conditionsText } errors { field code message line column } } }"""
UPDATE = """mutation($id: ID!, $input: SegmentInput!) {
  segmentUpdate(id: $id, input: $input) {
    segment { conditions conditionsText definitionVersion }
    errors { field code message line column } } }"""
WOMEN_IN_LA = ('all {\n  customer.metadata(gender) is "female"\n  address(any) where {\n'
               '    city contains "Los Angeles"\n    country_area is "CA"\n  }\n}\n')


@pytest.fixture
def gender(db):
    return CustomerField.objects.create(source="metadata", key="gender", value_type="string")


def test_parse_returns_the_tree_in_the_segment_json_shape(api, gender):
    data = api.admin(PARSE, {"text": WOMEN_IN_LA.replace("\n", " ; ").replace("{ ;", "{")})
    result = data["segmentConditionsParse"]
    assert result["errors"] == [] and result["text"] == WOMEN_IN_LA
    tree = json.loads(result["conditions"])
    assert tree["version"] == 1 and tree["conditions"][0] == {
        "kind": "customer.metadata", "key": "gender", "type": "string", "source": "metadata",
        "operator": "is", "value": "female"}
    assert tree["conditions"][1]["conditions"][0]["value"] == "Los Angeles"


def test_parse_errors_have_line_column_and_nothing_else(api, gender):
    result = api.admin(PARSE, {"text": 'all {\n  customer.email is\n}'})["segmentConditionsParse"]
    assert result["conditions"] is None and result["text"] is None
    [error] = result["errors"]
    assert (error["field"], error["code"], error["line"], error["column"]) == (
        "text", "SYNTAX", 2, 20)
    assert "expected" in error["message"]
    # validation against the database: an undeclared key, a segment that does not exist
    result = api.admin(PARSE, {"text": 'customer.metadata(shoe) > 3\nsegment is 99'})[
        "segmentConditionsParse"]
    assert {(e["field"], e["code"], e["line"], e["column"]) for e in result["errors"]} == {
        ("conditions[0].key", "UNKNOWN_FIELD", 1, 19), ("conditions[1].value", "INVALID_VALUE",
                                                        2, 12)}
    # apply to visitors: customer data is refused where it stands
    result = api.admin(PARSE, {"text": 'cart.total > 1\ncustomer.email is "a"',
                               "applyTo": "VISITORS"})["segmentConditionsParse"]
    assert [(e["code"], e["line"]) for e in result["errors"]] == [
        ("NOT_ALLOWED_FOR_APPLY_TO", 2)]


def test_a_json_tree_prints_as_text(api):
    result = api.admin(TEXT, {"conditions": json.dumps(EMAIL_SHOP)})["segmentConditionsText"]
    assert result["errors"] == [] and result["text"] == (
        'all {\n  customer.email contains "@shop.com"\n}\n')
    bad = api.admin(TEXT, {"conditions": json.dumps({"conditions": [{"kind": "nope"}]})})
    [error] = bad["segmentConditionsText"]["errors"]
    assert (error["field"], error["code"], error["line"]) == (
        "conditions[0].kind", "UNKNOWN_KIND", None)


def test_create_with_text_and_read_it_back(api, channel, gender):
    result = api.admin(CREATE, {"input": {"name": "LA", "channel": gid("Channel", channel["id"]),
                                          "conditionsText": WOMEN_IN_LA}})["segmentCreate"]
    assert result["errors"] == []
    segment = result["segment"]
    assert segment["conditionsText"] == WOMEN_IN_LA
    assert json.loads(segment["conditions"])["conditions"][0]["key"] == "gender"
    saved = Segment.objects.get()
    assert saved.conditions == json.loads(segment["conditions"])

    update = api.admin(UPDATE, {"id": segment["id"], "input": {
        "conditionsText": "any { cart.total > 100; segment is not %d }" % saved.pk}})
    # a segment cannot use itself (a cycle), reported at the value
    [error] = update["segmentUpdate"]["errors"]
    assert (error["field"], error["code"], error["line"], error["column"]) == (
        "conditions[1].value", "CYCLE", 1, 40)
    update = api.admin(UPDATE, {"id": segment["id"], "input": {
        "conditionsText": "any { cart.total > 100 }"}})["segmentUpdate"]
    assert update["errors"] == [] and update["segment"]["definitionVersion"] == 2
    assert update["segment"]["conditionsText"] == "any {\n  cart.total > 100\n}\n"


def test_text_and_tree_together_or_bad_text_save_nothing(api, channel):
    base = {"name": "Both", "channel": gid("Channel", channel["id"])}
    result = api.admin(CREATE, {"input": {**base, "conditions": json.dumps(EMAIL_SHOP),
                                          "conditionsText": "cart.total > 1"}})["segmentCreate"]
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("conditionsText", "INVALID")]
    result = api.admin(CREATE, {"input": base})["segmentCreate"]
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("conditions", "REQUIRED")]
    result = api.admin(CREATE, {"input": {**base, "conditionsText": "cart.total >"}})[
        "segmentCreate"]
    [error] = result["errors"]
    assert (error["field"], error["code"], error["line"], error["column"]) == (
        "conditionsText", "SYNTAX", 1, 13)
    assert Segment.objects.count() == 0


def test_text_needs_manage_users(api, channel):
    for query, variables in ((PARSE, {"text": "cart.total > 1"}),
                             (TEXT, {"conditions": json.dumps(EMAIL_SHOP)})):
        status, body = api.post(query, variables, token=NO_PERMISSION_TOKEN)
        assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied", body
        assert list(body["data"].values()) == [None]
    status, body = api.post(CREATE, {"input": {"name": "x", "channel": gid(
        "Channel", channel["id"]), "conditionsText": "cart.total > 1"}}, token=NO_PERMISSION_TOKEN)
    assert Segment.objects.count() == 0


PREVIEW = """query($conditions: JSONString!, $channel: ID!) {
  segmentPreview(conditions: $conditions, channel: $channel, sampleSize: 0) {
    size errors { field }
    cost { estimatedCost estimatedRows budgetExceeded
           expensive { path kind reason hint estimatedCost } } } }"""


def test_preview_returns_the_planner_estimate_and_named_warnings(api, channel, monkeypatch):
    from saleor_segments.evaluation import cost

    monkeypatch.setattr(cost, "MIN_ROWS", 0)  # a tiny store: every full read counts
    ordered = {"conditions": [EMAIL_SHOP["conditions"][0], {
        "kind": "products", "source": "ordered", "conditions": []}]}
    data = api.admin(PREVIEW, {"conditions": json.dumps(ordered),
                               "channel": gid("Channel", channel["id"])})["segmentPreview"]
    assert data["size"] == 0 and data["cost"]["estimatedCost"] > 0
    assert not data["cost"]["budgetExceeded"]
    kinds = {(w["path"], w["kind"]) for w in data["cost"]["expensive"]}
    assert kinds <= {("conditions[1]", "products")}
    bad = api.admin(PREVIEW, {"conditions": json.dumps({"conditions": [{"kind": "x"}]}),
                              "channel": gid("Channel", channel["id"])})["segmentPreview"]
    assert bad["cost"] is None and bad["errors"]
