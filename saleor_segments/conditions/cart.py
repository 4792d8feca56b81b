"""Shopping cart: the shopper's checkouts in the segment's channel (a visitor's: their own).

A customer meets a cart condition when one of their checkouts in the channel meets it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .base import Event, FieldCondition
from .operators import Comparison
from .registry import register
from .sql import Fragment, sql
from .values import INTEGER, NUMBER, STRING

if TYPE_CHECKING:  # pragma: no cover
    from ..evaluation.compile import Carts, Compiler

CART_FIELDS = {
    "lines": INTEGER, "quantity": INTEGER, "subtotal": NUMBER, "total": NUMBER, "tax": NUMBER,
    "shipping": NUMBER, "discount": NUMBER, "gift_cards": NUMBER, "voucher_code": STRING,
}


LINE_TOTALS = ("lines", "quantity")  # fields totalled over the checkout's lines


def cart_expression(field: str, ca: str, own_rows: bool = False) -> str:
    """The value of ``field`` for the checkout ``ca`` (with ``own_rows``, a row of the shopper's
    checkouts, whose line totals are computed once: see ``shopper_rows``)."""
    if own_rows and field in LINE_TOTALS:
        return f"{ca}.line_{'count' if field == 'lines' else 'quantity'}"
    return {
        "lines": f"(SELECT count(*) FROM checkout_checkoutline l WHERE l.checkout_id = {ca}.token)",
        "quantity": f"(SELECT COALESCE(sum(l.quantity), 0) FROM checkout_checkoutline l "
                    f"WHERE l.checkout_id = {ca}.token)",
        "subtotal": f"{ca}.subtotal_gross_amount",
        "total": f"{ca}.total_gross_amount",
        "tax": f"({ca}.total_gross_amount - {ca}.total_net_amount)",
        "shipping": f"{ca}.shipping_price_gross_amount",
        "discount": f"{ca}.discount_amount",
        "gift_cards": f"(SELECT COALESCE(sum(g.current_balance_amount), 0) FROM "
                      f"checkout_checkout_gift_cards cg JOIN giftcard_giftcard g ON "
                      f"g.id = cg.giftcard_id WHERE cg.checkout_id = {ca}.token)",
        "voucher_code": f"{ca}.voucher_code",
    }[field]


@register
@dataclass(frozen=True)
class CartField(FieldCondition):
    kind = "cart"
    label = "Shopping cart"
    group = "cart"
    registered_only = False
    events = frozenset({Event.CHECKOUT})
    fields = CART_FIELDS
    field: str
    cmp: Comparison

    def to_sql(self, c: Compiler, alias: str) -> Fragment:
        carts = c.carts()
        if self.field in LINE_TOTALS and not (c.single or c.ranged):
            return self._line_totals_sql(c, alias, carts)
        return c.related(c.shopper(alias), carts.key, carts.source)(
            self.cmp.sql(cart_expression(self.field, carts.alias, c.own_rows)))

    def _line_totals_sql(self, c: Compiler, alias: str, carts: Carts) -> Fragment:
        """Set-based: the lines of every checkout totalled in one grouped pass, instead of a
        look-up of each checkout's lines. A cart without lines counts 0 (as in
        ``cart_expression``): when 0 meets the comparison, the carts whose total fails it are
        excluded instead."""
        total = {"lines": "count(*)", "quantity": "sum(l.quantity)"}[self.field]
        return c.related(c.shopper(alias), carts.key, carts.source)(c.aggregate(
            outer=f"{carts.alias}.token", key="l.checkout_id",
            source=sql("FROM checkout_checkoutline l WHERE TRUE"), agg=total, zero=0,
            cmp=self.cmp))

    def observed_sql(self, c: Compiler, alias: str) -> Fragment | None:
        carts = c.carts()
        return sql("(SELECT array_agg({}) {} AND {} = {})", cart_expression(
            self.field, carts.alias), carts.source, carts.key, c.shopper(alias))
