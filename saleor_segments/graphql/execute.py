"""Running one GraphQL request against the schema, with the limits every host applies."""

from __future__ import annotations

import json
import logging

from graphql import GraphQLError, parse
from graphql.language import ast

from .context import PermissionDenied, SegmentsContext
from .core.errors import InputError

logger = logging.getLogger(__name__)

MAX_BODY = 1_000_000  # bytes
MAX_QUERY_DEPTH = 12
MAX_BATCH = 1


class RequestError(Exception):
    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def parse_body(body: bytes, content_type: str = "application/json") -> dict:
    if len(body) > MAX_BODY:
        raise RequestError("Request body exceeds maximum size.", 413)
    try:
        data = json.loads(body or b"{}")
    except (ValueError, RecursionError):
        raise RequestError("Unable to parse query.") from None
    if not isinstance(data, dict):
        raise RequestError("Expected one operation as a JSON object.")
    return data


def execute(data: dict, context: SegmentsContext) -> tuple[dict, int]:
    """(response JSON, HTTP status) for ``{"query", "variables", "operationName"}``."""
    from .schema import schema

    query, variables = data.get("query"), data.get("variables") or {}
    if not isinstance(query, str) or not query.strip():
        return {"errors": [{"message": "Must provide a query string."}]}, 400
    if not isinstance(variables, dict):
        return {"errors": [{"message": "Variables must be an object."}]}, 400
    try:
        document = parse(query)
        depth = _depth(document)
    except GraphQLError as exc:
        return {"errors": [format_error(exc)]}, 400
    except RecursionError:
        return {"errors": [{"message": "Query is nested too deeply."}]}, 400
    if depth > MAX_QUERY_DEPTH:
        return {"errors": [{"message": f"Query is nested deeper than {MAX_QUERY_DEPTH} "
                                       "levels."}]}, 400
    result = schema.execute(document, variable_values=variables, context_value=context,
                            operation_name=data.get("operationName"))
    response: dict = {}
    if result.errors:
        response["errors"] = [format_error(e) for e in result.errors]
    if not result.invalid:
        response["data"] = result.data
    return response, 400 if result.invalid else 200


def format_error(error) -> dict:
    original = getattr(error, "original_error", None)
    while getattr(original, "original_error", None) is not None:
        original = original.original_error
    formatted = {"message": str(error)}
    for key in ("locations", "path"):
        value = getattr(error, key, None)
        if value:
            formatted[key] = ([{"line": loc.line, "column": loc.column} for loc in value]
                              if key == "locations" else value)
    if isinstance(original, PermissionDenied):
        code = "PermissionDenied"
    elif isinstance(original, InputError):
        code = "GraphQLError"
        formatted["extensions"] = {"exception": {"code": code}, "errors": original.errors}
        return formatted
    elif original is None or isinstance(original, GraphQLError):
        code = "GraphQLError"
    else:  # an unexpected failure: say nothing of its details
        logger.error("GraphQL resolver failed", exc_info=original)
        formatted["message"] = "Internal Server Error"
        code = "InternalServerError"
    formatted["extensions"] = {"exception": {"code": code}}
    return formatted


def _depth(document) -> int:
    fragments = {d.name.value: d for d in document.definitions
                 if isinstance(d, ast.FragmentDefinition)}

    def depth(selection_set, seen) -> int:
        if selection_set is None:
            return 0
        deepest = 0
        for selection in selection_set.selections:
            if isinstance(selection, ast.FragmentSpread):
                name = selection.name.value
                if name in seen or name not in fragments:
                    continue
                deepest = max(deepest, depth(fragments[name].selection_set, seen | {name}))
            elif isinstance(selection, ast.InlineFragment):
                deepest = max(deepest, depth(selection.selection_set, seen))
            else:
                deepest = max(deepest, 1 + depth(selection.selection_set, seen))
        return deepest

    return max((depth(d.selection_set, frozenset()) for d in document.definitions
                if isinstance(d, ast.OperationDefinition)), default=0)
