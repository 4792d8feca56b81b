"""Every GraphQL class is written out (grep finds ``class ContentBlockUpdate``), none made
with ``type()``."""

import ast
from pathlib import Path

GRAPHQL = Path(__file__).resolve().parents[2] / "saleor_segments" / "graphql"


def test_no_class_is_generated_with_type():
    generated = []
    for path in GRAPHQL.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "type" and len(node.args) == 3):
                generated.append(f"{path.relative_to(GRAPHQL)}:{node.lineno}")
    assert generated == []


def test_content_mutations_are_one_file_each():
    names = {p.stem for p in (GRAPHQL / "content" / "mutations").glob("*.py")}
    assert {"content_block_create", "content_block_update", "content_block_delete",
            "related_product_rule_create", "related_product_rule_update",
            "related_product_rule_delete"} <= names
    for part in ("types.py", "inputs.py", "queries.py", "schema.py"):
        assert (GRAPHQL / "content" / part).exists()


def test_each_domain_is_split_into_types_queries_and_mutations():
    for domain in ("content", "discounts", "fields", "segments", "storefront"):
        folder = GRAPHQL / domain
        parts = {p.stem for p in folder.iterdir()}
        assert {"types", "queries", "mutations"} <= parts, domain
