"""The API under attack or misuse: GET keeps POST's limits, NUL bytes, huge numbers, forged
cursors, bad JSON, a query cost limit, strict parsing, oversized bodies (issue 10)."""

import base64
import json
import logging

import pytest

from saleor_segments import models
from saleor_segments.graphql import execute as api_execute
from saleor_segments.membership.refresh import refresh_segment
from saleor_segments.services.segments import create_segment

from ..factories import (
    CategoryFactory,
    CustomerTypeFactory,
    ProductFactory,
    UserFactory,
)
from ..helpers import EMAIL_SHOP
from .conftest import ADMIN_TOKEN, customer, gid

pytestmark = pytest.mark.django_db

CREATE = """mutation($input: SegmentCreateInput!) { segmentCreate(input: $input) {
  segment { id conditions } errors { field code message } } }"""
DEEP = ("{ segments(first: 1) { edges { node { " + "conditionTree { conditions { " * 8
        + "kind" + " } }" * 8 + " } } } }")


def codes(body):
    return [e.get("extensions", {}).get("exception", {}).get("code") for e in
            body.get("errors", [])]


def assert_clean(status, body):
    """An answer with data or a clean error: never an internal error or a database message."""
    assert "InternalServerError" not in codes(body), body
    assert "PostgreSQL" not in json.dumps(body) and "0x00" not in json.dumps(body), body
    assert status in (200, 400, 413), (status, body)


def get(client, params, token=ADMIN_TOKEN, accept="application/json"):
    response = client.get("/graphql/", params, HTTP_ACCEPT=accept,
                          HTTP_AUTHORIZATION=f"Bearer {token}")
    return response


def create_input(channel, conditions=EMAIL_SHOP, **extra):
    return {"input": {"name": "S", "channel": gid("Channel", channel["id"]),
                      "conditions": json.dumps(conditions), **extra}}


# --- 5: GET -----------------------------------------------------------------------------------

def test_get_keeps_the_limits_of_post(api, client, channel):
    response = get(client, {"query": DEEP})
    assert response.status_code == 400
    assert "nested deeper" in response.json()["errors"][0]["message"]

    response = get(client, {"query": "{ segments(first: 5) { totalCount } }"})
    assert response.status_code == 200
    assert response.json() == {"data": {"segments": {"totalCount": 0}}}

    response = get(client, {"query": "query($s: String) { segments(first: 5, filter: {search: "
                                     "$s}) { totalCount } }",
                            "variables": json.dumps({"s": "a\x00b"})})
    assert_clean(response.status_code, response.json())
    assert "NUL" in response.json()["errors"][0]["message"]

    mutation = 'mutation { segmentDelete(id: "%s") { errors { field } } }' % gid("Segment", 1)
    response = get(client, {"query": mutation})
    assert response.status_code == 405  # no change of state over GET
    assert "POST" in response.json()["errors"][0]["message"]

    response = get(client, {"query": "{ segments(first: 5) { totalCount } }",
                            "variables": "{nope"})
    assert response.status_code == 400 and response.json()["errors"]

    response = get(client, {}, accept="text/html")  # GraphiQL for a browser
    assert response.status_code == 200 and b"graphiql" in response.content.lower()


# --- 6: unhandled errors ------------------------------------------------------------------

def test_nul_bytes_anywhere_get_clean_errors_and_change_nothing(api, channel):
    nul_tree = {"conditions": [{"kind": "customer.field", "field": "email", "operator": "is",
                                "value": "a\x00b"}]}
    cases = [
        (CREATE, create_input(channel, conditions=nul_tree)),
        (CREATE, create_input(channel, name="a\x00")),
        (CREATE, create_input(channel, description="\x00")),
        (CREATE, create_input(channel, conditions={"conditions": [], "k\x00": 1})),
        ("query($s: String) { segments(first: 5, filter: {search: $s}) { totalCount } }",
         {"s": "\x00"}),
        ('{ segments(first: 5, filter: {search: "\\u0000"}) { totalCount } }', None),
        ("query($p: String!) { dynamicBlocks(placement: $p) { id } }", {"p": "home\x00"}),
        ("query($c: String) { relatedProducts(productId: \"%s\", channel: $c) }"
         % gid("Product", 1), {"c": "x\x00"}),
        ("""mutation($c: JSONString) { contentBlockCreate(input: {name: "b", placement: "p",
            content: $c}) { errors { field code message } } }""", {"c": '{"a": "\\u0000"}'}),
    ]
    for query, variables in cases:
        status, body = api.post(query, variables, token=ADMIN_TOKEN)
        assert_clean(status, body)
        assert body.get("errors") or any(
            payload and payload.get("errors") for payload in (body.get("data") or {}).values()
        ), (query, body)
    assert not models.Segment.objects.exists() and not models.ContentBlock.objects.exists()


