"""Scalars shared by the schema (Saleor names its JSON scalar ``JSONString``)."""

import json
import math

import graphene
from graphql import GraphQLError
from graphql.language import ast

MAX_JSON_DEPTH = 256


def _no_constant(name):
    raise ValueError(f"{name} is not a JSON number")


def _finite(text):
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{text} is too large for a JSON number")
    return number


def load_json(text) -> object:
    """JSON that PostgreSQL's jsonb (and every client) can take: no NaN or Infinity, no NUL
    character (``\\u0000``), at most ``MAX_JSON_DEPTH`` levels; GraphQLError otherwise."""
    if not isinstance(text, str):
        raise GraphQLError("Expected a JSON string.")
    try:
        value = json.loads(text, parse_constant=_no_constant, parse_float=_finite)
    except RecursionError:
        raise GraphQLError(f"Invalid JSON: nested deeper than {MAX_JSON_DEPTH} levels.") from None
    except ValueError as exc:
        raise GraphQLError(f"Invalid JSON: {exc}") from None
    problem = _problem(value, 0)
    if problem:
        raise GraphQLError(f"Invalid JSON: {problem}.")
    return value


def _problem(value, depth: int) -> str | None:
    if depth > MAX_JSON_DEPTH:
        return f"nested deeper than {MAX_JSON_DEPTH} levels"
    if isinstance(value, str):
        return "NUL characters (\\u0000) cannot be stored" if "\x00" in value else None
    if isinstance(value, dict):
        items = [*value.keys(), *value.values()]
    elif isinstance(value, list):
        items = value
    else:
        return None
    return next((p for p in (_problem(item, depth + 1) for item in items) if p), None)


class JSONString(graphene.JSONString):
    """A JSON document as a string; refused when PostgreSQL's jsonb cannot store it."""

    class Meta:
        name = "JSONString"

    @staticmethod
    def parse_literal(node):
        if isinstance(node, ast.StringValue):
            return load_json(node.value)
        return None

    @staticmethod
    def parse_value(value):
        return load_json(value)
