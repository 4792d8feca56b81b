"""Shopping cart: the shopper's checkouts in the segment's channel (a visitor's: their own).

A customer meets a cart condition when one of their checkouts in the channel meets it."""

from dataclasses import dataclass
from decimal import Decimal

from .base import Event, FieldCondition
from .operators import Comparison
from .registry import register
from .values import INTEGER, NUMBER, STRING

CART_FIELDS = {
    "lines": INTEGER, "quantity": INTEGER, "subtotal": NUMBER, "total": NUMBER, "tax": NUMBER,
    "shipping": NUMBER, "discount": NUMBER, "gift_cards": NUMBER, "voucher_code": STRING,
}


def cart_expression(field: str, ca: str) -> str:
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

    def to_sql(self, c, alias):
        source, ca, key, params = c.carts()
        return c.related(c.shopper(alias), key, source, params)(
            *self.cmp.sql(cart_expression(self.field, ca)))

    def observed_sql(self, c, alias):
        source, ca, key, params = c.carts()
        return (f"(SELECT array_agg({cart_expression(self.field, ca)}) {source} "
                f"AND {key} = {c.shopper(alias)})"), params

    def evaluate(self, e, row):
        return any(self.cmp.matches(self.value_of(e, cart), e.now) for cart in e.carts(row))

    def value_of(self, e, cart):
        lines = e.snap.by("checkout_checkoutline", "checkout_id").get(cart["token"], [])
        if self.field == "lines":
            return len(lines)
        if self.field == "quantity":
            return sum(line["quantity"] for line in lines)
        if self.field == "tax":
            gross, net = cart["total_gross_amount"], cart["total_net_amount"]
            return None if gross is None or net is None else gross - net
        if self.field == "gift_cards":
            links = e.snap.by("checkout_checkout_gift_cards", "checkout_id").get(cart["token"], [])
            cards = [e.snap.one("giftcard_giftcard", "id", link["giftcard_id"]) for link in links]
            return sum((g["current_balance_amount"] for g in cards), Decimal(0))
        column = {"subtotal": "subtotal_gross_amount", "total": "total_gross_amount",
                  "shipping": "shipping_price_gross_amount", "discount": "discount_amount",
                  "voucher_code": "voucher_code"}[self.field]
        return cart[column]
