"""The storefront's activity endpoint, served by the plugin under
``/plugins/global/saleor_segments/activity/``:

- ``POST view``: ``{"productId", "variantId"?, "channel"?, "checkoutToken"?}`` (a customer token,
  or a visitor's checkout token; a customer names the channel by slug);
- ``POST wishlist``: ``{"productId", "variantId"?, "action": "add" | "remove"}`` (customers);
- ``GET wishlist``: the customer's wishlist.

Errors come back as ``{"errors": [{"field", "code", "message"}]}``."""

import json
import uuid

from django.http import JsonResponse
from saleor.channel.models import Channel
from saleor.checkout.models import Checkout

from .. import activity, intake
from ..conditions.values import IdType
from .auth import customer_id_from_request

PRODUCT, VARIANT = IdType("Product"), IdType("ProductVariant")


class RouteError(Exception):
    def __init__(self, field, code, message, status=400):
        super().__init__(message)
        self.field, self.code, self.message, self.status = field, code, message, status


def handle(request, path: str, real_time: bool) -> JsonResponse:
    try:
        customer_id = customer_id_from_request(request)
        route = (request.method, path.strip("/"))
        if route == ("POST", "activity/view"):
            return _view(_body(request), customer_id, real_time)
        if route == ("POST", "activity/wishlist"):
            return _wishlist_change(_body(request), _require(customer_id), real_time)
        if route == ("GET", "activity/wishlist"):
            items = activity.wishlist(_require(customer_id))
            return JsonResponse({"wishlist": [{"productId": i.product_id,
                                               "variantId": i.variant_id,
                                               "addedAt": i.added_at.isoformat()}
                                              for i in items]})
        raise RouteError(None, "NOT_FOUND", f"no route {request.method} {path}", 404)
    except RouteError as exc:
        return JsonResponse({"errors": [{"field": exc.field, "code": exc.code,
                                         "message": exc.message}]}, status=exc.status)


def _body(request) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        raise RouteError(None, "INVALID", "the body is not JSON") from None
    if not isinstance(data, dict):
        raise RouteError(None, "INVALID", "expected a JSON object")
    return data


def _require(customer_id):
    if customer_id is None:
        raise RouteError(None, "UNAUTHENTICATED", "a customer token is required", 401)
    return customer_id


def _ids(data) -> tuple[int, int | None]:
    try:
        product_id = PRODUCT.parse(data.get("productId"))
        variant = data.get("variantId")
        variant_id = VARIANT.parse(variant) if variant is not None else None
    except ValueError as exc:
        field = "variantId" if "Variant" in str(exc) else "productId"
        raise RouteError(field, "INVALID", str(exc)) from None
    return product_id, variant_id


def _view(data, customer_id, real_time) -> JsonResponse:
    product_id, variant_id = _ids(data)
    token = data.get("checkoutToken")
    if customer_id is None:
        try:
            checkout = Checkout.objects.get(token=uuid.UUID(str(token)))
        except (ValueError, Checkout.DoesNotExist):
            raise RouteError("checkoutToken", "NOT_FOUND",
                             "a customer token or an existing checkout token is required",
                             401) from None
        channel_id, token = checkout.channel_id, checkout.token
    else:
        channel = Channel.objects.filter(slug=data.get("channel")).first()
        if channel is None:
            raise RouteError("channel", "NOT_FOUND", "unknown channel slug")
        channel_id, token = channel.pk, None
    activity.record_view(product_id=product_id, variant_id=variant_id, channel_id=channel_id,
                         customer_id=customer_id, checkout_token=token)
    if real_time:
        intake.activity_recorded(channel_id, customer_id=customer_id, checkout_token=token)
    else:
        intake.mark_pending(channel_id)
    return JsonResponse({"recorded": True})


def _wishlist_change(data, customer_id, real_time) -> JsonResponse:
    product_id, variant_id = _ids(data)
    action = data.get("action", "add")
    if action not in ("add", "remove"):
        raise RouteError("action", "INVALID", "expected add or remove")
    if action == "add":
        activity.wishlist_add(customer_id, product_id, variant_id)
    else:
        activity.wishlist_remove(customer_id, product_id, variant_id)
    if real_time:
        intake.activity_recorded(None, customer_id=customer_id)
    else:
        intake.mark_pending()
    return JsonResponse({"wishlist": [{"productId": i.product_id, "variantId": i.variant_id}
                                      for i in activity.wishlist(customer_id)]})
