"""Condition trees exactly as the API returns them (``Segment.conditions``: the engine's
normalised JSON) for the demo's segments and a sample of every kind, written to the fixture the
builder's unit tests load (dashboard-app/test/fixtures/api-trees.json)."""

import json
from pathlib import Path

from saleor_segments.conditions import ApplyTo, ValidationContext, parse_tree, tree_json
from saleor_segments.demo.segments import example_segments

FIXTURE = Path(__file__).resolve().parents[2] / "dashboard-app/test/fixtures/api-trees.json"
IDS = {"categories": {"Sneakers": 11, "Books": 12}, "vip": 3}

EXTRA = [  # kinds and shapes the demo does not use
    {"aggregator": "any", "expected": False, "conditions": [
        {"kind": "customer.metadata", "key": "gender", "source": "private_metadata",
         "type": "string", "operator": "in", "value": ["female", "f"]},
        {"kind": "customer.gift_card_balance", "operator": "between", "value": [10, 99.5]},
        {"kind": "customer.field", "field": "date_joined", "operator": "in_last_days",
         "value": 30},
        {"kind": "customer.field", "field": "is_confirmed", "operator": "undefined",
         "value": False},
        {"kind": "group", "aggregator": "all", "expected": True, "conditions": [
            {"kind": "segment", "operator": "is_not", "value": 7},
            {"kind": "cart", "field": "voucher_code", "operator": "contains", "value": "VIP"}]},
        {"kind": "products", "source": "wishlist", "found": False, "period": {
            "from": "2026-01-01", "to": "2026-02-01"}, "conditions": [
            {"kind": "product.attribute", "attribute": "color", "operator": "is",
             "value": "red"},
            {"kind": "product.price", "operator": "lt", "value": 20},
            {"kind": "product.sku", "operator": "not_contains", "value": "X-"},
            {"kind": "product.variant", "operator": "in", "value": [5, 6]},
            {"kind": "product.product", "operator": "is", "value": 4},
            {"kind": "product.product_type", "operator": "is", "value": 2},
            {"kind": "product.collection", "operator": "not_in", "value": [9]},
            {"kind": "product.category", "operator": "is", "value": 1,
             "include_descendants": False}]},
        {"kind": "orders", "measure": "average", "operator": "gt", "value": 50, "conditions": [
            {"kind": "order.address", "address": "shipping", "conditions": [
                {"kind": "address.field", "field": "country", "operator": "in",
                 "value": ["US", "CA"]}]},
            {"kind": "order.products", "found": True, "conditions": [
                {"kind": "product.sku", "operator": "is", "value": "GIFT"}]}]}]},
]


def api_trees() -> list:
    context = ValidationContext(apply_to=ApplyTo.VISITORS_AND_CUSTOMERS, declared_fields=None)
    customers = ValidationContext(apply_to=ApplyTo.CUSTOMERS, declared_fields=None)
    trees = []
    for definition in [s["conditions"] for s in example_segments(IDS)] + EXTRA:
        try:
            tree = parse_tree(definition, context)
        except Exception:  # noqa: BLE001 - kinds for registered customers only
            tree = parse_tree(definition, customers)
        trees.append(tree_json(tree))
    return trees


if __name__ == "__main__":  # python -m tests.ui.api_trees (with DJANGO_SETTINGS_MODULE)
    import django

    django.setup()
    FIXTURE.write_text(json.dumps(api_trees(), indent=1, sort_keys=True) + "\n")
