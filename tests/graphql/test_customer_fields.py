"""Customer fields for segments: listing Saleor's customer attributes and metadata keys,
declaring and withdrawing one (MANAGE_USERS), and the seed example defined end to end."""

import json

import pytest

from saleor_segments.graphql.context import Requestor
from saleor_segments.models import CustomerField, Segment
from saleor_segments.standalone.rows import insert

from ..factories import UserFactory
from .conftest import DISCOUNTS_TOKEN, NO_PERMISSION_TOKEN, customer, gid

pytestmark = pytest.mark.django_db

FIELDS = """query($search: String) { segmentCustomerFields(search: $search) {
    source key name attribute inputType customers allowedTypes suggestedType declared type
    label choices usedBySegments { id name } } }"""
DECLARE = """mutation($input: SegmentCustomerFieldInput!) {
    segmentCustomerFieldDeclare(input: $input) {
        customerField { source key declared type label choices }
        errors { field code message segments } } }"""
WITHDRAW = """mutation($source: SegmentCustomerFieldSource!, $key: String!) {
    segmentCustomerFieldWithdraw(source: $source, key: $key) {
        customerField { source key declared type }
        errors { field code message segments } } }"""
CREATE = """mutation($input: SegmentCreateInput!) { segmentCreate(input: $input) {
    segment { id } errors { field code message } } }"""


@pytest.fixture
def shop(channel):
    """Gender (a dropdown customer attribute), a file attribute, a product attribute, and
    customers with metadata."""
    insert("attribute_attribute", id=1, slug="gender", name="Gender", type="customer-type",
           input_type="dropdown")
    insert("attribute_attribute", id=2, slug="contract", name="Contract", type="customer-type",
           input_type="file")
    insert("attribute_attribute", id=3, slug="color", name="Color", type="product-type",
           input_type="dropdown")
    insert("attribute_attribute", id=4, slug="vip-since", name="VIP since", type="CUSTOMER",
           input_type="date")  # not typed for customers, but assigned to one
    for pk, name in ((10, "Female"), (11, "Male")):
        insert("attribute_attributevalue", id=pk, name=name, slug=name.lower(), attribute_id=1)
    insert("attribute_attributevalue", id=12, name="Red", slug="red", attribute_id=3)
    insert("attribute_attributevalue", id=13, name="2024-01-01", slug="d",
           attribute_id=4, date_time="2024-01-01T00:00:00Z")
    ann = UserFactory(metadata={"newsletter": "true", "shoe_size": "38"},
                      private_metadata={"crm_id": "A-1"})
    bob = UserFactory(metadata={"newsletter": "no", "shoe_size": "44.5", "note": "hi"})
    cid = UserFactory(metadata={"birthday": "1990-04-01"})
    staff = UserFactory(is_staff=True, metadata={"onboarding": "{}", "newsletter": "true"})
    insert("attribute_assigneduserattributevalue", id=1, user_id=ann["id"], value_id=10)
    insert("attribute_assigneduserattributevalue", id=2, user_id=bob["id"], value_id=11)
    insert("attribute_assigneduserattributevalue", id=3, user_id=cid["id"], value_id=13)
    insert("attribute_assigneduserattributevalue", id=4, user_id=staff["id"], value_id=10)
    return {"channel": channel, "users": (ann, bob, cid)}


def fields(api, search=None):
    return {(f["source"], f["key"]): f for f in api.admin(FIELDS, {"search": search})[
        "segmentCustomerFields"]}


def declare(api, **input):
    return api.admin(DECLARE, {"input": input})["segmentCustomerFieldDeclare"]


def withdraw(api, source, key):
    return api.admin(WITHDRAW, {"source": source, "key": key})["segmentCustomerFieldWithdraw"]


