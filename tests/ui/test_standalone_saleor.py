"""Standalone only: the Saleor-shaped read-only API the app's value pickers use without Saleor."""

import base64
import json

import pytest

from saleor_segments.standalone import rows

URL = "/plugins/global/saleor_segments/standalone/saleor-api/"
TOKEN = "picker-token"


@pytest.fixture(autouse=True)
def token(settings):
    settings.SEGMENTS_API_TOKENS = {TOKEN: ["MANAGE_USERS"]}


def post(client, query, variables=None, token=TOKEN):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    response = client.post(URL, json.dumps({"query": query, "variables": variables or {}}),
                           content_type="application/json", **headers)
    return response.status_code, response.json()


def gid(kind, pk):
    return base64.b64encode(f"{kind}:{pk}".encode()).decode()


@pytest.fixture
def catalogue(db):
    rows.insert("channel_channel", id=1, name="Default", slug="default-channel",
                currency_code="USD", is_active=True)
    rows.insert("product_category", id=5, name="Shoes", slug="shoes")
    rows.insert("product_product", id=7, name="Running shoe", slug="running-shoe", category_id=5)
    rows.insert("product_product", id=8, name="Winter coat", slug="winter-coat")
    rows.insert("product_productvariant", id=70, sku="RUN-42", name="42", product_id=7)
    rows.insert("attribute_attribute", id=3, slug="color", name="Color", type="product-type")
    rows.insert("attribute_attribute", id=4, slug="author", name="Author", type="page-type")


def test_search_like_saleor(client, catalogue):
    status, body = post(client, """query($s: String) { products(first: 10, filter: {search: $s}) {
        edges { node { id name } } } channels { id slug } }""", {"s": "shoe"})
    assert status == 200 and "errors" not in body
    assert body["data"]["products"]["edges"] == [{"node": {"id": gid("Product", 7),
                                                           "name": "Running shoe"}}]
    assert body["data"]["channels"] == [{"id": gid("Channel", 1), "slug": "default-channel"}]


def test_lookup_by_ids_variants_and_attribute_types(client, catalogue):
    status, body = post(client, """query($ids: [ID!]) {
        categories(first: 5, filter: {ids: $ids}) { edges { node { name } } }
        productVariants(first: 5, ids: ["%s"]) { edges { node { sku product { name } } } }
        attributes(first: 5, filter: {type: "PRODUCT_TYPE"}) { edges { node { slug } } } }"""
                        % gid("ProductVariant", 70), {"ids": [gid("Category", 5), gid("Product", 5)]})
    assert status == 200 and "errors" not in body, body
    assert body["data"]["categories"]["edges"] == [{"node": {"name": "Shoes"}}]
    assert body["data"]["productVariants"]["edges"] == [
        {"node": {"sku": "RUN-42", "product": {"name": "Running shoe"}}}]
    assert body["data"]["attributes"]["edges"] == [{"node": {"slug": "color"}}]


def test_needs_a_token_and_only_reads(client, catalogue):
    assert post(client, "{ channels { id } }", token=None)[0] == 401
    status, body = post(client, "mutation { x }")
    assert "errors" in body
    assert client.get(URL).status_code == 405
