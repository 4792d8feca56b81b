"""Every root field of the schema as a request document, with its arguments as variables of
their declared types (shared by the permission test and the fuzz test, so that a new field is
checked without anyone listing it)."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from graphql.type import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
)
from graphql.type.definition import get_named_type

from saleor_segments.graphql.schema import schema

from ..helpers import EMAIL_SHOP

# Fields for shoppers (a customer token or a visitor's checkout token); every other root field
# is an admin field and must say which permission it requires in its description.
STOREFRONT = frozenset({"wishlist", "dynamicBlocks", "relatedProducts", "trackProductView",
                        "wishlistAdd", "wishlistRemove"})
_REQUIRES = re.compile(r"Requires (MANAGE_[A-Z_]+)\.")


@dataclass(frozen=True)
class RootField:
    operation: str  # "query" or "mutation"
    name: str
    definition: object  # graphql-core's GraphQLField

    @property
    def permission(self) -> str | None:
        """The permission the description says the field requires."""
        found = _REQUIRES.search(self.definition.description or "")
        return found.group(1) if found else None

    def document(self, required_only: bool = False) -> str:
        """``operation($a: T!, ...) { name(a: $a, ...) { __typename } }``"""
        args = self.arguments(required_only)
        definitions = ", ".join(f"${a}: {t}" for a, t in args.items())
        call = ", ".join(f"{a}: ${a}" for a in args)
        selection = "" if isinstance(get_named_type(self.definition.type),
                                     (GraphQLScalarType, GraphQLEnumType)) else " { __typename }"
        return (f"{self.operation}{f'({definitions})' if definitions else ''} "
                f"{{ {self.name}{f'({call})' if call else ''}{selection} }}")

    def arguments(self, required_only: bool = False) -> dict[str, object]:
        return {name: arg.type for name, arg in self.definition.args.items()
                if not required_only or isinstance(arg.type, GraphQLNonNull)}


def root_fields() -> list[RootField]:
    return [RootField(operation, name, definition)
            for operation, type_name in (("query", "Query"), ("mutation", "Mutation"))
            for name, definition in schema.get_type(type_name).fields.items()]


def build_value(gql_type, make: Callable[[str, object], object], name: str,
                required_only: bool = False):
    """A value of ``gql_type`` for variables: ``make(name, named_type)`` gives scalars and
    enums; input objects and lists are built around it."""
    if isinstance(gql_type, GraphQLNonNull):
        return build_value(gql_type.of_type, make, name, required_only)
    if isinstance(gql_type, GraphQLList):
        value = build_value(gql_type.of_type, make, name, required_only)
        return value if isinstance(value, list) else [value]
    if isinstance(gql_type, GraphQLInputObjectType):
        return {field_name: build_value(field.type, make, field_name, required_only)
                for field_name, field in gql_type.fields.items()
                if not required_only or isinstance(field.type, GraphQLNonNull)
                or field_name == "name"}
    return make(name, gql_type)


def enum_values(gql_type) -> list[str]:
    return [value.name for value in gql_type.values]


# ID arguments named after what they identify; ``id`` is the object the field is named after
ID_ARGUMENTS = {"segment": "Segment", "segments": "Segment", "ids": "Segment",
                "channel": "Channel", "customer": "User", "customerId": "User",
                "promotion": "Promotion", "voucher": "Voucher", "productId": "Product",
                "variantId": "ProductVariant"}
SCALARS = {"String": "hacked", "Int": 5, "Boolean": True, "Float": 1.5,
           "JSONString": json.dumps(EMAIL_SHOP), "UUID": str(uuid.UUID(int=1)),
           "DateTime": "2026-01-01T00:00:00+00:00", "Date": "2026-01-01"}


def valid_variables(field: RootField, objects: dict) -> dict:
    """Variables for ``field``'s required arguments (and names), aimed at real objects:
    ``objects`` maps type names (Segment, Channel, ...) to global IDs."""
    def make(name, gql_type):
        if gql_type.name == "ID":
            owner = ID_ARGUMENTS.get(name) or max(
                (t for t in objects if field.name.lower().startswith(t.lower())), key=len)
            return objects[owner]
        if isinstance(gql_type, GraphQLEnumType):
            return enum_values(gql_type)[0]
        return SCALARS[gql_type.name]

    return {name: build_value(gql_type, make, name, required_only=True)
            for name, gql_type in field.arguments(required_only=True).items()}


def leaf_paths(types: dict, prefix: tuple = ()):
    """(path, type) of every argument and input field that holds a scalar, enum or list."""
    for name, gql_type in types.items():
        named = gql_type.of_type if isinstance(gql_type, GraphQLNonNull) else gql_type
        if isinstance(named, GraphQLInputObjectType):
            yield from leaf_paths({n: f.type for n, f in named.fields.items()}, prefix + (name,))
        else:
            yield prefix + (name,), gql_type