def test_lists_customer_attributes_and_metadata_keys_in_use(api, shop):
    listed = fields(api)
    assert list(listed) == [
        ("ATTRIBUTE", "contract"), ("ATTRIBUTE", "gender"), ("ATTRIBUTE", "vip-since"),
        ("METADATA", "birthday"), ("METADATA", "newsletter"), ("METADATA", "note"),
        ("METADATA", "shoe_size"), ("PRIVATE_METADATA", "crm_id")]  # no product attribute,
    # and staff users (never segment members) count for nothing: no "onboarding" key
    gender = listed[("ATTRIBUTE", "gender")]
    assert gender == {
        "source": "ATTRIBUTE", "key": "gender", "name": "Gender", "attribute": gid("Attribute", 1),
        "inputType": "dropdown", "customers": 2, "allowedTypes": ["STRING"],
        "suggestedType": "STRING", "declared": False, "type": None, "label": None,
        "choices": ["Female", "Male"], "usedBySegments": []}
    assert listed[("ATTRIBUTE", "contract")]["allowedTypes"] == []
    assert listed[("ATTRIBUTE", "vip-since")]["allowedTypes"] == ["DATE"]
    suggested = {key: f["suggestedType"] for (_s, key), f in listed.items()}
    assert suggested["newsletter"] == "BOOLEAN"
    assert suggested["shoe_size"] == "NUMBER"
    assert suggested["birthday"] == "DATE"
    assert suggested["note"] == "STRING"
    assert listed[("METADATA", "newsletter")]["customers"] == 2
    assert listed[("METADATA", "newsletter")]["allowedTypes"] == ["STRING", "NUMBER", "DATE",
                                                                  "BOOLEAN"]
    assert list(fields(api, "SHOE")) == [("METADATA", "shoe_size")]


def test_declare_then_the_seed_example_can_be_defined(api, shop):
    tree = {"conditions": [{"kind": "customer.attribute", "attribute": "gender",
                            "type": "string", "operator": "is", "value": "Female"}]}
    segment_input = {"name": "Women", "channel": gid("Channel", shop["channel"]["id"]),
                     "conditions": json.dumps(tree)}
    refused = api.admin(CREATE, {"input": segment_input})["segmentCreate"]
    assert refused["errors"][0]["code"] == "UNKNOWN_FIELD"

    declared = declare(api, source="ATTRIBUTE", key="gender", type="STRING")
    assert declared == {"errors": [], "customerField": {
        "source": "ATTRIBUTE", "key": "gender", "declared": True, "type": "STRING",
        "label": "Gender", "choices": ["Female", "Male"]}}
    created = api.admin(CREATE, {"input": segment_input})["segmentCreate"]
    assert created["errors"] == []
    gender = fields(api)[("ATTRIBUTE", "gender")]
    assert gender["usedBySegments"] == [{"id": created["segment"]["id"], "name": "Women"}]
    kinds = api.admin("{ segmentConditionKinds { declaredFields { source key type label } } }")
    assert kinds["segmentConditionKinds"]["declaredFields"] == [
        {"source": "attribute", "key": "gender", "type": "string", "label": "Gender"}]


def test_declare_metadata_key_with_label_and_choices_and_redeclare(api, shop):
    result = declare(api, source="METADATA", key=" gender ", type="STRING", label="Gender",
                     choices=["female", "male"])
    assert result["errors"] == []
    assert result["customerField"]["key"] == "gender"  # not in use yet: still declarable
    again = declare(api, source="METADATA", key="gender", type="STRING", label="Sex")
    assert again["customerField"]["label"] == "Sex"
    assert again["customerField"]["choices"] == ["female", "male"]  # kept when not given
    assert CustomerField.objects.get(key="gender").label == "Sex"
    assert CustomerField.objects.count() == 1


@pytest.mark.parametrize(("input", "field", "code"), [
    ({"source": "ATTRIBUTE", "key": "gender", "type": "NUMBER"}, "type", "INCOMPATIBLE_TYPE"),
    ({"source": "ATTRIBUTE", "key": "contract", "type": "STRING"}, "type",
     "INCOMPATIBLE_TYPE"),
    ({"source": "ATTRIBUTE", "key": "color", "type": "STRING"}, "key", "NOT_FOUND"),
    ({"source": "ATTRIBUTE", "key": "nope", "type": "STRING"}, "key", "NOT_FOUND"),
    ({"source": "METADATA", "key": "  ", "type": "STRING"}, "key", "REQUIRED"),
    ({"source": "METADATA", "key": "k" * 256, "type": "STRING"}, "key", "INVALID"),
    ({"source": "METADATA", "key": "vip", "type": "BOOLEAN", "choices": ["a"]}, "choices",
     "INVALID"),
    ({"source": "METADATA", "key": "vip", "type": "STRING", "choices": ["a", "a"]}, "choices",
     "INVALID"),
    ({"source": "METADATA", "key": "vip", "type": "STRING", "choices": [" "]}, "choices",
     "INVALID"),
    ({"source": "METADATA", "key": "vip", "type": "STRING", "label": "x" * 300}, "label",
     "INVALID"),
])
def test_invalid_declarations_are_refused_and_change_nothing(api, shop, input, field, code):
    result = declare(api, **input)
    assert result["customerField"] is None
    assert [(e["field"], e["code"]) for e in result["errors"]] == [(field, code)]
    assert result["errors"][0]["message"]
    assert not CustomerField.objects.exists()


