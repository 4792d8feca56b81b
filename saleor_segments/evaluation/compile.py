"""Compile a condition tree to one parameterised SQL predicate over Saleor's tables.

The predicate is evaluated per shopper row: ``u`` (account_user) for customers, ``c``
(checkout_checkout) for visitors. Values always travel as parameters; ``NOW`` placeholders are
bound to the evaluation time by ``bind``. ``single=True`` compiles for one known shopper
(correlated look-ups by index); the default compiles for whole-table, set-based evaluation.
``ranged=True`` (set-based) limits the evaluation to shoppers in ``[RANGE_LO, RANGE_HI)``, also
inside the per-shopper subqueries, so a split refresh's part costs its share of the work.
"""

from __future__ import annotations

import datetime as dt

from ..conditions.ast import Group
from ..conditions.operators import NOW, Comparison

RANGE_LO = object()  # placeholders for a split refresh's shopper range, bound by ``bind``
RANGE_HI = object()

SUBJECTS = {
    "customer": ("account_user", "u", "id"),
    "visitor": ("checkout_checkout", "c", "token"),
}


class Compiler:
    def __init__(self, channel_id: int, subject: str = "customer", single: bool = False,
                 ranged: bool = False):
        assert subject in SUBJECTS and not (single and ranged)
        self.channel_id, self.subject, self.single = channel_id, subject, single
        self.ranged = ranged
        self._aliases = 0
        self._nodes: list = []  # the conditions being compiled, innermost last
        self.observed: dict = {}  # id(condition) -> (SQL of the value it compared, params)

    def alias(self, prefix: str) -> str:
        self._aliases += 1
        return f"{prefix}{self._aliases}"

    def compile(self, tree: Group) -> tuple[str, list]:
        return self.group(tree, SUBJECTS[self.subject][1])

    def group(self, group: Group, alias: str) -> tuple[str, list]:
        if not group.conditions:
            return ("TRUE" if group.aggregator == "all" else "FALSE"), []
        parts, params = [], []
        for child in group.conditions:
            sql, child_params = self.node(child, alias)
            parts.append(f"({sql})" if group.expected else f"NOT ({sql})")
            params += child_params
        joiner = " AND " if group.aggregator == "all" else " OR "
        return "(" + joiner.join(parts) + ")", params

    def node(self, node, alias: str) -> tuple[str, list]:
        if isinstance(node, Group):
            return self.group(node, alias)
        if self.subject == "visitor" and node.registered_only:
            return "FALSE", []  # customer data is unknown for an anonymous checkout
        self._nodes.append(node)
        try:
            observed = node.observed_sql(self, alias) if self.single else None
            if observed is not None:
                self.observed[id(node)] = observed
            return node.to_sql(self, alias)
        finally:
            self._nodes.pop()

    # --- helpers shared by kinds -------------------------------------------------------------

    def shopper(self, alias: str) -> str:
        return f"{alias}.{SUBJECTS[self.subject][2]}"

    def in_range(self, outer: str, key: str) -> tuple[str, list]:
        """Extra predicate on ``key`` for a subquery correlated to the root shopper (ranged)."""
        root = SUBJECTS[self.subject][1]
        if self.ranged and outer == self.shopper(root):
            return f" AND {key} >= %s AND {key} < %s", [RANGE_LO, RANGE_HI]
        return "", []

    def related(self, outer: str, key: str, source: str, params: list, per_row: bool = False):
        """A test "some row of ``source`` with ``key`` = ``outer`` meets a condition".

        Returns ``exists(cond_sql, cond_params)``. ``source`` is ``FROM ... WHERE ...`` without
        the correlation. Set-based: ``outer IN (uncorrelated subquery)``, which PostgreSQL runs
        as a semi-join (or one hashed subplan under OR/NOT). Single shopper, or ``per_row`` (a
        big table looked up from an already narrowed row, such as an order's lines): a
        correlated EXISTS, answered by index look-ups."""

        def exists(cond: str = "TRUE", cond_params=()) -> tuple[str, list]:
            if self.single or per_row:
                # OFFSET 0 keeps a per-row look-up from being turned into a hash of the table
                fence = " OFFSET 0" if per_row and not self.single else ""
                return (f"EXISTS (SELECT 1 {source} AND {key} = {outer} AND {cond}{fence})",
                        list(params) + list(cond_params))
            # the guard keeps the result non-NULL when outer is NULL (NOT must stay exact)
            span, span_params = self.in_range(outer, key)
            return (f"({outer} IS NOT NULL AND {outer} IN (SELECT {key} {source} AND {key} "
                    f"IS NOT NULL{span} AND {cond}))",
                    list(params) + span_params + list(cond_params))

        return exists

    def carts(self) -> tuple[str, str, str, list]:
        """(``FROM ... WHERE ...`` over checkouts in the channel, alias, shopper key, params)."""
        ca = self.alias("ca")
        if self.subject == "visitor":
            return (f"FROM checkout_checkout {ca} WHERE {ca}.user_id IS NULL", ca,
                    f"{ca}.token", [])
        return (f"FROM checkout_checkout {ca} WHERE {ca}.channel_id = %s", ca, f"{ca}.user_id",
                [self.channel_id])

    def aggregate(self, *, outer: str, key: str, source: str, params: list, agg: str,
                  zero, cmp: Comparison) -> tuple[str, list]:
        """Compare an aggregate over rows related to ``outer`` (``key`` = outer) with ``cmp``.

        ``source`` is ``FROM ... WHERE ...`` without the correlation. Shoppers without rows get
        ``zero`` (None for averages). Set-based: one grouped pass, then a semi/anti-join."""
        if self.single:
            value = f"(SELECT {agg} {source} AND {key} = {outer})"
            if self._nodes:  # what explain reports as the decisive value
                self.observed.setdefault(id(self._nodes[-1]), (
                    f"COALESCE({value}, %s)", list(params) + [zero]))
            v = self.alias("v")
            cmp_sql, cmp_params = cmp.sql(f"{v}.x")
            return (f"(SELECT {cmp_sql} FROM (SELECT COALESCE({value}, %s) AS x) {v})",
                    cmp_params + params + [zero])
        cmp_sql, cmp_params = cmp.sql(agg)
        if cmp.matches(zero, dt.datetime.now(dt.UTC)):  # shoppers without rows match
            having, negate = f"NOT ({cmp_sql})", "NOT "
        else:
            having, negate = cmp_sql, ""
        span, span_params = self.in_range(outer, key)
        return (f"{negate}({outer} IN (SELECT {key} {source} AND {key} IS NOT NULL{span} "
                f"GROUP BY {key} HAVING {having}))"), params + span_params + cmp_params


