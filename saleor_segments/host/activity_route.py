"""The storefront's activity endpoint, served by the plugin under
``/plugins/global/saleor_segments/activity/``:

- ``POST view``: ``{"productId", "variantId"?, "channel"?, "checkoutToken"?}`` (a customer token,
  or a visitor's checkout token; a customer names the channel by slug);
- ``POST wishlist``: ``{"productId", "variantId"?, "action": "add" | "remove"}`` (customers);
- ``GET wishlist``: the customer's wishlist.

Errors come back as ``{"errors": [{"field", "code", "message"}]}``."""

import json

from django.http import JsonResponse

from ..intake import activity, storefront
from ..intake.storefront import StorefrontError
from .auth import customer_id_from_request


def handle(request, path: str, real_time: bool) -> JsonResponse:
    try:
        customer_id = customer_id_from_request(request)
        route = (request.method, path.strip("/"))
        if route == ("POST", "activity/view"):
            data = _body(request)
            storefront.track_view(customer_id=customer_id, product=data.get("productId"),
                                  variant=data.get("variantId"), channel=data.get("channel"),
                                  checkout_token=data.get("checkoutToken"),
                                  real_time=real_time)
            return JsonResponse({"recorded": True})
        if route == ("POST", "activity/wishlist"):
            data = _body(request)
            items = storefront.change_wishlist(customer_id, data.get("action", "add"),
                                               data.get("productId"), data.get("variantId"),
                                               real_time=real_time)
            return JsonResponse({"wishlist": [_item(i) for i in items]})
        if route == ("GET", "activity/wishlist"):
            items = activity.wishlist(storefront.require_customer(customer_id))
            return JsonResponse({"wishlist": [_item(i) for i in items]})
        raise StorefrontError(None, "NOT_FOUND", f"no route {request.method} {path}", 404)
    except StorefrontError as exc:
        return JsonResponse({"errors": [{"field": exc.field, "code": exc.code,
                                         "message": exc.message}]}, status=exc.status)


def _item(item) -> dict:
    return {"productId": item.product_id, "variantId": item.variant_id,
            "addedAt": item.added_at.isoformat()}


def _body(request) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        raise StorefrontError(None, "INVALID", "the body is not JSON") from None
    if not isinstance(data, dict):
        raise StorefrontError(None, "INVALID", "expected a JSON object")
    return data
