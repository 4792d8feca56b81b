"""The plugin's GraphQL API inside real Saleor, with Saleor's own tokens and permissions."""

import json

import graphene
import pytest

from saleor_segments.models import Segment

pytestmark = [pytest.mark.saleor_contract, pytest.mark.django_db]
PLUGIN_PATH = "saleor_segments.host.plugin.CustomerSegmentsPlugin"
URL = "/plugins/global/saleor_segments/graphql/"

TOKEN_CREATE = """mutation($email: String!, $password: String!) {
  tokenCreate(email: $email, password: $password) { token errors { field message } } }"""
CREATE = """mutation($input: SegmentCreateInput!) { segmentCreate(input: $input) {
  segment { id name memberCount } errors { field code message } } }"""
REFRESH = """mutation($id: ID!) { segmentRefresh(id: $id) { refresh { id status }
  errors { code } } }"""
MEMBERS = """query($id: ID!) { segmentMembers(segment: $id, first: 10) { totalCount
  edges { node { customerId email country } } } }"""
EVERYONE = json.dumps({"conditions": [{"kind": "customer.field", "field": "email",
                                       "operator": "contains", "value": "@example.com"}]})


def saleor_token(api_client, email, password):
    from saleor.graphql.tests.utils import get_graphql_content

    content = get_graphql_content(api_client.post_graphql(TOKEN_CREATE, {
        "email": email, "password": password}))
    assert content["data"]["tokenCreate"]["errors"] == []
    return content["data"]["tokenCreate"]["token"]


def post(client, query, variables=None, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    response = client.post(URL, data=json.dumps({"query": query, "variables": variables or {}}),
                           content_type="application/json", **headers)
    return response.status_code, response.json()


def test_staff_token_from_token_create_manages_segments_and_lists_members(
        settings, client, api_client, staff_user, permission_manage_users, customer_user,
        channel_USD, django_capture_on_commit_callbacks):
    settings.PLUGINS = [PLUGIN_PATH]
    staff_user.user_permissions.add(permission_manage_users)
    token = saleor_token(api_client, staff_user.email, "password")

    channel = graphene.Node.to_global_id("Channel", channel_USD.pk)
    status, body = post(client, CREATE, {"input": {"name": "Example customers",
                                                   "channel": channel,
                                                   "conditions": EVERYONE}}, token)
    assert status == 200 and body["data"]["segmentCreate"]["errors"] == [], body
    segment_id = body["data"]["segmentCreate"]["segment"]["id"]

    with django_capture_on_commit_callbacks(execute=True):
        status, body = post(client, REFRESH, {"id": segment_id}, token)
    assert body["data"]["segmentRefresh"]["errors"] == [], body
    status, body = post(client, MEMBERS, {"id": segment_id}, token)
    members = body["data"]["segmentMembers"]
    assert members["totalCount"] >= 1
    customer = {"customerId": graphene.Node.to_global_id("User", customer_user.pk),
                "email": customer_user.email,
                "country": customer_user.default_billing_address.country.code}
    assert customer in [e["node"] for e in members["edges"]]

    bad = json.dumps({"conditions": [{"kind": "cart", "field": "total", "operator": "gt",
                                      "value": "lots"}]})
    status, body = post(client, CREATE, {"input": {"name": "Bad", "channel": channel,
                                                   "conditions": bad}}, token)
    assert body["data"]["segmentCreate"]["errors"][0]["field"] == "conditions[0].value"
    assert list(Segment.objects.values_list("name", flat=True)) == ["Example customers"]


def test_customer_token_and_staff_without_permission_are_denied(
        settings, client, api_client, customer_user, staff_user, channel_USD):
    settings.PLUGINS = [PLUGIN_PATH]
    channel = graphene.Node.to_global_id("Channel", channel_USD.pk)
    for user, password in ((customer_user, customer_user._password), (staff_user, "password")):
        token = saleor_token(api_client, user.email, password)
        status, body = post(client, CREATE, {"input": {"name": "Nope", "channel": channel,
                                                       "conditions": EVERYONE}}, token)
        assert body["data"]["segmentCreate"] is None
        assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
        status, body = post(client, "{ segments(first: 5) { totalCount } }", token=token)
        assert body["data"]["segments"] is None
    status, body = post(client, "{ segments(first: 5) { totalCount } }")  # anonymous
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    status, body = post(client, "{ segments(first: 5) { totalCount } }", token="not-a-jwt")
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert Segment.objects.count() == 0


def test_app_token_with_manage_users(settings, client, app, permission_manage_users):
    from saleor.app.models import AppToken

    settings.PLUGINS = [PLUGIN_PATH]
    _, raw = AppToken.objects.create(app=app)
    status, body = post(client, "{ segments(first: 5) { totalCount } }", token=raw)
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    app.permissions.add(permission_manage_users)
    status, body = post(client, "{ segments(first: 5) { totalCount } }", token=raw)
    assert body == {"data": {"segments": {"totalCount": 0}}}


def test_storefront_mutations_with_a_customer_token(settings, client, api_client,
                                                    customer_user, product, channel_USD):
    settings.PLUGINS = [PLUGIN_PATH]
    token = saleor_token(api_client, customer_user.email, customer_user._password)
    product_id = graphene.Node.to_global_id("Product", product.pk)
    status, body = post(client, """mutation($p: ID!, $c: String) {
        trackProductView(productId: $p, channel: $c) { recorded errors { field } }
        wishlistAdd(productId: $p) { wishlist { productId } } }""",
                        {"p": product_id, "c": channel_USD.slug}, token)
    assert body["data"]["trackProductView"] == {"recorded": True, "errors": []}, body
    assert body["data"]["wishlistAdd"]["wishlist"] == [{"productId": product_id}]
    status, body = post(client, "{ wishlist { productId } }")
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


def test_discount_restrictions_need_manage_discounts(
        settings, client, api_client, staff_user, permission_manage_users,
        permission_manage_discounts, order_promotion_with_rule, voucher, channel_USD):
    from saleor_segments.services.segments import create_segment
    from saleor_segments.targeting import discounts

    settings.PLUGINS = [PLUGIN_PATH]
    segment = create_segment(name="VIP", channel_id=channel_USD.pk, conditions=json.loads(
        EVERYONE))
    mutation = """mutation($p: ID!, $v: ID!, $s: [ID!]!) {
        promotionSegmentsSet(promotion: $p, segments: $s) { restricted errors { code } }
        voucherSegmentsSet(voucher: $v, segments: $s) { restricted errors { code } } }"""
    variables = {"p": graphene.Node.to_global_id("Promotion", order_promotion_with_rule.pk),
                 "v": graphene.Node.to_global_id("Voucher", voucher.pk),
                 "s": [graphene.Node.to_global_id("Segment", segment.pk)]}
    staff_user.user_permissions.add(permission_manage_users)
    token = saleor_token(api_client, staff_user.email, "password")
    status, body = post(client, mutation, variables, token)
    assert body["data"]["promotionSegmentsSet"] is None
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"

    staff_user.user_permissions.add(permission_manage_discounts)
    status, body = post(client, mutation, variables, token)
    assert body["data"] == {"promotionSegmentsSet": {"restricted": True, "errors": []},
                            "voucherSegmentsSet": {"restricted": True, "errors": []}}, body
    assert discounts.restriction("voucher", voucher.pk) == (segment.pk,)
    status, body = post(client, """query($p: ID!) { discountSegmentDryRun(promotion: $p) {
        restricted eligibleCustomers customers } }""", {"p": variables["p"]}, token)
    assert body["data"]["discountSegmentDryRun"]["restricted"] is True
