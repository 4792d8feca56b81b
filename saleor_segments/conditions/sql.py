"""SQL as composable (sql, params) parts.

A ``Fragment`` is SQL text together with the parameters its ``%s`` placeholders take, in order.
Fragments are combined, never edited: ``sql(template, ...)`` fills a template's ``{}`` fields
with fragments (their parameters follow in the order the fields appear, once per use) or with
trusted SQL text written in code (aliases, column and table names); ``value(v)`` is one
parameter; ``join`` puts fragments side by side. No code counts, splits or searches SQL text.

    >>> expr = sql("({}.metadata ->> {})", "u", value("gender"))
    >>> sql("{e} IS NULL OR {e} = {v}", e=expr, v=value("f"))
    Fragment(sql='(u.metadata ->> %s) IS NULL OR (u.metadata ->> %s) = %s', params=('gender', 'gender', 'f'))

A fragment unpacks as ``(sql, params list)``, so ``cursor.execute(*fragment)`` runs it.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

_FORMATTER = string.Formatter()


@dataclass(frozen=True, slots=True)
class Fragment:
    sql: str
    params: tuple[Any, ...] = ()

    def __add__(self, other: Fragment | str) -> Fragment:
        other = as_fragment(other)
        return Fragment(self.sql + other.sql, self.params + other.params)

    def __radd__(self, other: str) -> Fragment:
        return as_fragment(other) + self

    def __iter__(self) -> Iterator[Any]:
        yield self.sql
        yield list(self.params)


Part = Fragment | str | tuple[str, Iterable[Any]]


def as_fragment(part: Part) -> Fragment:
    """A fragment as it is; a ``str`` is trusted SQL text written in code (no placeholders)."""
    if isinstance(part, Fragment):
        return part
    if isinstance(part, tuple) and len(part) == 2 and isinstance(part[0], str):
        return Fragment(part[0], tuple(part[1]))  # an (sql, params) pair, as kinds may return
    if not isinstance(part, str) or "%s" in part:
        raise TypeError(f"expected a Fragment or SQL text without placeholders, got {part!r}")
    return Fragment(part)


def value(v: Any) -> Fragment:
    """One parameter."""
    return Fragment("%s", (v,))


@functools.lru_cache(maxsize=1024)
def _parsed(template: str) -> tuple[tuple[str, str | None], ...]:
    """A template's (literal text, field name or None) pairs, checked once per template."""
    pairs = []
    for literal, field, spec, conversion in _FORMATTER.parse(template):
        if "%s" in literal:
            raise ValueError("values travel as value(...) parts, not as %s in a template")
        if spec or conversion:
            raise ValueError("template fields take no format spec or conversion")
        pairs.append((literal, field))
    return tuple(pairs)


def sql(template: str, *args: Part, **kwargs: Part) -> Fragment:
    """Fill ``template``'s ``{}`` / ``{name}`` fields with parts (see the module docstring)."""
    texts: list[str] = []
    params: list[Any] = []
    auto = iter(args)
    for literal, field in _parsed(template):
        texts.append(literal)
        if field is None:
            continue
        part = as_fragment(kwargs[field] if field else next(auto))
        texts.append(part.sql)
        params.extend(part.params)
    return Fragment("".join(texts), tuple(params))


def join(separator: str, parts: Iterable[Part]) -> Fragment:
    fragments = [as_fragment(p) for p in parts]
    return Fragment(as_fragment(separator).sql.join(f.sql for f in fragments),
                    tuple(p for f in fragments for p in f.params))


TRUE = Fragment("TRUE")
FALSE = Fragment("FALSE")
