"""Saleor's own GraphQL mutations, with the plugin enabled, move shoppers between segments."""

import graphene
import pytest

from saleor.graphql.tests.utils import get_graphql_content
from saleor_segments.models import CustomerMembership, VisitorMembership
from saleor_segments.services import create_segment

pytestmark = [pytest.mark.saleor_contract, pytest.mark.django_db]
PLUGIN_PATH = "saleor_segments.host.plugin.CustomerSegmentsPlugin"

LINES_ADD = """
mutation add($id: ID, $lines: [CheckoutLineInput!]!) {
  checkoutLinesAdd(id: $id, lines: $lines) {
    checkout { token quantity lines { id } }
    errors { field code message }
  }
}"""
LINES_DELETE = """
mutation remove($id: ID, $linesIds: [ID!]!) {
  checkoutLinesDelete(id: $id, linesIds: $linesIds) {
    checkout { token quantity }
    errors { field code message }
  }
}"""
BIG_CART = {"conditions": [{"kind": "cart", "field": "quantity", "operator": "gte", "value": 2}]}


def checkout_id(checkout):
    return graphene.Node.to_global_id("Checkout", checkout.pk)


def test_cart_lines_move_a_customer_in_and_out(settings, user_api_client, checkout, stock,
                                                django_capture_on_commit_callbacks):
    # given: the customer's checkout and a cart-based segment
    settings.PLUGINS = [PLUGIN_PATH]
    checkout.user = user_api_client.user
    checkout.email = checkout.user.email
    checkout.save(update_fields=["user", "email"])
    segment = create_segment(name="big cart", channel_id=checkout.channel_id,
                             conditions=BIG_CART)
    variant_id = graphene.Node.to_global_id("ProductVariant", stock.product_variant.pk)
    member = CustomerMembership.objects.filter(segment=segment, customer_id=checkout.user_id)

    # when: two items go into the cart
    with django_capture_on_commit_callbacks(execute=True):
        response = user_api_client.post_graphql(LINES_ADD, {
            "id": checkout_id(checkout), "lines": [{"variantId": variant_id, "quantity": 2}]})
    data = get_graphql_content(response)["data"]["checkoutLinesAdd"]
    assert data["errors"] == []
    assert member.exists()

    # when: they are removed again
    with django_capture_on_commit_callbacks(execute=True):
        response = user_api_client.post_graphql(LINES_DELETE, {
            "id": checkout_id(checkout), "linesIds": [line["id"] for line in data["checkout"][
                "lines"]]})
    assert get_graphql_content(response)["data"]["checkoutLinesDelete"]["errors"] == []
    assert not member.exists()


def test_anonymous_checkout_joins_a_visitor_segment(settings, api_client, checkout, stock,
                                                     django_capture_on_commit_callbacks):
    settings.PLUGINS = [PLUGIN_PATH]
    segment = create_segment(name="visitors", channel_id=checkout.channel_id,
                             apply_to="visitors", conditions=BIG_CART)
    variant_id = graphene.Node.to_global_id("ProductVariant", stock.product_variant.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post_graphql(LINES_ADD, {
            "id": checkout_id(checkout), "lines": [{"variantId": variant_id, "quantity": 3}]})
    assert get_graphql_content(response)["data"]["checkoutLinesAdd"]["errors"] == []
    assert VisitorMembership.objects.filter(segment=segment,
                                            checkout_token=checkout.token).exists()