@pytest.mark.parametrize("number", ["1e131072", "1e-20000", "-1e131072", 1e308])
def test_numbers_evaluation_cannot_take_are_refused(api, channel, number):
    tree = {"conditions": [{"kind": "cart", "field": "total", "operator": "gt",
                            "value": number}]}
    status, body = api.post(CREATE, create_input(channel, conditions=tree,
                                                 applyTo="VISITORS_AND_CUSTOMERS"),
                            token=ADMIN_TOKEN)
    assert_clean(status, body)
    errors = body["data"]["segmentCreate"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("conditions[0].value", "INVALID_VALUE")]
    preview = """query($c: JSONString!, $ch: ID!) { segmentPreview(conditions: $c, channel: $ch)
        { size errors { field code } } }"""
    status, body = api.post(preview, {"c": json.dumps(tree), "ch": gid("Channel", channel["id"])},
                            token=ADMIN_TOKEN)
    assert_clean(status, body)
    assert body["data"]["segmentPreview"]["errors"] == [{"field": "conditions[0].value",
                                                         "code": "INVALID_VALUE"}]
    assert not models.Segment.objects.exists()


def forged(value) -> str:
    return base64.b64encode(json.dumps(value).encode()).decode()


def test_cursors_reused_with_another_sort_or_forged_are_refused(api, channel):
    for name in ("a", "b", "c"):
        create_segment(name=name, channel_id=channel["id"], conditions=EMAIL_SHOP)
    query = """query($after: String, $sort: SegmentSortingInput) { segments(first: 1,
        after: $after, sortBy: $sort) { pageInfo { endCursor } edges { node { name } } } }"""
    status, body = api.post(query, {}, token=ADMIN_TOKEN)
    cursor = body["data"]["segments"]["pageInfo"]["endCursor"]
    status, body = api.post(query, {"after": cursor}, token=ADMIN_TOKEN)
    assert body["data"]["segments"]["edges"] == [{"node": {"name": "b"}}]  # still works

    by_date = {"field": "CREATED_AT", "direction": "ASC"}
    cursors = [cursor, forged([{"a": 1}, 1]), forged([[1], 1]), forged([None, 1]),
               forged([[[[["x"]]]], 1]), forged({"a": 1}), forged(None), forged([1, True]),
               forged(["a", 10 ** 30]), forged("x"), "%%%"]
    for after in cursors:
        status, body = api.post(query, {"after": after, "sort": by_date}, token=ADMIN_TOKEN)
        assert_clean(status, body)
        assert "Invalid cursor" in body["errors"][0]["message"], (after, body)

    user = UserFactory(email="a@shop.com")
    UserFactory(email="b@shop.com")
    segment = models.Segment.objects.get(name="a")
    refresh_segment(segment)
    members = """query($s: ID!, $after: String, $sort: SegmentMemberSortingInput) {
        segmentMembers(segment: $s, first: 1, after: $after, sortBy: $sort) {
        pageInfo { endCursor } edges { node { email } } } }"""
    seg = gid("Segment", segment.pk)
    status, body = api.post(members, {"s": seg, "sort": {"field": "EMAIL", "direction": "ASC"}},
                            token=ADMIN_TOKEN)
    assert body["data"]["segmentMembers"]["edges"] == [{"node": {"email": user["email"]}}]
    email_cursor = body["data"]["segmentMembers"]["pageInfo"]["endCursor"]
    for sort in ("CUSTOMER_SINCE", "JOINED_AT", "CUSTOMER_ID"):
        for after in [email_cursor] + cursors[1:]:
            status, body = api.post(members, {"s": seg, "after": after,
                                              "sort": {"field": sort, "direction": "ASC"}},
                                    token=ADMIN_TOKEN)
            assert_clean(status, body)
            assert body["errors"] and body["data"]["segmentMembers"] is None, (sort, after, body)
    history = """query($s: ID!, $after: String) { segmentMembershipHistory(segment: $s,
        first: 1, after: $after) { totalCount } }"""
    for after in cursors:
        status, body = api.post(history, {"s": seg, "after": after}, token=ADMIN_TOKEN)
        assert_clean(status, body)
        assert "Invalid cursor" in body["errors"][0]["message"], (after, body)