def test_a_field_used_by_segments_cannot_be_withdrawn_or_retyped(api, shop):
    declare(api, source="METADATA", key="shoe_size", type="NUMBER")
    channel = gid("Channel", shop["channel"]["id"])
    ids = []
    for name in ("Big feet", "Small feet"):
        op = "gte" if name == "Big feet" else "lt"
        tree = {"conditions": [{"kind": "customer.field", "field": "email",
                                "operator": "contains", "value": "@"},
                               {"kind": "group", "aggregator": "any", "conditions": [
                                   {"kind": "customer.metadata", "key": "shoe_size",
                                    "type": "number", "operator": op, "value": 42}]}]}
        created = api.admin(CREATE, {"input": {"name": name, "channel": channel,
                                               "conditions": json.dumps(tree)}})[
            "segmentCreate"]
        ids.append(created["segment"]["id"])
    refused = withdraw(api, "METADATA", "shoe_size")
    assert refused["customerField"] is None
    (error,) = refused["errors"]
    assert (error["field"], error["code"]) == ("key", "IN_USE")
    assert "used by the segments 'Big feet', 'Small feet':" in error["message"]
    assert sorted(error["segments"]) == sorted(ids)
    retyped = declare(api, source="METADATA", key="shoe_size", type="STRING")
    assert [(e["field"], e["code"]) for e in retyped["errors"]] == [("type", "IN_USE")]
    assert CustomerField.objects.get(key="shoe_size").value_type == "number"
    relabelled = declare(api, source="METADATA", key="shoe_size", type="NUMBER", label="Shoe")
    assert relabelled["errors"] == []  # label changes are harmless

    Segment.objects.filter(name="Big feet").delete()
    refused = withdraw(api, "METADATA", "shoe_size")
    assert "used by the segment 'Small feet':" in refused["errors"][0]["message"]
    Segment.objects.all().delete()
    done = withdraw(api, "METADATA", "shoe_size")
    assert done == {"errors": [], "customerField": {
        "source": "METADATA", "key": "shoe_size", "declared": False, "type": None}}
    assert not CustomerField.objects.exists()


def test_withdraw_of_an_undeclared_field(api, shop):
    result = withdraw(api, "PRIVATE_METADATA", "crm_id")
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("key", "NOT_FOUND")]
    declare(api, source="PRIVATE_METADATA", key="crm_id", type="STRING")
    assert withdraw(api, "PRIVATE_METADATA", "crm_id")["errors"] == []
    # a withdrawn key no customer has any more is still answered
    declare(api, source="METADATA", key="planned", type="DATE")
    result = withdraw(api, "METADATA", "planned")
    assert result["customerField"] == {"source": "METADATA", "key": "planned",
                                       "declared": False, "type": None}


@pytest.mark.parametrize("token", [None, NO_PERMISSION_TOKEN, DISCOUNTS_TOKEN])
def test_without_manage_users_nothing_is_listed_or_changed(api, shop, token):
    CustomerField.objects.create(source="metadata", key="newsletter", value_type="boolean")
    for query, variables in (
            (FIELDS, {}),
            (DECLARE, {"input": {"source": "METADATA", "key": "note", "type": "STRING"}}),
            (WITHDRAW, {"source": "METADATA", "key": "newsletter"})):
        status, body = api.post(query, variables, token=token)
        assert body["errors"][0]["message"].startswith("You need one of the following "
                                                       "permissions: MANAGE_USERS"), body
        data = body.get("data")
        assert data is None or all(v is None for v in data.values())
    assert list(CustomerField.objects.values_list("key", flat=True)) == ["newsletter"]


def test_customers_are_refused(api, shop):
    ann = shop["users"][0]
    result = api.as_requestor(FIELDS, {}, customer(ann["id"]))
    assert result["errors"][0]["message"].startswith("You need one of the following")
    result = api.as_requestor(FIELDS, {}, Requestor(kind="app"))
    assert result["errors"][0]["message"].startswith("You need one of the following")
