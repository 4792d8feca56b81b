"""Running one GraphQL request against the schema, with the limits every host applies
(request body, NUL characters, query depth, query cost, one operation, no mutation over GET)."""

from __future__ import annotations

import json
import logging

from graphql import GraphQLError, parse
from graphql.language import ast
from graphql.type.definition import get_named_type

from .context import PermissionDenied, SegmentsContext
from .core.connection import MAX_PAGE
from .core.errors import InputError

logger = logging.getLogger(__name__)

MAX_BODY = 1_000_000  # bytes
MAX_QUERY_DEPTH = 12
MAX_BATCH = 1
MAX_QUERY_COST = 10_000  # per request, all aliases and fragments counted (see COSTS)
MUTATION_COST = 50
MAX_MULTIPLIER = MAX_PAGE  # no connection serves more (a larger `first` is refused anyway)


def _preview_cost(budget_ms) -> int:
    """A preview costs its time budget (1 per 4 ms, at most 7,500 for 30 s): one request's
    previews together run at most 40 s."""
    from ..membership.preview import DEFAULT_BUDGET_MS, MAX_BUDGET_MS

    if budget_ms is None or not 1 <= budget_ms <= MAX_BUDGET_MS:
        budget_ms = DEFAULT_BUDGET_MS  # (an invalid budget is refused before any work)
    return -(-budget_ms // 4)


# What a field costs beyond 1 (the default; a root mutation field: MUTATION_COST). A field
# with a ``first`` argument costs its own cost plus ``first`` times its selection's cost.
COSTS = {
    "Query.segmentPreview": lambda args: _preview_cost(args("timeBudgetMs")),
    "Query.segmentExplain": 100,
    "SegmentPreview.cost": 100,  # a plan per top-level condition (EXPLAIN only)
    "Query.segmentConditionsParse": 10,
    "Query.segmentConditionsText": 10,
    "Segment.conditionsText": 2,
    "Query.segmentConditionKinds": 50,
    "Query.segmentCustomerFields": 50,
    "Query.discountSegmentDryRun": 50,
    "Query.relatedProducts": 50,
    "Query.segments": 10,
    "Query.segmentMembers": 10,
    "Query.segmentMembershipHistory": 10,
    "Query.dynamicBlocks": 10,
    "Query.customerSegments": 10,
    "Segment.memberCount": 10,
    "Mutation.segmentRefresh": 100,
    "Query.segmentReport": 10,
    "SegmentReport.count": 50,
    "SegmentReport.members": 50,
    "Query.segmentSizeHistory": 100,
    "Query.segmentOverlap": 100,
    "Query.segmentAdminEvents": 10,
    "Mutation.segmentMembersExport": 100,
    "Mutation.segmentReportExport": 100,
}


class RequestError(Exception):
    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def read_body(request) -> bytes:
    """The request's body; RequestError(413) when it is larger than MAX_BODY (before Django
    refuses it with its own HTML page)."""
    from django.core.exceptions import RequestDataTooBig

    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY:
        raise RequestError("Request body exceeds maximum size.", 413)
    try:
        return request.body
    except RequestDataTooBig:
        raise RequestError("Request body exceeds maximum size.", 413) from None


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


def parse_query_string(params) -> dict:
    """``{"query", "variables", "operationName"}`` of a GET request's parameters."""
    data = {"query": params.get("query"), "operationName": params.get("operationName")}
    variables = params.get("variables")
    if variables:
        try:
            data["variables"] = json.loads(variables)
        except (ValueError, RecursionError):
            raise RequestError("Variables are invalid JSON.") from None
    return data


def _error(message, status=400, code="GraphQLError", **extensions):
    return {"errors": [{"message": message, "extensions": {"exception": {"code": code},
                                                           **extensions}}]}, status


def execute(data: dict, context: SegmentsContext, allow_mutations: bool = True
            ) -> tuple[dict, int]:
    """(response JSON, HTTP status) for ``{"query", "variables", "operationName"}``;
    ``allow_mutations=False`` for GET requests."""
    from .schema import schema

    query, variables = data.get("query"), data.get("variables") or {}
    operation_name = data.get("operationName")
    if not isinstance(query, str) or not query.strip():
        return {"errors": [{"message": "Must provide a query string."}]}, 400
    if not isinstance(variables, dict):
        return {"errors": [{"message": "Variables must be an object."}]}, 400
    if operation_name is not None and not isinstance(operation_name, str):
        return {"errors": [{"message": "operationName must be a string."}]}, 400
    try:
        document = parse(query)
        depth = _depth(document)
        nul = _nul_path(query, variables, document)
    except GraphQLError as exc:
        return {"errors": [format_error(exc)]}, 400
    except RecursionError:
        return {"errors": [{"message": "Query is nested too deeply."}]}, 400
    if nul:
        return _error(f"Input must not contain NUL characters (\\u0000): {nul}.")
    if depth > MAX_QUERY_DEPTH:
        return {"errors": [{"message": f"Query is nested deeper than {MAX_QUERY_DEPTH} "
                                       "levels."}]}, 400
    operations = _operations(document, operation_name)
    if not allow_mutations and any(op.operation != "query" for op in operations):
        return _error("Can only perform a mutation operation from a POST request.", 405)
    cost = max((query_cost(schema.get_type, op, document, variables)
                for op in operations), default=0)
    if cost > MAX_QUERY_COST:
        return _error(f"The query exceeds the maximum cost of {MAX_QUERY_COST}. Actual cost "
                      f"is {cost}.", code="QueryCostError",
                      cost={"requestedQueryCost": cost, "maximumAvailable": MAX_QUERY_COST})
    result = schema.execute(document, variable_values=variables, context_value=context,
                            operation_name=operation_name)
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


def _fragments(document) -> dict:
    return {d.name.value: d for d in document.definitions
            if isinstance(d, ast.FragmentDefinition)}


def _operations(document, operation_name) -> list:
    return [d for d in document.definitions if isinstance(d, ast.OperationDefinition)
            and (operation_name is None or (d.name and d.name.value == operation_name))]


def _depth(document) -> int:
    fragments, memo = _fragments(document), {}

    def depth(selection_set, seen) -> int:
        if selection_set is None:
            return 0
        deepest = 0
        for selection in selection_set.selections:
            if isinstance(selection, ast.FragmentSpread):
                name = selection.name.value
                if name in seen or name not in fragments:
                    continue
                if name not in memo:  # a fragment spread many times is measured once
                    memo[name] = depth(fragments[name].selection_set, seen | {name})
                deepest = max(deepest, memo[name])
            elif isinstance(selection, ast.InlineFragment):
                deepest = max(deepest, depth(selection.selection_set, seen))
            else:
                deepest = max(deepest, 1 + depth(selection.selection_set, seen))
        return deepest

    return max((depth(d.selection_set, frozenset()) for d in document.definitions
                if isinstance(d, ast.OperationDefinition)), default=0)


def _nul_path(query: str, variables: dict, document) -> str | None:
    """Where the request holds a NUL character (PostgreSQL text cannot store one)."""
    if "\x00" in query:
        return "query"

    def in_value(value, path):
        if isinstance(value, str):
            return path if "\x00" in value else None
        if isinstance(value, dict):
            for key, item in value.items():
                found = (f"{path}.{key!r}" if "\x00" in key else None) or in_value(
                    item, f"{path}.{key}")
                if found:
                    return found
        if isinstance(value, list):
            for index, item in enumerate(value):
                found = in_value(item, f"{path}[{index}]")
                if found:
                    return found
        return None

    def in_document(node):
        if isinstance(node, ast.StringValue):
            return "\x00" in node.value
        if isinstance(node, list):
            return any(in_document(item) for item in node)
        if isinstance(node, ast.Node):
            return any(in_document(getattr(node, slot)) for slot in node.__slots__
                       if slot != "loc")
        return False

    found = in_value(variables, "variables")
    if found:
        return found.replace("\x00", "\\u0000")
    return "a string in the query" if in_document(document) else None


def query_cost(get_type, operation, document, variables: dict) -> int:
    """What ``operation`` costs (see COSTS): every field 1, a field with ``first`` its own
    cost plus ``first`` times its selection's; fragments counted wherever they are spread."""
    fragments, memo = _fragments(document), {}
    root = get_type({"query": "Query", "mutation": "Mutation"}.get(operation.operation, ""))

    def argument(node, name):
        for arg in node.arguments or ():
            if arg.name.value == name:
                value = arg.value
                if isinstance(value, ast.Variable):
                    value = variables.get(value.name.value)
                elif isinstance(value, ast.IntValue):
                    value = int(value.value) if len(value.value) < 20 else MAX_MULTIPLIER
                if isinstance(value, int) and not isinstance(value, bool):
                    return value
        return None

    def selections(selection_set, parent, seen) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, ast.Field):
                total += field(selection, parent, seen)
            elif isinstance(selection, ast.InlineFragment):
                condition = selection.type_condition
                total += selections(selection.selection_set,
                                    get_type(condition.name.value) if condition else parent,
                                    seen)
            elif isinstance(selection, ast.FragmentSpread):
                name = selection.name.value
                if name in seen or name not in fragments:
                    continue
                if name not in memo:  # a fragment spread many times is computed once
                    fragment = fragments[name]
                    memo[name] = selections(fragment.selection_set,
                                            get_type(fragment.type_condition.name.value),
                                            seen | {name})
                total += memo[name]
        return total

    def field(node, parent, seen) -> int:
        name = node.name.value
        if name.startswith("__"):
            return 0
        fields = getattr(parent, "fields", None)  # objects and interfaces
        definition = fields.get(name) if isinstance(fields, dict) else None
        child = get_named_type(definition.type) if definition else None
        key = f"{parent.name}.{name}" if parent is not None else name
        own = COSTS.get(key, MUTATION_COST if parent is not None and parent.name == "Mutation"
                        else 1)
        if callable(own):
            own = own(lambda arg: argument(node, arg))
        if node.selection_set is None:
            return own
        first = argument(node, "first")
        multiplier = 1 if first is None else max(1, min(first, MAX_MULTIPLIER))
        return own + multiplier * selections(node.selection_set, child, seen)

    return selections(operation.selection_set, root, frozenset())
