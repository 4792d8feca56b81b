"""Names of condition kinds in the text form, per scope.

A condition is named by its kind (``customer.metadata``, ``products``, ``segment``); kinds that
compare one of several fields take the field after their prefix (``customer.email``,
``cart.total``, ``orders.count``). Inside a container (address, order, product rows) a name may
drop its prefix when that leaves it unambiguous (``city``, ``status``, ``sku``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .. import registry
from ..base import FieldCondition, Scope

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")  # as segments.lark
STARTS_GROUP = frozenset({"all", "any", "none", "not"})
DOT_KEYS = {"orders": "measure"}  # kinds other than FieldConditions that take a key after "."
# JSON keys written as positional arguments, in order (the others are written "key: value")
POSITIONAL = {"customer.attribute": ("attribute",), "customer.metadata": ("key",),
              "address": ("address",), "order.address": ("address",), "products": ("source",),
              "product.attribute": ("attribute",)}


@dataclass(frozen=True)
class Named:
    cls: Any  # the Condition subclass
    key: str | None = None  # the JSON key given after the prefix ("field", "measure") ...
    key_value: str | None = None  # ... and its value ("email", "count")


def dot_key(cls: Any) -> str | None:
    if cls.kind in DOT_KEYS:
        return DOT_KEYS[cls.kind]
    return "field" if issubclass(cls, FieldCondition) and cls.fields else None


def prefix(cls: Any) -> str:
    return cls.kind.removesuffix(".field") if dot_key(cls) == "field" else cls.kind


def kinds_in(scope: Scope) -> list:
    return [cls for _, cls in sorted(registry.all_kinds().items()) if cls.scope == scope]


def resolve(name: str, scope: Scope) -> list[Named]:
    """Every reading of ``name`` in ``scope`` (one: found; none: unknown; several: ambiguous)."""
    kinds = kinds_in(scope)
    exact = [Named(cls) for cls in kinds if cls.kind == name]
    if exact:
        return exact
    head, _, tail = name.rpartition(".")
    dotted = [Named(cls, dot_key(cls), tail) for cls in kinds
              if head and dot_key(cls) and prefix(cls) == head]
    if dotted or scope == Scope.SHOPPER:
        return dotted
    short = [Named(cls) for cls in kinds if cls.kind.partition(".")[2] == name]
    short += [Named(cls, dot_key(cls), name) for cls in kinds
              if dot_key(cls) and "." not in name and name in cls.fields]
    return short


def text_name(named: Named, scope: Scope) -> str | None:
    """The shortest name that reads back as ``named`` in ``scope`` (None: none does)."""
    full = f"{prefix(named.cls)}.{named.key_value}" if named.key else named.cls.kind
    options = [full]
    if scope != Scope.SHOPPER:
        options.insert(0, named.key_value if named.key else named.cls.kind.partition(".")[2])
    for option in options:
        if option and writable(option) and resolve(option, scope) == [named]:
            return option
    return None


def writable(name: str) -> bool:
    parts = name.split(".")
    return parts[0] not in STARTS_GROUP and all(NAME.fullmatch(part) for part in parts)


def names_in(scope: Scope) -> list[str]:
    """What may be written in ``scope`` (for "expected ..." in errors)."""
    names = []
    for cls in kinds_in(scope):
        key = dot_key(cls)
        if key:
            names += [text_name(Named(cls, key, f), scope) or cls.kind for f in cls.fields]
        else:
            names.append(text_name(Named(cls), scope) or cls.kind)
    return sorted(set(names))
