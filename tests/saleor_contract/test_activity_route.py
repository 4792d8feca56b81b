"""The storefront activity endpoint under Saleor's plugin URL, with Saleor's own tokens."""

import json

import graphene
import pytest
from saleor.core.jwt import create_access_token

from saleor_segments.models import CustomerMembership, ProductView, VisitorMembership
from saleor_segments.services.segments import create_segment

pytestmark = [pytest.mark.saleor_contract, pytest.mark.django_db]
PLUGIN_PATH = "saleor_segments.host.plugin.CustomerSegmentsPlugin"
URL = "/plugins/global/saleor_segments/activity/"


def viewed(product):
    return {"conditions": [{"kind": "products", "source": "viewed", "conditions": [
        {"kind": "product.product", "operator": "is", "value": product.pk}]}]}


def post(client, path, data, **headers):
    return client.post(URL + path, data=json.dumps(data), content_type="application/json",
                       **headers)


def test_customer_views_and_wishlist(settings, client, customer_user, product, channel_USD):
    settings.PLUGINS = [PLUGIN_PATH]
    segment = create_segment(name="viewers", channel_id=channel_USD.pk, conditions=viewed(product))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {create_access_token(customer_user)}"}

    response = post(client, "view", {"productId": graphene.Node.to_global_id(
        "Product", product.pk), "channel": channel_USD.slug}, **auth)
    assert response.status_code == 200, response.content
    assert CustomerMembership.objects.filter(segment=segment, customer_id=customer_user.pk).exists()

    response = post(client, "wishlist", {"productId": product.pk, "action": "add"}, **auth)
    assert [(i["productId"], i["variantId"]) for i in response.json()["wishlist"]] == [
        (product.pk, None)]
    assert client.get(URL + "wishlist", **auth).json()["wishlist"][0]["productId"] == product.pk


def test_visitor_views_by_checkout_token_and_bad_input(settings, client, checkout, product):
    settings.PLUGINS = [PLUGIN_PATH]
    segment = create_segment(name="visitors", channel_id=checkout.channel_id,
                             apply_to="visitors", conditions=viewed(product))
    response = post(client, "view", {"productId": product.pk, "checkoutToken": str(checkout.token)})
    assert response.status_code == 200, response.content
    assert VisitorMembership.objects.filter(segment=segment, checkout_token=checkout.token).exists()

    assert post(client, "view", {"productId": product.pk}).status_code == 401
    bad = post(client, "view", {"productId": "nope", "checkoutToken": str(checkout.token)})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "productId"
    assert post(client, "wishlist", {"productId": product.pk}).status_code == 401
    assert ProductView.objects.count() == 1  # nothing recorded for the bad requests
