"""Why a customer is (not) in a segment: every node of the tree, met or not, with the value
it compared where the kind has one. Evaluated in one single-shopper SQL statement.

A node inside a container (an address, a product, an order) is reported as "some row of the
container meets this node alone" (the container itself reports all its children together)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import timezone

from ..conditions import Condition, Group
from ..conditions.sql import Fragment
from ..membership.definitions import segment_tree
from .compile import Compiler, bind


@dataclass
class NodeResult:
    path: str  # "" for the root group, "conditions[1].conditions[0]" below it
    kind: str  # "group" or a condition kind
    met: bool
    value: object = None  # the compared value (aggregate, field value), when the kind has one;
    # inside a container that gives them, the values of each of its rows (a list)
    inside: str | None = None  # path of the container the result is relative to


def explain_customer(segment: Any, customer_id: int,
                     now: dt.datetime | None = None) -> list[NodeResult]:
    tree = segment_tree(segment)
    compiler = Compiler(segment.channel_id, "customer", single=True)
    entries = list(_nodes(tree, "", []))
    columns, params, observed = [], [], []
    for _path, node, containers in entries:
        sql, node_params = _compile(compiler, node, containers)
        columns.append(f"({sql})")
        params += node_params
    for _path, node, containers in entries:  # values were recorded while compiling
        if not containers:
            found = compiler.observed.get(id(node))
        elif len(containers) == 1 and hasattr(containers[0][1], "observed_child_sql"):
            found = containers[0][1].observed_child_sql(compiler, "u", node)  # per row
        else:
            found = None
        observed.append(found is not None)
        if found is not None:
            columns.append(f"to_jsonb({found.sql})")
            params += found.params
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM account_user u WHERE u.id = %s",
                       bind(params, now or timezone.now()) + [customer_id])
        row = cursor.fetchone()
    if row is None:
        raise LookupError(f"customer {customer_id} does not exist")
    values = iter(row[len(entries):])
    results = []
    for (path, node, containers), met, has_value in zip(entries, row, observed):
        value = next(values) if has_value else None
        if isinstance(value, str):  # Django's psycopg hands jsonb over as its text
            value = json.loads(value)
        results.append(NodeResult(path=path, kind=_kind(node), met=bool(met), value=value,
                                  inside=containers[-1][0] if containers else None))
    return results


def _nodes(node: Any, path: str, containers: list) -> Iterator[tuple[str, Any, list]]:
    """(path, node, enclosing containers as (path, condition)) depth first."""
    yield path, node, containers
    if isinstance(node, Group):
        for i, child in enumerate(node.conditions):
            yield from _nodes(child, f"{path}.conditions[{i}]" if path else f"conditions[{i}]",
                              containers)
    elif isinstance(node, Condition) and node.child_group() is not None:
        inner = containers + [(path, node)]
        for i, child in enumerate(node.child_group().conditions):
            yield from _nodes(child, f"{path}.conditions[{i}]", inner)


def _compile(compiler: Compiler, node: Any, containers: list) -> Fragment:
    """A node alone; inside containers, wrapped in each (innermost first) with only it."""
    for _path, container in reversed(containers):
        node = dataclasses.replace(container, match=Group("all", True, (node,)))
    if isinstance(node, Group):
        return compiler.group(node, "u")
    return compiler.node(node, "u")


def _kind(node: Any) -> str:
    return "group" if isinstance(node, Group) else node.kind
