"""Which shoppers meet a condition tree, decided in plain Python over a Snapshot.

Written from README's rules (Conditions: the kinds table and "Semantics"), independently of the
engine: nothing here comes from ``conditions/operators.py``, the kinds' own code or the SQL
compiler. The engine's parsed tree is read as data only (a node's ``kind`` and parameters).
The property tests hold the SQL to this; hand-written expected sets hold both to the examples.
"""

import datetime as dt
import re
from decimal import Decimal

from saleor_segments.conditions.ast import Group

# README, kinds table ("who"): conditions on customer data are never met by a visitor
CUSTOMERS_ONLY = {"customer.field", "customer.attribute", "customer.metadata",
                  "customer.gift_card_balance", "address", "orders"}
CUSTOMERS_ONLY_SOURCES = {"wishlist", "ordered"}
NEGATIONS = {"is_not": "is", "not_in": "in", "not_contains": "contains"}
NOT_COUNTED = {"draft"}  # order measures ignore drafts ...
NOT_ORDERED = {"draft", "canceled", "expired"}  # ... "ordered" products also these
CUSTOMER_COLUMNS = {"customer_type": "customer_type_id"}
ORDER_COLUMNS = {"status": "status", "total": "total_gross_amount",
                 "subtotal": "subtotal_gross_amount"}
CART_COLUMNS = {"subtotal": "subtotal_gross_amount", "total": "total_gross_amount",
                "shipping": "shipping_price_gross_amount", "discount": "discount_amount",
                "voucher_code": "voucher_code"}


# --- operators -------------------------------------------------------------------------------


def is_undefined(value) -> bool:
    """NULL, or empty text."""
    return value is None or value == ""


def as_day(value):
    """Dates compare as UTC calendar days."""
    return value.astimezone(dt.UTC).date() if isinstance(value, dt.datetime) else value


def positive_holds(operator: str, expected, actual, type_name: str, now: dt.datetime) -> bool:
    """A positive operator on a defined value."""
    if operator == "in_last_days":
        if isinstance(actual, dt.datetime):
            return now - actual <= dt.timedelta(days=expected)
        return (now.astimezone(dt.UTC).date() - actual).days <= expected
    if type_name == "date":
        actual = as_day(actual)
    if type_name == "string":  # text compares case-insensitively
        actual = actual.lower()
        expected = (tuple(e.lower() for e in expected) if isinstance(expected, tuple)
                    else expected.lower())
    if operator == "contains":
        return expected in actual
    if operator == "is":
        return actual == expected
    if operator == "in":
        return any(actual == e for e in expected)
    if operator == "between":
        low, high = expected
        return low <= actual and actual <= high
    if operator == "gt":
        return actual > expected
    if operator == "gte":
        return not actual < expected
    if operator == "lt":
        return actual < expected
    if operator == "lte":
        return not actual > expected
    raise AssertionError(f"unknown operator {operator}")


def meets(cmp, actual, now) -> bool:
    """One value: undefined never meets a positive operator; negatives are exactly NOT."""
    if cmp.operator == "undefined":
        return is_undefined(actual) is bool(cmp.value)
    positive = NEGATIONS.get(cmp.operator, cmp.operator)
    held = (not is_undefined(actual)
            and positive_holds(positive, cmp.value, actual, cmp.type.name, now))
    return (not held) if cmp.operator in NEGATIONS else held


def meets_some(cmp, values, now) -> bool:
    """Several values (multi-select attributes, a product's categories, ...): a positive
    operator needs one of them; a negative one none; undefined means there are none."""
    defined = [v for v in values if not is_undefined(v)]
    if cmp.operator == "undefined":
        return (len(defined) == 0) is bool(cmp.value)
    positive = NEGATIONS.get(cmp.operator, cmp.operator)
    held = any(positive_holds(positive, cmp.value, v, cmp.type.name, now) for v in defined)
    return (not held) if cmp.operator in NEGATIONS else held