def bind(params: list, now: dt.datetime, span: tuple = (None, None)) -> list:
    """Replace the placeholders: NOW by ``now``, RANGE_LO/RANGE_HI by ``span``."""
    values = {id(NOW): now, id(RANGE_LO): span[0], id(RANGE_HI): span[1]}
    return [values.get(id(p), p) for p in params]


def shopper_query(tree: Group, channel_id: int, subject: str, single: bool = False,
                  ranged: bool = False):
    """``SELECT <shopper id> FROM <shoppers> WHERE <tree>`` (params still hold NOW and, when
    ranged, RANGE_LO/RANGE_HI)."""
    table, alias, pk = SUBJECTS[subject]
    where, params = Compiler(channel_id, subject, single, ranged).compile(tree)
    if subject == "customer":
        scope = f"NOT {alias}.is_staff"
        scope_params = []
    else:
        scope = f"{alias}.user_id IS NULL AND {alias}.channel_id = %s"
        scope_params = [channel_id]
    if ranged:
        scope += f" AND {alias}.{pk} >= %s AND {alias}.{pk} < %s"
        scope_params = scope_params + [RANGE_LO, RANGE_HI]
    sql = f"SELECT {alias}.{pk} AS shopper FROM {table} {alias} WHERE {scope} AND {where}"
    return sql, scope_params + params