BLOCK = """mutation($c: JSONString) { contentBlockCreate(input: {name: "b", placement: "home",
  content: $c}) { contentBlock { content } errors { field code message } } }"""


@pytest.mark.parametrize("content", ['{"a": NaN}', '{"a": Infinity}', '[-Infinity]',
                                     '{"a": 1e999}', '{"a\\u0000": 1}', '"\\u0000"',
                                     "[" * 5000 + "]" * 5000])
def test_content_blocks_refuse_json_the_database_cannot_store(api, content):
    status, body = api.post(BLOCK, {"c": content}, token=ADMIN_TOKEN)
    assert_clean(status, body)
    assert body.get("errors") or body["data"]["contentBlockCreate"]["errors"], body
    assert not models.ContentBlock.objects.exists()
    literal = BLOCK.replace("$c", json.dumps(content)).replace(
        "mutation(: JSONString)", "mutation")
    status, body = api.post(literal, token=ADMIN_TOKEN)
    assert_clean(status, body)
    assert not models.ContentBlock.objects.exists()


def test_content_blocks_keep_valid_json(api):
    status, body = api.post(BLOCK, {"c": '{"title": "Hi", "n": [1, 2.5, null]}'},
                            token=ADMIN_TOKEN)
    block = body["data"]["contentBlockCreate"]
    assert block["errors"] == [] and json.loads(block["contentBlock"]["content"]) == {
        "title": "Hi", "n": [1, 2.5, None]}


RULE = """mutation($input: RelatedProductRuleInput!) { relatedProductRuleCreate(input: $input) {
  rule { id appliesTo show } errors { field code message } } }"""


def test_related_rules_store_the_normalised_tree(api, channel):
    tree = {"evil": {"x": 1}, "conditions": [
        {"kind": "product.product", "operator": "is", "value": "UHJvZHVjdDo3", "junk": "x"}]}
    status, body = api.post(RULE, {"input": {
        "name": "r", "channel": gid("Channel", channel["id"]), "appliesTo": json.dumps(tree),
        "show": json.dumps(tree)}}, token=ADMIN_TOKEN)
    result = body["data"]["relatedProductRuleCreate"]
    assert result["errors"] == []
    rule = models.RelatedProductRule.objects.get()
    expected = {"version": 1, "aggregator": "all", "expected": True, "conditions": [
        {"kind": "product.product", "operator": "is", "value": 7}]}
    assert rule.applies_to == expected and rule.show == expected


# --- 2: IDs evaluation cannot take --------------------------------------------------------

@pytest.mark.parametrize("value", [3000000000, 2 ** 31, "2147483648", 0, "0", -1, "\u0661",
                                   "1_0", " 1"])
