"""Fuzzing every root field of the schema (derived from it) with random JSON, strings with NUL
characters, huge and tiny numbers and malformed IDs: each answer is data or a clean error,
never an internal error, and a database message never leaks (issue 10)."""

import copy
import json
import os

import pytest
from graphql.type import GraphQLEnumType, GraphQLInputObjectType, GraphQLList, GraphQLNonNull
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saleor_segments.conditions import all_kinds
from saleor_segments.conditions.operators import OPERATOR_LABELS
from saleor_segments.graphql.context import Permission, Requestor, SegmentsContext
from saleor_segments.graphql.execute import execute

from ..helpers import EMAIL_SHOP
from .conftest import gid
from .schema_walk import enum_values, leaf_paths, root_fields, valid_variables

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("SEGMENTS_FUZZ_EXAMPLES", "25"))
FIELDS = root_fields()

NASTY_TEXT = st.sampled_from(["\x00", "a\x00b", "", " ", "\u0661", "1e131072", "1e-20000",
                              "NaN", "Infinity", "-1", "0", "2147483648", "9" * 400, "%%%",
                              "[", "{}", "null", "'; DROP TABLE x; --", "\ud7ff\U0010ffff",
                              "x" * 300, "home-" * 30])
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


JSON_STRINGS = st.one_of(st.just(json.dumps(EMAIL_SHOP)), condition_trees().map(json.dumps),
                         JSON.map(json.dumps), TEXT,
                         st.sampled_from(['{"a": NaN}', "[Infinity]", '{"a": 1e999}',
                                          '"\\u0000"', "[" * 3000, json.dumps(EMAIL_SHOP)]))


def scalar(gql_type, real: dict):
    """A strategy for one argument or input field of this scalar or enum type; ``real`` IDs
    and texts of the store let requests reach past the lookups."""
    if isinstance(gql_type, GraphQLEnumType):
        return st.sampled_from(enum_values(gql_type))
    return {"ID": st.one_of(st.sampled_from(real["ID"]), IDS),
            "String": st.one_of(st.sampled_from(real["String"]), TEXT),
            "JSONString": JSON_STRINGS, "Boolean": st.booleans(),
            "Int": st.integers(min_value=-(2 ** 31), max_value=2 ** 31 - 1),
            "Float": st.floats(allow_nan=False, allow_infinity=False),
            "UUID": st.one_of(st.uuids().map(str), TEXT),
            "DateTime": st.one_of(st.datetimes().map(lambda d: d.isoformat() + "+00:00"),
                                  TEXT),
            "Date": st.one_of(st.dates().map(lambda d: d.isoformat()), TEXT)}[gql_type.name]


def arguments(field, real: dict):
    """Every argument of its declared type; optional ones sometimes left out."""
    return _fields({name: arg.type for name, arg in field.definition.args.items()}, real)


def _fields(types: dict, real: dict):
    return st.fixed_dictionaries(
        {name: strategy(t, real) for name, t in types.items() if isinstance(t, GraphQLNonNull)},
        optional={name: strategy(t, real) for name, t in types.items()
                  if not isinstance(t, GraphQLNonNull)})


def strategy(gql_type, real: dict):
    if isinstance(gql_type, GraphQLNonNull):
        return strategy(gql_type.of_type, real)
    if isinstance(gql_type, GraphQLList):
        return st.lists(strategy(gql_type.of_type, real), max_size=3)
    if isinstance(gql_type, GraphQLInputObjectType):
        return _fields({name: f.type for name, f in gql_type.fields.items()}, real)
    return scalar(gql_type, real)


@pytest.fixture
def world(channel, store_objects):
    """A staff user with every permission (a customer too), and real IDs to aim at."""
    from graphql_relay import from_global_id

    real = {"ID": list(store_objects.values()),
            "String": [channel["slug"], "home", "S", "x" * 300]}
    requestor = Requestor(kind="staff", customer_id=int(from_global_id(
        store_objects["User"])[1]), permissions=frozenset(Permission))
    return requestor, real, store_objects


def one_bad_value(field, real: dict, objects: dict):
    """A request valid but for one argument or input field, set to a random value."""
    base = valid_variables(field, objects)
    paths = list(leaf_paths({n: a.type for n, a in field.definition.args.items()}))

    def put(path, value):
        variables = copy.deepcopy(base)
        target = variables
        for key in path[:-1]:
            target = target.setdefault(key, {})
        target[path[-1]] = value
        return variables

    if not paths:
        return st.just(base)
    return st.sampled_from(paths).flatmap(
        lambda leaf: strategy(leaf[1], real).map(lambda value: put(leaf[0], value)))


def assert_clean(result, status, field):
    text = json.dumps(result)
    assert "InternalServerError" not in text, (field.name, result)
    assert "PostgreSQL" not in text and "psycopg" not in text, (field.name, result)
    assert status in (200, 400), (field.name, status, result)


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.name)
def test_every_field_answers_random_input_cleanly(world, field):
    requestor, real, objects = world

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(variables=st.one_of(arguments(field, real), one_bad_value(field, real, objects)))
    def check(variables):
        result, status = execute({"query": field.document(), "variables": variables},
                                 SegmentsContext(requestor=requestor))
        assert_clean(result, status, field)

    check()
