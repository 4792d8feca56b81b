"""Hypothesis strategies for random valid condition trees (JSON), built from the registry's own
value types and operators, with random literals (quotes, unicode, decimals, keys with spaces)."""

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

from saleor_segments.conditions import all_kinds
from saleor_segments.conditions.address import WHICH
from saleor_segments.conditions.base import FieldCondition, Scope
from saleor_segments.conditions.customer import DeclaredFieldCondition
from saleor_segments.conditions.orders import MEASURES
from saleor_segments.conditions.products import SOURCES, ItemCondition
from saleor_segments.conditions.values import (
    DECLARABLE_TYPES,
    BooleanType,
    ChoiceType,
    CountryType,
    DateType,
    IdType,
    NumberType,
    StringType,
)

TEXT = st.text(min_size=1, max_size=12).filter(lambda s: s.strip() and "\x00" not in s)
WORDS = st.sampled_from(["gender", "any", "cart", "true", "not", "in", "is", "all", "x y",
                         "12", "2024-01-01", 'say "hi"', "dé", "a\\b"])


def values(vtype):
    if isinstance(vtype, ChoiceType):
        return st.sampled_from(vtype.choices)
    if isinstance(vtype, CountryType):
        return st.sampled_from(["US", "PL", "DE"])
    if isinstance(vtype, IdType):
        return st.integers(1, 2 ** 31 - 1)
    if isinstance(vtype, NumberType):
        whole = st.integers(-10 ** 12, 10 ** 12)
        if vtype.name == "integer":
            return whole
        return st.one_of(whole, st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"),
                                            places=4, allow_nan=False, allow_infinity=False
                                            ).map(str))
    if isinstance(vtype, DateType):
        return st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(dt.date.isoformat)
    if isinstance(vtype, BooleanType):
        return st.booleans()
    assert isinstance(vtype, StringType), vtype
    return st.one_of(TEXT, WORDS)


@st.composite
def comparison(draw, vtype, operators=None):
    op = draw(st.sampled_from(operators or vtype.operators))
    if op == "undefined":
        return {"operator": op, "value": draw(st.booleans())}
    if op in ("in", "not_in"):
        return {"operator": op, "value": draw(st.lists(values(vtype), min_size=1, max_size=3))}
    if op == "between":
        pair = draw(st.lists(values(vtype), min_size=2, max_size=2))
        pair.sort(key=lambda v: vtype.parse(v))
        return {"operator": op, "value": pair}
    if op == "in_last_days":
        return {"operator": op, "value": draw(st.integers(0, 36500))}
    return {"operator": op, "value": draw(values(vtype))}


PERIODS = st.one_of(
    st.builds(lambda n: {"last_days": n}, st.integers(0, 36500)),
    st.builds(lambda d: {"from": d}, values(DateType())),
    st.builds(lambda d: {"to": d}, values(DateType())),
    st.builds(lambda a, b: {"from": min(a, b), "to": max(a, b)}, values(DateType()),
              values(DateType())))
OPTIONAL_PERIOD = st.one_of(st.none(), PERIODS)


def group_of(children):
    return st.fixed_dictionaries({"aggregator": st.sampled_from(["all", "any"]),
                                  "expected": st.booleans(),
                                  "conditions": st.lists(children, max_size=3)})


def _leaf(cls):
    """A strategy for one kind without sub-conditions (None: a container)."""
    if issubclass(cls, FieldCondition):
        return st.sampled_from(sorted(cls.fields)).flatmap(lambda f: comparison(
            cls.fields[f]).map(lambda c: {"kind": cls.kind, "field": f, **c}))
    if issubclass(cls, DeclaredFieldCondition):
        extra = {cls.key_name: st.one_of(WORDS, TEXT)}
        if not cls.source_name:
            extra["source"] = st.sampled_from(["metadata", "private_metadata"])
        return st.sampled_from(sorted(DECLARABLE_TYPES)).flatmap(lambda t: st.tuples(
            comparison(DECLARABLE_TYPES[t]), st.fixed_dictionaries(extra)).map(
            lambda pair: {"kind": cls.kind, "type": t, **pair[0], **pair[1]}))
    if issubclass(cls, ItemCondition):
        extra = {}
        if cls.kind == "product.category":
            extra["include_descendants"] = st.booleans()
        if cls.kind == "product.attribute":
            extra["attribute"] = st.one_of(WORDS, TEXT)
        return st.tuples(comparison(cls.vtype), st.fixed_dictionaries(extra)).map(
            lambda pair: {"kind": cls.kind, **pair[0], **pair[1]})
    if cls.kind == "customer.gift_card_balance":
        return comparison(cls.fields["value"]).map(lambda c: {"kind": cls.kind, **c})
    if cls.kind == "segment":
        return comparison(cls.fields["value"], ("is", "is_not", "in", "not_in")).map(
            lambda c: {"kind": cls.kind, **c})
    return None


def _container(cls, children):
    """A strategy for a container kind, given a strategy for its children."""
    group = group_of(children)
    if cls.kind == "address":
        return st.builds(lambda a, g: {"kind": "address", "address": a, **g},
                         st.sampled_from(WHICH), group)
    if cls.kind == "order.address":
        return st.builds(lambda a, g: {"kind": cls.kind, "address": a, **g},
                         st.sampled_from(["billing", "shipping"]), group)
    if cls.kind == "order.products":
        return st.builds(lambda f, g: {"kind": cls.kind, "found": f, **g}, st.booleans(), group)
    if cls.kind == "products":
        return st.builds(
            lambda s, f, p, g: {"kind": "products", "source": s, "found": f, **g,
                                **({"period": p} if p and s != "cart" else {})},
            st.sampled_from(SOURCES), st.booleans(), OPTIONAL_PERIOD, group)
    if cls.kind == "orders":
        return st.sampled_from(sorted(MEASURES)).flatmap(lambda m: st.builds(
            lambda c, p, g: {"kind": "orders", "measure": m, **c, **g,
                             **({"period": p} if p else {})},
            comparison(MEASURES[m]), OPTIONAL_PERIOD, group))
    return None


def nodes(scope, depth=3):
    """Any node that may stand in ``scope``: kinds of that scope, containers, groups."""
    kinds = [cls for _, cls in sorted(all_kinds().items()) if cls.scope == scope]
    options = []
    for cls in kinds:
        if cls.children_scope is None:
            options.append(_leaf(cls))
        elif depth > 0:
            options.append(_container(cls, nodes(cls.children_scope, depth - 1)))
    if depth > 0:
        options.append(group_of(nodes(scope, depth - 1)).map(lambda g: {"kind": "group", **g}))
    return st.one_of(*options)


def trees(scope=Scope.SHOPPER, depth=3):
    return st.builds(lambda g: {"version": 1, **g}, group_of(nodes(scope, depth)))


def covered_kinds():
    """Kinds these strategies build (a new kind must be added above)."""
    return {cls.kind for cls in all_kinds().values()
            if (_leaf(cls) if cls.children_scope is None else _container(cls, st.nothing()))
            is not None}