def test_ids_out_of_range_or_not_ascii_digits_are_refused(api, channel, value):
    cases = [
        ({"conditions": [{"kind": "customer.field", "field": "customer_type", "operator": "is",
                          "value": value}]}, "CUSTOMERS", "conditions[0].value"),
        ({"conditions": [{"kind": "products", "source": "viewed", "conditions": [
            {"kind": "product.product", "operator": "in", "value": [1, value]}]}]},
         "VISITORS", "conditions[0].conditions[0].value"),
        ({"conditions": [{"kind": "segment", "operator": "is", "value": value}]},
         "CUSTOMERS", "conditions[0].value"),
    ]
    for tree, apply_to, field in cases:
        status, body = api.post(CREATE, create_input(channel, conditions=tree, applyTo=apply_to),
                                token=ADMIN_TOKEN)
        errors = body["data"]["segmentCreate"]["errors"]
        assert [(e["field"], e["code"]) for e in errors] == [(field, "INVALID_VALUE")], (tree,
                                                                                         body)
    product_tree = json.dumps({"conditions": [{"kind": "product.category", "operator": "is",
                                               "value": value}]})
    status, body = api.post(RULE, {"input": {
        "name": "r", "channel": gid("Channel", channel["id"]), "appliesTo": product_tree,
        "show": product_tree}}, token=ADMIN_TOKEN)
    fields = [e["field"] for e in body["data"]["relatedProductRuleCreate"]["errors"]]
    assert fields == ["appliesTo.conditions[0].value", "show.conditions[0].value"]
    assert not models.Segment.objects.exists() and not models.RelatedProductRule.objects.exists()


def test_the_largest_id_is_accepted(api, channel):
    CustomerTypeFactory()
    tree = {"conditions": [{"kind": "customer.field", "field": "customer_type",
                            "operator": "is", "value": 2 ** 31 - 1}]}
    status, body = api.post(CREATE, create_input(channel, conditions=tree), token=ADMIN_TOKEN)
    assert body["data"]["segmentCreate"]["errors"] == []


def test_one_bad_related_rule_does_not_break_related_products(api, channel, caplog):
    shoes = CategoryFactory(name="Shoes")
    boot, other = ProductFactory(category_id=shoes["id"]), ProductFactory(category_id=shoes["id"])
    good = {"version": 1, "conditions": [{"kind": "product.category", "operator": "is",
                                          "value": shoes["id"]}]}
    bad = {"version": 1, "conditions": [{"kind": "product.product", "operator": "is",
                                         "value": 3000000000}]}  # stored before validation
    models.RelatedProductRule.objects.create(name="bad", channel_id=channel["id"], priority=10,
                                             applies_to=good, show=bad, limit=5)
    models.RelatedProductRule.objects.create(name="broken", channel_id=channel["id"],
                                             priority=9, applies_to={"conditions": "x"},
                                             show=good, limit=5)
    models.RelatedProductRule.objects.create(name="good", channel_id=channel["id"], priority=1,
                                             applies_to=good, show=good, limit=5)
    query = "query($p: ID!) { relatedProducts(productId: $p, first: 4) }"
    with caplog.at_level(logging.ERROR):
        result = api.as_requestor(query, {"p": gid("Product", boot["id"])},
                                  requestor=customer(UserFactory()["id"]))
    assert result == {"data": {"relatedProducts": [gid("Product", other["id"])]}}
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "bad" in logged and "broken" in logged


# --- 7: bulk delete -----------------------------------------------------------------------

def test_bulk_delete_counts_every_deleted_segment(api, channel):
    ids = [gid("Segment", create_segment(name=n, channel_id=channel["id"],
                                         conditions=EMAIL_SHOP).pk) for n in "abc"]
    status, body = api.post("mutation($ids: [ID!]!) { segmentBulkDelete(ids: $ids) { count "
                            "errors { field } } }", {"ids": ids + ids[:1]}, token=ADMIN_TOKEN)
    assert body["data"]["segmentBulkDelete"] == {"count": 3, "errors": []}
    assert not models.Segment.objects.exists()


# --- 8: query cost ------------------------------------------------------------------------

def cost_error(body):
    (error,) = body["errors"]
    assert error["extensions"]["exception"]["code"] == "QueryCostError", error
    return error


