"""Fuzzing every root field of the schema (derived from it) with random JSON, strings with NUL
characters, huge and tiny numbers and malformed IDs: each answer is data or a clean error,
never an internal error, and a database message never leaks (issue 10)."""

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from graphql.type import GraphQLEnumType, GraphQLInputObjectType, GraphQLList, GraphQLNonNull

from saleor_segments.conditions import all_kinds
from saleor_segments.conditions.operators import OPERATOR_LABELS
from saleor_segments.graphql.context import Permission, Requestor, SegmentsContext
from saleor_segments.graphql.execute import execute
from saleor_segments.services import create_segment

from ..factories import ProductFactory, UserFactory
from ..helpers import EMAIL_SHOP
from .conftest import gid
from .schema_walk import enum_values, root_fields

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("SEGMENTS_FUZZ_EXAMPLES", "25"))
FIELDS = root_fields()

NASTY_TEXT = st.sampled_from(["\x00", "a\x00b", "", " ", "\u0661", "1e131072", "1e-20000",
                              "NaN", "Infinity", "-1", "0", "2147483648", "9" * 400, "%%%",
                              "[", "{}", "null", "'; DROP TABLE x; --", "\ud7ff\U0010ffff"])
TEXT = st.one_of(NASTY_TEXT, st.text(max_size=30))
NUMBERS = st.one_of(st.integers(), st.integers(min_value=-(2 ** 70), max_value=2 ** 70),
                    st.floats(allow_nan=False, allow_infinity=False),
                    st.sampled_from(["1e131072", "1e-20000", 2 ** 31, 2 ** 63, -2 ** 31]))
JSON = st.recursive(st.one_of(st.none(), st.booleans(), NUMBERS, TEXT),
                    lambda children: st.lists(children, max_size=4)
                    | st.dictionaries(TEXT, children, max_size=4), max_leaves=12)


IDS = st.one_of(TEXT, st.builds(lambda t, pk: gid(t, pk),
                                st.sampled_from(["Segment", "Channel", "User", "Product",
                                                 "ContentBlock", "RelatedProductRule",
                                                 "Promotion", "Voucher", "Page"]),
                                st.one_of(NUMBERS, TEXT)))


def condition_trees():
    """Trees shaped like real ones (known kinds, fields, operators) with random values."""
    kinds = sorted(all_kinds())
    node = st.fixed_dictionaries({"kind": st.sampled_from(kinds + ["group"])}, optional={
        "field": st.one_of(TEXT, st.sampled_from(["email", "customer_type", "date_joined",
                                                  "total", "city", "country"])),
        "operator": st.sampled_from(sorted(OPERATOR_LABELS)),
        "value": JSON, "source": st.sampled_from(["viewed", "cart", "ordered", "wishlist"]),
        "period": JSON, "measure": st.sampled_from(["count", "total"]),
        "attribute": TEXT, "version": JSON})
    tree = st.recursive(node, lambda children: st.fixed_dictionaries(
        {"kind": st.just("group"), "conditions": st.lists(children, max_size=3)},
        optional={"aggregator": JSON, "expected": JSON}), max_leaves=6)
    return st.builds(lambda conditions, version: {"version": version, "conditions": conditions},
                     st.lists(tree, max_size=3), st.one_of(st.just(1), JSON))


JSON_STRINGS = st.one_of(condition_trees().map(json.dumps), JSON.map(json.dumps), TEXT,
                         st.sampled_from(['{"a": NaN}', "[Infinity]", '{"a": 1e999}',
                                          '"\\u0000"', "[" * 3000, json.dumps(EMAIL_SHOP)]))


def scalar(name, gql_type):
    """A strategy for one argument or input field of this scalar or enum type."""
    if isinstance(gql_type, GraphQLEnumType):
        return st.sampled_from(enum_values(gql_type))
    return {"ID": IDS, "String": TEXT, "JSONString": JSON_STRINGS, "Boolean": st.booleans(),
            "Int": st.integers(min_value=-(2 ** 31), max_value=2 ** 31 - 1),
            "Float": st.floats(allow_nan=False, allow_infinity=False),
            "UUID": st.one_of(st.uuids().map(str), TEXT),
            "DateTime": st.one_of(st.datetimes().map(lambda d: d.isoformat() + "+00:00"),
                                  TEXT)}[gql_type.name]


def arguments(field):
    """Every argument of its declared type; optional ones sometimes left out."""
    return _fields({name: arg.type for name, arg in field.definition.args.items()})


def _fields(types: dict):
    return st.fixed_dictionaries(
        {name: strategy(t) for name, t in types.items() if isinstance(t, GraphQLNonNull)},
        optional={name: strategy(t) for name, t in types.items()
                  if not isinstance(t, GraphQLNonNull)})


def strategy(gql_type, name=""):
    if isinstance(gql_type, GraphQLNonNull):
        return strategy(gql_type.of_type, name)
    if isinstance(gql_type, GraphQLList):
        return st.lists(strategy(gql_type.of_type, name), max_size=3)
    if isinstance(gql_type, GraphQLInputObjectType):
        return _fields({field_name: f.type for field_name, f in gql_type.fields.items()})
    return scalar(name, gql_type)


@pytest.fixture
def world(channel):
    user = UserFactory(email="a@shop.com")
    create_segment(name="S", channel_id=channel["id"], conditions=EMAIL_SHOP)
    ProductFactory()
    return Requestor(kind="staff", customer_id=user["id"], permissions=frozenset(Permission))


def assert_clean(result, status, field):
    text = json.dumps(result)
    assert "InternalServerError" not in text, (field.name, result)
    assert "PostgreSQL" not in text and "psycopg" not in text, (field.name, result)
    assert status in (200, 400), (field.name, status, result)


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.name)
def test_every_field_answers_random_input_cleanly(world, field):
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(variables=arguments(field))
    def check(variables):
        result, status = execute({"query": field.document(), "variables": variables},
                                 SegmentsContext(requestor=world))
        assert_clean(result, status, field)

    check()