# --- metadata and attribute values ----------------------------------------------------------

NUMBER_TEXT = re.compile(r" *[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+) *")
DAY_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
TRUTHS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


def metadata_as(raw, type_name: str):
    """A metadata value read as the declared type; malformed values are undefined."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        text = "true" if raw else "false"
    else:
        text = raw if isinstance(raw, str) else str(raw)
    if type_name == "string":
        return text
    if type_name == "number":
        if len(text) > 1000 or not NUMBER_TEXT.fullmatch(text):
            return None
        return Decimal(text.strip(" "))
    if type_name == "date":
        if not DAY_TEXT.match(text):
            return None
        try:
            return dt.date(int(text[:4]), int(text[5:7]), int(text[8:10]))
        except ValueError:
            return None
    return TRUTHS.get(text.strip(" ").lower())


def attribute_as(value_row: dict, type_name: str):
    if type_name == "number":
        number = value_row["numeric"]  # a double, read as PostgreSQL casts it to numeric
        return None if number is None else Decimal(f"{number:.15g}")
    column = {"string": "name", "date": "date_time", "boolean": "boolean"}[type_name]
    return value_row[column]


# --- the evaluator --------------------------------------------------------------------------


class Reference:
    def __init__(self, snapshot, channel_id: int, now: dt.datetime, subject: str = "customer"):
        self.snap, self.channel_id, self.now, self.subject = snapshot, channel_id, now, subject

    def matching(self, tree: Group) -> set:
        """Ids (customers) or tokens (visitors) of every shopper meeting ``tree``."""
        if self.subject == "customer":
            return {u["id"] for u in self.snap.rows["account_user"]
                    if not u["is_staff"] and self.group(tree, u)}
        return {c["token"] for c in self.snap.rows["checkout_checkout"]
                if c["user_id"] is None and c["channel_id"] == self.channel_id
                and self.group(tree, c)}

    def group(self, group: Group, row) -> bool:
        """"if ALL / ANY of these conditions are TRUE / FALSE"."""
        outcomes = [self.node(child, row) is group.expected for child in group.conditions]
        return all(outcomes) if group.aggregator == "all" else any(outcomes)

    def node(self, node, row) -> bool:
        if isinstance(node, Group):
            return self.group(node, row)
        if self.subject == "visitor" and (node.kind in CUSTOMERS_ONLY or (
                node.kind == "products" and node.source in CUSTOMERS_ONLY_SOURCES)):
            return False
        return getattr(self, "kind_" + node.kind.replace(".", "_"))(node, row)

    # -- look-ups

    def rows(self, table, column, value) -> list[dict]:
        return self.snap.by(table, column).get(value, [])

    def one(self, table, column, value):
        return self.snap.one(table, column, value)

    def shopper_carts(self, row) -> list[dict]:
        """A visitor's cart is their checkout; a customer's, their checkouts in the channel."""
        if self.subject == "visitor":
            return [row]
        return [c for c in self.rows("checkout_checkout", "user_id", row["id"])
                if c["channel_id"] == self.channel_id]

    def in_period(self, period, at) -> bool:
        if period is None:
            return True
        if period.last_days is not None:
            return self.now - at <= dt.timedelta(days=period.last_days)
        day = as_day(at)
        return ((period.start is None or period.start <= day)
                and (period.end is None or day <= period.end))

    def variants(self, item) -> list[dict]:
        """The variants an item stands for: its own, or all of its product's."""
        if item["variant_id"] is not None:
            return self.rows("product_productvariant", "id", item["variant_id"])
        return self.rows("product_productvariant", "product_id", item["product_id"])

    def line(self, variant_id, at) -> dict:
        variant = self.one("product_productvariant", "id", variant_id)
        return {"variant_id": variant_id, "at": at,
                "product_id": variant["product_id"] if variant else None}

    # -- customer

    def kind_customer_field(self, node, user):
        return meets(node.cmp, user[CUSTOMER_COLUMNS.get(node.field, node.field)], self.now)

    def kind_customer_attribute(self, node, user):
        attribute = self.one("attribute_attribute", "slug", node.key)
        values = []
        for assigned in self.rows("attribute_assigneduserattributevalue", "user_id", user["id"]):
            value_row = self.one("attribute_attributevalue", "id", assigned["value_id"])
            if attribute is not None and value_row["attribute_id"] == attribute["id"]:
                values.append(attribute_as(value_row, node.cmp.type.name))
        return meets_some(node.cmp, values, self.now)

    def kind_customer_metadata(self, node, user):
        raw = (user[node.source] or {}).get(node.key)
        return meets(node.cmp, metadata_as(raw, node.cmp.type.name), self.now)

    def kind_customer_gift_card_balance(self, node, user):
        today = self.now.astimezone(dt.UTC).date()
        channel = self.one("channel_channel", "id", self.channel_id)
        balance = Decimal(0)
        for card in self.snap.rows["giftcard_giftcard"]:
            owner = card["assigned_to_id"] if card["assigned_to_id"] else card["used_by_id"]
            if (owner == user["id"] and card["is_active"]
                    and (card["expiry_date"] is None or card["expiry_date"] >= today)
                    and channel is not None and card["currency"] == channel["currency_code"]):
                balance += card["current_balance_amount"]
        return meets(node.cmp, balance, self.now)

    # -- addresses

    def kind_address(self, node, user):
        if node.address == "any":
            ids = [link["address_id"]
                   for link in self.rows("account_user_addresses", "user_id", user["id"])]
        else:
            ids = [user[f"{node.address}_address_id"]]
        found = [self.one("account_address", "id", pk) for pk in ids if pk is not None]
        return any(self.group(node.match, a) for a in found if a is not None)

    def kind_address_field(self, node, address):
        return meets(node.cmp, address[node.field], self.now)

    # -- carts

    def kind_cart(self, node, row):
        return any(meets(node.cmp, self.cart_value(node.field, cart), self.now)
                   for cart in self.shopper_carts(row))

    def cart_value(self, field, cart):
        lines = self.rows("checkout_checkoutline", "checkout_id", cart["token"])
        if field == "lines":
            return len(lines)
        if field == "quantity":
            return sum(line["quantity"] for line in lines)
        if field == "tax":
            if cart["total_gross_amount"] is None or cart["total_net_amount"] is None:
                return None
            return cart["total_gross_amount"] - cart["total_net_amount"]
        if field == "gift_cards":
            total = Decimal(0)
            for link in self.rows("checkout_checkout_gift_cards", "checkout_id", cart["token"]):
                total += self.one("giftcard_giftcard", "id",
                                  link["giftcard_id"])["current_balance_amount"]
            return total
        return cart[CART_COLUMNS[field]]

    # -- products (containers over items: one item must meet the group as a whole)

    def kind_products(self, node, row):
        items = [item for item in self.items(node.source, row)
                 if self.in_period(node.period, item["at"])]
        return any(self.group(node.match, item) for item in items) is node.found

    def items(self, source, row) -> list[dict]:
        if source == "cart":
            return [self.line(line["variant_id"], cart["last_change"])
                    for cart in self.shopper_carts(row)
                    for line in self.rows("checkout_checkoutline", "checkout_id", cart["token"])]
        if source == "wishlist":
            return [{"product_id": w["product_id"], "variant_id": w["variant_id"],
                     "at": w["added_at"]}
                    for w in self.rows("saleor_segments_wishlistitem", "customer_id", row["id"])]
        if source == "viewed":
            views = (self.rows("saleor_segments_productview", "checkout_token", row["token"])
                     if self.subject == "visitor" else
                     self.rows("saleor_segments_productview", "customer_id", row["id"]))
            return [{"product_id": v["product_id"], "variant_id": v["variant_id"],
                     "at": v["viewed_at"]} for v in views if v["channel_id"] == self.channel_id]
        return [self.line(line["variant_id"], order["created_at"])
                for order in self.rows("order_order", "user_id", row["id"])
                if order["channel_id"] == self.channel_id and order["status"] not in NOT_ORDERED
                for line in self.rows("order_orderline", "order_id", order["id"])]

    def kind_product_product(self, node, item):
        return meets(node.cmp, item["product_id"], self.now)

    def kind_product_variant(self, node, item):
        return meets(node.cmp, item["variant_id"], self.now)

    def kind_product_sku(self, node, item):
        return meets_some(node.cmp, [v["sku"] for v in self.variants(item)], self.now)

    def kind_product_category(self, node, item):
        product = self.one("product_product", "id", item["product_id"])
        categories = []
        category_id = product["category_id"] if product else None
        while category_id is not None:  # the category, then (by default) those above it
            categories.append(category_id)
            if not node.include_descendants:
                break
            category_id = self.one("product_category", "id", category_id)["parent_id"]
        return meets_some(node.cmp, categories, self.now)

    def kind_product_collection(self, node, item):
        links = self.rows("product_collectionproduct", "product_id", item["product_id"])
        return meets_some(node.cmp, [link["collection_id"] for link in links], self.now)

    def kind_product_product_type(self, node, item):
        product = self.one("product_product", "id", item["product_id"])
        return meets_some(node.cmp, [product["product_type_id"]] if product else [], self.now)

    def kind_product_attribute(self, node, item):
        attribute = self.one("attribute_attribute", "slug", node.attribute)
        assigned = list(self.rows("attribute_assignedproductattributevalue", "product_id",
                                  item["product_id"]))
        for variant in self.variants(item):
            assigned += self.rows("attribute_assignedvariantattributevalue", "variant_id",
                                  variant["id"])
        names = []
        for link in assigned:
            value_row = self.one("attribute_attributevalue", "id", link["value_id"])
            if attribute is not None and value_row["attribute_id"] == attribute["id"]:
                names.append(value_row["name"])
        return meets_some(node.cmp, names, self.now)

    def kind_product_price(self, node, item):
        prices = [listing["price_amount"] for variant in self.variants(item)
                  for listing in self.rows("product_productvariantchannellisting",
                                           "variant_id", variant["id"])
                  if listing["channel_id"] == self.channel_id]
        return meets_some(node.cmp, prices, self.now)

    # -- orders

    def kind_orders(self, node, user):
        orders = [o for o in self.rows("order_order", "user_id", user["id"])
                  if o["channel_id"] == self.channel_id and o["status"] not in NOT_COUNTED
                  and self.in_period(node.period, o["created_at"])
                  and self.group(node.match, o)]
        if node.measure == "count":
            measured = len(orders)
        elif node.measure == "quantity":
            measured = sum(line["quantity"] for o in orders
                           for line in self.rows("order_orderline", "order_id", o["id"]))
        else:
            total = sum((o["total_gross_amount"] for o in orders), Decimal(0))
            if node.measure == "total":
                measured = total
            else:  # no orders: no average (undefined)
                measured = total / len(orders) if orders else None
        return meets(node.cmp, measured, self.now)

    def kind_order_field(self, node, order):
        return meets(node.cmp, order[ORDER_COLUMNS[node.field]], self.now)

    def kind_order_address(self, node, order):
        address = self.one("account_address", "id", order[f"{node.address}_address_id"])
        return address is not None and self.group(node.match, address)

    def kind_order_products(self, node, order):
        items = [self.line(line["variant_id"], None)
                 for line in self.rows("order_orderline", "order_id", order["id"])]
        return any(self.group(node.match, item) for item in items) is node.found

    # -- segments

    def kind_segment(self, node, row):
        if self.subject == "visitor":
            members = self.rows("saleor_segments_visitormembership", "checkout_token",
                                row["token"])
        else:
            members = self.rows("saleor_segments_customermembership", "customer_id", row["id"])
        return meets_some(node.cmp, [m["segment_id"] for m in members], self.now)