def test_a_query_cost_limit_holds_across_aliases(api, channel):
    segment = create_segment(name="a", channel_id=channel["id"], conditions=EMAIL_SHOP)
    tree = json.dumps(json.dumps(EMAIL_SHOP))
    chan = gid("Channel", channel["id"])
    previews = " ".join(f'p{i}: segmentPreview(conditions: {tree}, channel: "{chan}") {{ size }}'
                        for i in range(1000))
    status, body = api.post("{ %s }" % previews, token=ADMIN_TOKEN)
    error = cost_error(body)
    assert status == 400 and "data" not in body
    limit = api_execute.MAX_QUERY_COST
    assert f"maximum cost of {limit}" in error["message"]
    cost = error["extensions"]["cost"]
    assert cost["maximumAvailable"] == limit
    assert cost["requestedQueryCost"] > limit
    assert str(cost["requestedQueryCost"]) in error["message"]

    seg = gid("Segment", segment.pk)
    pages = " ".join(f'm{i}: segmentMembers(segment: "{seg}", first: 100) {{ edges {{ node {{ '
                     "customerId email } } }" for i in range(1000))
    status, body = api.post("{ %s }" % pages, token=ADMIN_TOKEN)
    cost_error(body)
    page = """query($f: Int) { segmentMembers(segment: "%s", first: $f) { totalCount edges {
        node { customerId email } } } }""" % seg
    status, body = api.post(page, {"f": 100}, token=ADMIN_TOKEN)  # one page: fine
    assert "errors" not in body, body
    variables_pages = "query($f: Int) { " + " ".join(
        f'm{i}: segmentMembers(segment: "{seg}", first: $f) {{ edges {{ node {{ email }} }} }}'
        for i in range(100)) + " }"
    status, body = api.post(variables_pages, {"f": 100}, token=ADMIN_TOKEN)  # first from $f
    cost_error(body)
    status, body = api.post(variables_pages, {"f": 1}, token=ADMIN_TOKEN)
    assert "errors" not in body, body

    fragment = ("query { ...F } fragment F on Query { " + " ".join(
        f"s{i}: segmentExplain(segment: \"{seg}\", customer: \"{gid('User', 1)}\") {{ matches }}"
        for i in range(200)) + " }")
    status, body = api.post(fragment, token=ADMIN_TOKEN)
    cost_error(body)


def test_the_dashboard_list_fits_the_cost_limit(api, channel):
    query = """{ segments(first: 100) { totalCount pageInfo { endCursor } edges { node {
        id name status applyTo memberCount lastRefreshedAt channel { name }
        lastRefresh { status finishedAt } } } } }"""
    status, body = api.post(query, token=ADMIN_TOKEN)
    assert "errors" not in body, body


# --- 9: strict parsing --------------------------------------------------------------------

def test_strict_parsing(api, channel):
    status, body = api.post(CREATE, create_input(channel, conditions={
        "version": True, "conditions": []}), token=ADMIN_TOKEN)
    assert [(e["field"], e["code"]) for e in body["data"]["segmentCreate"]["errors"]] == [
        ("version", "UNSUPPORTED_VERSION")]
    for date in ("20240101", "2024-W01-1", "2024-001", "2024-01-01T00:00", "٢٠٢٤-٠١-٠١"):
        tree = {"conditions": [{"kind": "customer.field", "field": "date_joined",
                                "operator": "is", "value": date}]}
        status, body = api.post(CREATE, create_input(channel, conditions=tree),
                                token=ADMIN_TOKEN)
        errors = body["data"]["segmentCreate"]["errors"]
        assert [(e["field"], e["message"]) for e in errors] == [
            ("conditions[0].value", "expected a date as YYYY-MM-DD")], date
    for bad in ("\u0661", " 1", "1_0", "+1", "2147483648"):
        status, body = api.post("query($id: ID!) { segment(id: $id) { name } }",
                                {"id": base64.b64encode(f"Segment:{bad}".encode()).decode()},
                                token=ADMIN_TOKEN)
        assert_clean(status, body)
        assert "Couldn't resolve to a Segment" in body["errors"][0]["message"], bad
    assert not models.Segment.objects.exists()


