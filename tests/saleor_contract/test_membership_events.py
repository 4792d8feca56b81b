"""Membership events inside real Saleor: a checkout change made through Saleor's GraphQL moves
the customer into a cart segment, and the loopback receiver gets a signed delivery, sent by
the (eager) Celery tasks through Saleor's HTTP client; an App target gets Saleor's JWS."""

import json

import graphene
import pytest
import requests_hardened
from saleor.graphql.tests.utils import get_graphql_content

from saleor_segments.services.segments import create_segment
from saleor_segments.webhooks import signing
from saleor_segments.webhooks.models import MembershipDelivery
from saleor_segments.webhooks.outbox import collect
from saleor_segments.webhooks.sending import send_due
from saleor_segments.webhooks.services import SubscriptionError, create_subscription

from ..loopback import Receiver

pytestmark = [pytest.mark.saleor_contract, pytest.mark.django_db]
PLUGIN_PATH = "saleor_segments.host.plugin.CustomerSegmentsPlugin"
BIG_CART = {"conditions": [{"kind": "cart", "field": "quantity", "operator": "gte", "value": 2}]}
LINES_ADD = """
mutation add($id: ID, $lines: [CheckoutLineInput!]!) {
  checkoutLinesAdd(id: $id, lines: $lines) { errors { field code message } }
}"""


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def add_to_cart(client, checkout, stock, callbacks, quantity=2):
    variant_id = graphene.Node.to_global_id("ProductVariant", stock.product_variant.pk)
    with callbacks(execute=True):  # the check, then the wake-up: Celery runs eagerly here
        response = client.post_graphql(LINES_ADD, {
            "id": graphene.Node.to_global_id("Checkout", checkout.pk),
            "lines": [{"variantId": variant_id, "quantity": quantity}]})
    assert get_graphql_content(response)["data"]["checkoutLinesAdd"]["errors"] == []


def running_transactions() -> list:
    """Other sessions of the database with a transaction id (they hold deliveries back)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid, state, backend_xid::text, xact_start, left(query, 200) "
                       "FROM pg_stat_activity WHERE datname = current_database() "
                       "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()")
        return cursor.fetchall()


def customer_checkout(checkout, user):
    checkout.user, checkout.email = user, user.email
    checkout.save(update_fields=["user", "email"])
    return checkout


def test_a_checkout_event_sends_a_signed_delivery(settings, user_api_client, checkout, stock,
                                                 receiver, django_capture_on_commit_callbacks):
    # given: a cart segment and a subscription of the loopback receiver to it
    settings.PLUGINS = [PLUGIN_PATH]
    user = user_api_client.user
    checkout = customer_checkout(checkout, user)
    segment = create_segment(name="big cart", channel_id=checkout.channel_id,
                             conditions=BIG_CART)
    created = create_subscription(name="CRM", target_url=receiver.url,
                                  segment_ids=[segment.pk])

    # when: the customer puts two items into the cart through Saleor's API
    add_to_cart(user_api_client, checkout, stock, django_capture_on_commit_callbacks)

    # then: one signed delivery says the customer joined
    assert len(receiver.received) == 1, (list(MembershipDelivery.objects.values()),
                                          running_transactions())
    headers, body = receiver.received[0]
    assert signing.verify(created.secret, headers, body,
                          now=int(headers["X-Segments-Timestamp"]))
    (change,) = json.loads(body)["changes"]
    assert change["action"] == "joined" and change["customer"]["email"] == user.email
    assert change["segment"]["id"] == graphene.Node.to_global_id("Segment", segment.pk)
    assert change["reason"].startswith("event:")
    delivery = MembershipDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("success", 1, 200)


def test_saleors_ip_filter_applies(settings, user_api_client, checkout, stock, receiver,
                                   django_capture_on_commit_callbacks, monkeypatch):
    # given: Saleor's client with its production filter (no loopback addresses)
    from saleor.core import http_client

    settings.PLUGINS = [PLUGIN_PATH]
    monkeypatch.setattr(http_client, "HTTPClient", requests_hardened.Manager(
        requests_hardened.Config(ip_filter_enable=True, ip_filter_allow_loopback_ips=False,
                                 never_redirect=True, default_timeout=5)))
    checkout = customer_checkout(checkout, user_api_client.user)
    segment = create_segment(name="big cart", channel_id=checkout.channel_id,
                             conditions=BIG_CART)
    create_subscription(name="CRM", target_url=receiver.url, segment_ids=[segment.pk])

    add_to_cart(user_api_client, checkout, stock, django_capture_on_commit_callbacks)

    assert receiver.received == []
    delivery = MembershipDelivery.objects.get()
    assert (delivery.status, delivery.response_code, delivery.last_error) == (
        "pending", None, "Invalid IP address")


def test_an_app_target_gets_saleors_jws(settings, app, customer_user, checkout_with_item,
                                        receiver):
    from saleor.core.jwt_manager import get_jwt_manager
    from saleor.webhook.transport import signature_for_payload

    from saleor_segments.membership.check import check_customer

    settings.PLUGINS = [PLUGIN_PATH]
    checkout = customer_checkout(checkout_with_item, customer_user)
    segment = create_segment(name="has a cart", channel_id=checkout.channel_id, conditions={
        "conditions": [{"kind": "cart", "field": "lines", "operator": "gte", "value": 1}]})
    created = create_subscription(name="App", target_url=receiver.url,
                                  segment_ids=[segment.pk], app_id=app.pk)
    assert created.secret == ""
    check_customer(customer_user.pk)
    collect(created.subscription.pk)
    send_due(created.subscription.pk)

    (headers, body), = receiver.received
    jws = headers["Saleor-Signature"]
    header, _, signature = jws.split(".")
    assert _ == "" and header and signature  # a detached JWS, as Saleor's webhooks to Apps
    assert jws == signature_for_payload(body, None)  # Saleor's own signing of this body
    assert get_jwt_manager().get_jwks()["keys"]
    assert headers["Saleor-Event"] == "segment_membership_changed"
    assert json.loads(body)["changes"][0]["action"] == "joined"

    app.is_active = False
    app.save(update_fields=["is_active"])
    with pytest.raises(SubscriptionError, match="Saleor App"):
        create_subscription(name="App 2", target_url=receiver.url, segment_ids=[segment.pk],
                            app_id=app.pk)
