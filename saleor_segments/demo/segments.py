"""The demo's example segments, including the seed document's "women in Los Angeles"."""


def field(kind, name, operator, value=None, **extra):
    return {"kind": kind, "field": name, "operator": operator, "value": value, **extra}


def example_segments(ids: dict) -> list[dict]:
    cats = ids["categories"]
    return [
        {"name": "Women in Los Angeles", "description": "The seed example: gender is female "
         "and an address in Los Angeles, California.", "conditions": {"conditions": [
             {"kind": "customer.attribute", "attribute": "gender", "type": "string",
              "operator": "is", "value": "Female"},
             {"kind": "address", "address": "any", "conditions": [
                 field("address.field", "city", "contains", "Los Angeles"),
                 field("address.field", "country_area", "is", "CA")]}]}},
        {"name": "Loyal big spenders", "description": "3+ non-cancelled orders worth 150+ in "
         "the last 365 days.", "conditions": {"conditions": [
             {"kind": "orders", "measure": "count", "operator": "gte", "value": 3,
              "period": {"last_days": 365}, "conditions": [
                  field("order.field", "status", "not_in", ["canceled", "returned"]),
                  field("order.field", "total", "gte", 150)]}]}},
        {"name": "Big carts", "description": "An open cart of 250 or more.",
         "apply_to": "visitors_and_customers", "conditions": {"conditions": [
             field("cart", "subtotal", "gte", 250)]}},
        {"name": "Sneaker fans", "description": "Viewed or ordered sneakers in the last 90 "
         "days.", "conditions": {"aggregator": "any", "conditions": [
             {"kind": "products", "source": source, "period": {"last_days": 90},
              "conditions": [{"kind": "product.category", "operator": "is",
                              "value": cats["Sneakers"]}]} for source in ("viewed", "ordered")]}},
        {"name": "Visitors browsing books", "apply_to": "visitors", "conditions": {
            "conditions": [{"kind": "products", "source": "viewed", "conditions": [
                {"kind": "product.category", "operator": "is", "value": cats["Books"]}]}]}},
        {"name": "Lapsed VIPs", "description": "VIP customers without an order in 180 days.",
         "conditions": {"conditions": [
             field("customer.field", "customer_type", "is", ids["vip"]),
             {"kind": "orders", "measure": "count", "operator": "is", "value": 0,
              "period": {"last_days": 180}, "conditions": []}]}},
        {"name": "Born in the 1990s", "conditions": {"conditions": [
            {"kind": "customer.metadata", "key": "birthday", "type": "date",
             "operator": "between", "value": ["1990-01-01", "1999-12-31"]}]}},
    ]
