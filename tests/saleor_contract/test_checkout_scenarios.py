"""Saleor's own GraphQL mutations, with the plugin enabled, move shoppers between segments."""

import graphene
import pytest
from saleor.graphql.tests.utils import get_graphql_content

from saleor_segments.models import CustomerMembership, VisitorMembership
from saleor_segments.services.segments import create_segment

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


CHECKOUT_COMPLETE = """
mutation complete($id: ID) {
  checkoutComplete(id: $id) { order { id } errors { field code message } }
}"""
ATTACH = """
mutation attach($id: ID) {
  checkoutCustomerAttach(id: $id) { checkout { token } errors { field code message } }
}"""


def test_completed_checkout_moves_the_customer_into_an_order_segment(
        settings, user_api_client, customer_user, checkout_with_gift_card, payment_dummy,
        address, checkout_delivery, django_capture_on_commit_callbacks):
    from saleor.checkout import calculations
    from saleor.checkout.fetch import fetch_checkout_info, fetch_checkout_lines
    from saleor.plugins.manager import get_plugins_manager

    from saleor_segments.membership.check import check_customer

    settings.PLUGINS = [PLUGIN_PATH, "saleor.plugins.tests.gateways.dummy.DummyGatewayPlugin"]
    payment_dummy.order.user = None  # the fixture's earlier order is someone else's
    payment_dummy.order.save(update_fields=["user"])
    checkout = checkout_with_gift_card
    checkout.user = customer_user
    checkout.shipping_address = checkout.billing_address = address
    checkout.assigned_delivery = checkout_delivery(checkout)
    checkout.save()
    segment = create_segment(name="buyers", channel_id=checkout.channel_id, conditions={
        "conditions": [{"kind": "orders", "measure": "count", "operator": "gte", "value": 1,
                        "conditions": []}]})
    cart = create_segment(name="cart", channel_id=checkout.channel_id, conditions={
        "conditions": [{"kind": "cart", "field": "lines", "operator": "gte", "value": 1}]})
    check_customer(customer_user.pk)
    member = CustomerMembership.objects.filter(segment=segment, customer_id=customer_user.pk)
    in_cart = CustomerMembership.objects.filter(segment=cart, customer_id=customer_user.pk)
    assert not member.exists() and in_cart.exists()

    manager = get_plugins_manager(allow_replica=False)
    lines, _ = fetch_checkout_lines(checkout)
    total = calculations.calculate_checkout_total_with_gift_cards(
        manager, fetch_checkout_info(checkout, lines, manager), lines)
    payment_dummy.order, payment_dummy.checkout = None, checkout
    payment_dummy.total, payment_dummy.currency = total.gross.amount, total.gross.currency
    payment_dummy.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = user_api_client.post_graphql(CHECKOUT_COMPLETE,
                                                 {"id": checkout_id(checkout)})
    assert get_graphql_content(response)["data"]["checkoutComplete"]["errors"] == []
    assert member.exists()
    assert not in_cart.exists()  # Saleor deleted the completed checkout


def test_customer_attach_ends_the_visitor_membership(settings, user_api_client, checkout, stock,
                                                      django_capture_on_commit_callbacks):
    settings.PLUGINS = [PLUGIN_PATH]
    visitors = create_segment(name="visitors", channel_id=checkout.channel_id,
                              apply_to="visitors", conditions=BIG_CART)
    customers = create_segment(name="customers", channel_id=checkout.channel_id,
                               conditions=BIG_CART)
    variant_id = graphene.Node.to_global_id("ProductVariant", stock.product_variant.pk)
    with django_capture_on_commit_callbacks(execute=True):
        user_api_client.post_graphql(LINES_ADD, {
            "id": checkout_id(checkout), "lines": [{"variantId": variant_id, "quantity": 2}]})
    assert VisitorMembership.objects.filter(segment=visitors).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = user_api_client.post_graphql(ATTACH, {"id": checkout_id(checkout)})
    assert get_graphql_content(response)["data"]["checkoutCustomerAttach"]["errors"] == []
    assert not VisitorMembership.objects.filter(segment=visitors).exists()
    assert CustomerMembership.objects.filter(segment=customers,
                                             customer_id=user_api_client.user.pk).exists()


def test_real_time_off_marks_work_for_the_combined_refresh(
        settings, user_api_client, checkout, stock, django_capture_on_commit_callbacks):
    from saleor.plugins.models import PluginConfiguration

    from saleor_segments.host.plugin import PLUGIN_ID
    from saleor_segments.models import PendingRefresh
    from saleor_segments.worker.tasks import refresh_pending_task

    settings.PLUGINS = [PLUGIN_PATH]
    PluginConfiguration.objects.create(identifier=PLUGIN_ID, name="Customer segments",
                                       active=True, configuration=[
                                           {"name": "real_time_check", "value": False}])
    checkout.user = user_api_client.user
    checkout.save(update_fields=["user"])
    segment = create_segment(name="big cart", channel_id=checkout.channel_id,
                             conditions=BIG_CART)
    variant_id = graphene.Node.to_global_id("ProductVariant", stock.product_variant.pk)
    member = CustomerMembership.objects.filter(segment=segment, customer_id=checkout.user_id)

    with django_capture_on_commit_callbacks(execute=True):
        user_api_client.post_graphql(LINES_ADD, {
            "id": checkout_id(checkout), "lines": [{"variantId": variant_id, "quantity": 2}]})
    assert not member.exists()  # no per-event check ...
    assert PendingRefresh.objects.filter(channel_id=checkout.channel_id).exists()  # ... marked
    result = refresh_pending_task.apply().get()
    assert result and result[0]["segments"] == [segment.pk], result
    assert member.exists()
