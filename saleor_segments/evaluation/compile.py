"""Compile a condition tree to one parameterised SQL predicate over Saleor's tables.

The predicate is evaluated per shopper row: ``u`` (account_user) for customers, ``c``
(checkout_checkout) for visitors. Values always travel as parameters; ``NOW`` placeholders are
bound to the evaluation time by ``bind``. ``single=True`` compiles for one known shopper
(correlated look-ups by index); the default compiles for whole-table, set-based evaluation.
``own_rows=True`` (one shopper) reads the shopper's orders, checkouts, addresses and items from
the common table expressions of ``shopper_rows`` instead of the tables (a check's statement).
``ranged=True`` (set-based) limits the evaluation to shoppers in ``[RANGE_LO, RANGE_HI)``, also
inside the per-shopper subqueries, so a split refresh's part costs its share of the work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, NamedTuple

from ..conditions.ast import Group
from ..conditions.operators import NOW, Comparison
from ..conditions.sql import FALSE, TRUE, Fragment, as_fragment, join, sql, value
from . import shopper_rows

RANGE_LO = object()  # placeholders for a split refresh's shopper range, bound by ``bind``
RANGE_HI = object()
EMPTY = Fragment("")

SUBJECTS = {
    "customer": ("account_user", "u", "id"),
    "visitor": ("checkout_checkout", "c", "token"),
}


class Carts(NamedTuple):
    """Checkouts in the channel: ``FROM tables WHERE where``; ``key`` is their shopper."""

    tables: Fragment
    where: Fragment
    alias: str
    key: str

    @property
    def source(self) -> Fragment:
        return sql("{} WHERE {}", self.tables, self.where)


Exists = Callable[..., Fragment]  # exists(condition=TRUE) -> SQL "some related row meets it"


class Compiler:
    def __init__(self, channel_id: int, subject: str = "customer", single: bool = False,
                 ranged: bool = False, own_rows: bool = False):
        assert subject in SUBJECTS and not (single and ranged) and (single or not own_rows)
        self.channel_id, self.subject, self.single = channel_id, subject, single
        self.ranged, self.own_rows = ranged, own_rows
        self._aliases = 0
        self._nodes: list[Any] = []  # the conditions being compiled, innermost last
        self.observed: dict[int, Fragment] = {}  # id(condition) -> SQL of the value it compared

    def alias(self, prefix: str) -> str:
        self._aliases += 1
        return f"{prefix}{self._aliases}"

    def compile(self, tree: Group) -> Fragment:
        return self.group(tree, SUBJECTS[self.subject][1])

    def group(self, group: Group, alias: str) -> Fragment:
        if not group.conditions:
            return TRUE if group.aggregator == "all" else FALSE
        template = "({})" if group.expected else "NOT ({})"
        parts = [sql(template, self.node(child, alias)) for child in group.conditions]
        joiner = " AND " if group.aggregator == "all" else " OR "
        return sql("({})", join(joiner, parts))

    def node(self, node: Any, alias: str) -> Fragment:
        if isinstance(node, Group):
            return self.group(node, alias)
        if self.subject == "visitor" and node.registered_only:
            return FALSE  # customer data is unknown for an anonymous checkout
        self._nodes.append(node)
        try:
            explained = self.single and not self.own_rows
            observed = node.observed_sql(self, alias) if explained else None
            if observed is not None:
                self.observed[id(node)] = as_fragment(observed)
            return as_fragment(node.to_sql(self, alias))  # a kind may return (sql, params)
        finally:
            self._nodes.pop()

    # --- helpers shared by kinds -------------------------------------------------------------

    def shopper(self, alias: str) -> str:
        return f"{alias}.{SUBJECTS[self.subject][2]}"

    def table(self, name: str) -> str:
        """Where to read the shopper's rows of table ``name``: with ``own_rows``, the common
        table expression holding them (``shopper_rows``) when there is one."""
        return shopper_rows.NAMES.get(name, name) if self.own_rows else name

    def own(self, rows: str) -> str:
        """With ``own_rows``: the common table expression of the shopper's ``rows``
        (``addresses``, ``items_ordered``, ``items_cart``, ``items_viewed``, ``items_wishlist``;
        see ``shopper_rows``)."""
        assert self.own_rows
        return shopper_rows.NAMES[rows]

    def in_range(self, outer: str, key: str) -> Fragment:
        """Extra predicate on ``key`` for a subquery correlated to the root shopper (ranged)."""
        root = SUBJECTS[self.subject][1]
        if self.ranged and outer == self.shopper(root):
            return sql(" AND {k} >= {} AND {k} < {}", value(RANGE_LO), value(RANGE_HI), k=key)
        return EMPTY

    def related(self, outer: str, key: str, source: Fragment, per_row: bool = False) -> Exists:
        """A test "some row of ``source`` with ``key`` = ``outer`` meets a condition".

        Returns ``exists(condition=TRUE)``. ``source`` is ``FROM ... WHERE ...`` without the
        correlation. Set-based: ``outer IN (uncorrelated subquery)``, which PostgreSQL runs
        as a semi-join (or one hashed subplan under OR/NOT). Single shopper, or ``per_row`` (a
        big table looked up from an already narrowed row, such as an order's lines): a
        correlated EXISTS, answered by index look-ups."""

        def exists(condition: Fragment = TRUE) -> Fragment:
            if self.single or per_row:
                # OFFSET 0 keeps a per-row look-up from being turned into a hash of the table
                fence = " OFFSET 0" if per_row and not self.single else ""
                return sql("EXISTS (SELECT 1 {} AND {} = {} AND {}{})",
                           source, key, outer, condition, fence)
            # the guard keeps the result non-NULL when outer is NULL (NOT must stay exact)
            return sql("({o} IS NOT NULL AND {o} IN (SELECT {k} {source} AND {k} IS NOT NULL"
                       "{span} AND {condition}))", o=outer, k=key, source=source,
                       span=self.in_range(outer, key), condition=condition)

        return exists

    def carts(self) -> Carts:
        """The shopper's checkouts in the channel (a visitor's: the checkout itself)."""
        ca = self.alias("ca")
        table = self.table("checkout_checkout")
        if self.subject == "visitor":
            return Carts(sql("FROM {} {}", table, ca), sql("{}.user_id IS NULL", ca),
                         ca, f"{ca}.token")
        return Carts(sql("FROM {} {}", table, ca),
                     sql("{}.channel_id = {}", ca, value(self.channel_id)), ca, f"{ca}.user_id")

    def aggregate(self, *, outer: str, key: str, source: Fragment, agg: str, zero: Any,
                  cmp: Comparison) -> Fragment:
        """Compare an aggregate over rows related to ``outer`` (``key`` = outer) with ``cmp``.

        ``source`` is ``FROM ... WHERE ...`` without the correlation. Shoppers without rows get
        ``zero`` (None for averages). Set-based: one grouped pass, then a semi/anti-join."""
        if self.own_rows:  # a few rows in memory: aggregated where they are read
            v = self.alias("v")
            return sql("(SELECT {} FROM (SELECT COALESCE({}, {}) AS x {} AND {} = {}) {})",
                       cmp.sql(f"{v}.x"), agg, value(zero), source, key, outer, v)
        if self.single:
            found = sql("(SELECT {} {} AND {} = {})", agg, source, key, outer)
            if self._nodes:  # what explain reports as the decisive value
                self.observed.setdefault(id(self._nodes[-1]),
                                         sql("COALESCE({}, {})", found, value(zero)))
            v = self.alias("v")
            # the comparison's own placeholders come first in the text, then the subquery's
            return sql("(SELECT {} FROM (SELECT COALESCE({}, {}) AS x) {})",
                       cmp.sql(f"{v}.x"), found, value(zero), v)
        met = cmp.sql(agg)
        if rowless_meets(cmp, zero):  # shoppers without rows match: exclude those who fail
            having, negate = sql("NOT ({})", met), "NOT "
        else:
            having, negate = met, ""
        return sql("{}({} IN (SELECT {k} {} AND {k} IS NOT NULL{} GROUP BY {k} HAVING {}))",
                   negate, outer, source, self.in_range(outer, key), having, k=key)


def rowless_meets(cmp: Comparison, zero: Any) -> bool:
    """Whether a shopper without related rows (aggregate ``zero``: 0, or None for averages)
    meets ``cmp``. Decided from the operator's rules, not by running the Python comparison:
    undefined is NULL only; positive operators need a defined value; negatives are the
    opposite of their positive."""
    if cmp.operator == "undefined":
        return (zero is None) == cmp.value
    positive = cmp.positive()
    if zero is None:
        met = False
    else:
        op, v = positive.operator, positive.value
        met = {"is": lambda: zero == v, "in": lambda: zero in v,
               "between": lambda: v[0] <= zero <= v[1], "gt": lambda: zero > v,
               "gte": lambda: zero >= v, "lt": lambda: zero < v, "lte": lambda: zero <= v,
               }[op]()
    return not met if cmp.negative else met


def bind(params: list[Any], now: dt.datetime,
         span: tuple[Any, Any] = (None, None)) -> list[Any]:
    """Replace the placeholders: NOW by ``now``, RANGE_LO/RANGE_HI by ``span``."""
    values = {id(NOW): now, id(RANGE_LO): span[0], id(RANGE_HI): span[1]}
    return [values.get(id(p), p) for p in params]


def shopper_predicate(tree: Group, channel_id: int, subject: str, single: bool = False,
                      ranged: bool = False, own_rows: bool = False) -> Fragment:
    """The shopper row (``u`` / ``c``, see SUBJECTS) is one the segment can hold (not staff; an
    anonymous checkout of the channel) and meets ``tree``. ``own_rows``: under the common
    table expressions of ``shopper_rows.shopper_rows``."""
    _table, alias, pk = SUBJECTS[subject]
    where = Compiler(channel_id, subject, single, ranged, own_rows).compile(tree)
    if subject == "customer":
        scope = sql("NOT {}.is_staff", alias)
    else:
        scope = sql("{a}.user_id IS NULL AND {a}.channel_id = {}", value(channel_id), a=alias)
    if ranged:
        scope += sql(" AND {a}.{pk} >= {} AND {a}.{pk} < {}", value(RANGE_LO), value(RANGE_HI),
                     a=alias, pk=pk)
    return sql("{} AND {}", scope, where)


def shopper_query(tree: Group, channel_id: int, subject: str, single: bool = False,
                  ranged: bool = False, located: bool = False) -> Fragment:
    """``SELECT <shopper id> FROM <shoppers> WHERE <tree>`` (params still hold NOW and, when
    ranged, RANGE_LO/RANGE_HI). ``located``: also the row's location (``loc``, its ctid), so
    that a statement which found the row can come back to it by a TID scan."""
    table, alias, pk = SUBJECTS[subject]
    return sql("SELECT {a}.{pk} AS shopper{loc} FROM {table} {a} WHERE {}",
               shopper_predicate(tree, channel_id, subject, single, ranged),
               a=alias, pk=pk, table=table, loc=f", {alias}.ctid AS loc" if located else "")