@pytest.mark.parametrize("budget", [-5, 0])
def test_time_budget_must_be_positive(api, channel, budget):
    query = """query($c: JSONString!, $ch: ID!, $b: Int) { segmentPreview(conditions: $c,
        channel: $ch, timeBudgetMs: $b) { size errors { field code message } } }"""
    status, body = api.post(query, {"c": json.dumps(EMAIL_SHOP),
                                    "ch": gid("Channel", channel["id"]), "b": budget},
                            token=ADMIN_TOKEN)
    errors = body["data"]["segmentPreview"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("timeBudgetMs", "INVALID")]
    assert "between 1 and 30000" in errors[0]["message"]


def test_a_huge_body_gets_the_json_413(client):
    body = b'{"query": "' + b"x" * 20_000_000 + b'"}'
    response = client.post("/graphql/", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["errors"][0]["message"] == "Request body exceeds maximum size."


def test_nul_in_a_customer_s_channel_slug_on_tracking(api, channel):
    product = ProductFactory()
    result = api.as_requestor("""mutation($c: String) { trackProductView(productId: "%s",
        channel: $c) { recorded errors { field } } }""" % gid("Product", product["id"]),
                              {"c": "x\x00"}, requestor=customer(UserFactory()["id"]))
    assert_clean(200, result)
    assert "NUL" in result["errors"][0]["message"]
    assert not models.ProductView.objects.exists()


def test_text_longer_than_its_column_gets_a_field_error(api, channel):
    long = "x" * 256
    status, body = api.post(CREATE, create_input(channel, name=long), token=ADMIN_TOKEN)
    assert body["data"]["segmentCreate"]["errors"] == [
        {"field": "name", "code": "INVALID", "message": "At most 255 characters."}]
    segment = create_segment(name="S", channel_id=channel["id"], conditions=EMAIL_SHOP)
    status, body = api.post("""mutation($id: ID!, $n: String) { segmentUpdate(id: $id,
        input: {name: $n}) { errors { field code } } }""", {"id": gid("Segment", segment.pk),
                                                             "n": long}, token=ADMIN_TOKEN)
    assert body["data"]["segmentUpdate"]["errors"] == [{"field": "name", "code": "INVALID"}]
    block = """mutation($input: ContentBlockInput!) { contentBlockCreate(input: $input) {
        errors { field } } }"""
    for name, placement, field in ((long, "home", "name"), ("b", "p" * 101, "placement")):
        status, body = api.post(block, {"input": {"name": name, "placement": placement}},
                                token=ADMIN_TOKEN)
        assert body["data"]["contentBlockCreate"]["errors"] == [{"field": field}]
    status, body = api.post(RULE, {"input": {"name": long, "channel": gid("Channel",
                                                                          channel["id"])}},
                            token=ADMIN_TOKEN)
    assert [e["field"] for e in body["data"]["relatedProductRuleCreate"]["errors"]] == ["name"]
    assert models.Segment.objects.get().name == "S"
    assert not models.ContentBlock.objects.exists()
    assert not models.RelatedProductRule.objects.exists()


def test_a_rule_failing_in_the_database_is_skipped_and_the_transaction_goes_on(
        api, channel, caplog, monkeypatch):
    from saleor_segments.targeting import related

    shoes = CategoryFactory(name="Shoes")
    boot, other = ProductFactory(category_id=shoes["id"]), ProductFactory(category_id=shoes["id"])
    good = {"version": 1, "conditions": [{"kind": "product.category", "operator": "is",
                                          "value": shoes["id"]}]}
    failing = {**good, "aggregator": "any"}  # told apart below
    models.RelatedProductRule.objects.create(name="failing", channel_id=channel["id"],
                                             priority=10, applies_to=good, show=failing, limit=5)
    models.RelatedProductRule.objects.create(name="good", channel_id=channel["id"], priority=1,
                                             applies_to=good, show=good, limit=5)
    where = related._where
    monkeypatch.setattr(related, "_where", lambda data, channel_id: (
        ("(1 / 0 = 1)", []) if data.get("aggregator") == "any" else where(data, channel_id)))
    with caplog.at_level(logging.ERROR):
        assert related.related_products(boot["id"], first=4) == [other["id"]]
    assert "failing" in " ".join(r.getMessage() for r in caplog.records)
