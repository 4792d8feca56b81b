"""The SQL shapes the planner depends on (see README, Performance)."""

from saleor_segments.conditions import parse_tree
from saleor_segments.conditions.operators import NOW
from saleor_segments.evaluation.compile import bind, shopper_query

TREE = parse_tree({"aggregator": "any", "conditions": [
    {"kind": "address", "conditions": [
        {"kind": "address.field", "field": "city", "operator": "is", "value": "Paris"}]},
    {"kind": "orders", "measure": "count", "operator": "gte", "value": 2, "conditions": [
        {"kind": "order.products", "conditions": [
            {"kind": "product.sku", "operator": "is", "value": "A-1"}]}]}]})


def test_set_mode_relates_rows_with_uncorrelated_subqueries():
    sql, params = shopper_query(TREE, 1, "customer")
    assert sql.startswith("SELECT u.id AS shopper FROM account_user u WHERE NOT u.is_staff AND")
    assert "u.id IN (SELECT a1ua.user_id FROM account_user_addresses" in sql
    assert "u.id IN (SELECT o2.user_id FROM order_order o2" in sql and "GROUP BY o2.user_id" in sql
    # an order's lines are looked up per order, fenced against being hashed whole
    assert "OFFSET 0)" in sql
    assert "%s" in sql and "Paris" not in sql and "paris" in params  # values are parameters


def test_single_mode_correlates_by_index():
    sql, _ = shopper_query(TREE, 1, "customer", single=True)
    assert " IN (SELECT" not in sql
    assert "EXISTS (SELECT 1 FROM account_user_addresses" in sql
    assert "AND o2.user_id = u.id)" in sql


def test_now_is_bound_at_execution():
    tree = parse_tree({"conditions": [{"kind": "customer.field", "field": "date_joined",
                                       "operator": "in_last_days", "value": 7}]})
    _, params = shopper_query(tree, 1, "customer")
    assert NOW in params
    assert "2026-01-01" in bind(params, "2026-01-01")
