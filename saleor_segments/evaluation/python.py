"""Evaluate a condition tree in Python over a Snapshot: the reference semantics the SQL
compiler must reproduce (property-tested), and the per-condition "why" of a match."""

import datetime as dt

from ..conditions.ast import Group


class Evaluator:
    def __init__(self, snapshot, channel_id: int, now: dt.datetime, subject: str = "customer"):
        self.snap, self.channel_id, self.now, self.subject = snapshot, channel_id, now, subject

    def group(self, group: Group, row) -> bool:
        results = (self.node(child, row) == group.expected for child in group.conditions)
        return all(results) if group.aggregator == "all" else any(results)

    def node(self, node, row) -> bool:
        if isinstance(node, Group):
            return self.group(node, row)
        if self.subject == "visitor" and node.registered_only:
            return False
        return node.evaluate(self, row)

    def carts(self, row) -> list[dict]:
        if self.subject == "visitor":
            return [row]
        return [c for c in self.snap.by("checkout_checkout", "user_id").get(row["id"], [])
                if c["channel_id"] == self.channel_id]

    def matching(self, tree: Group) -> set:
        """Ids (customers) or tokens (visitors) of every shopper meeting ``tree``."""
        if self.subject == "customer":
            return {u["id"] for u in self.snap.rows["account_user"]
                    if not u["is_staff"] and self.group(tree, u)}
        return {c["token"] for c in self.snap.rows["checkout_checkout"]
                if c["user_id"] is None and c["channel_id"] == self.channel_id
                and self.group(tree, c)}
