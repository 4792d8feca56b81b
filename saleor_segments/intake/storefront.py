"""What the storefront records (product views, wishlist changes), checked and re-evaluated.

Shared by the plugin's HTTP route and the GraphQL API; reads Saleor's tables directly, so it
runs the same inside Saleor and in standalone mode."""

from __future__ import annotations

import uuid

from django.db import connection

from ..conditions.values import IdType
from . import activity, shop_events

PRODUCT, VARIANT = IdType("Product"), IdType("ProductVariant")


class StorefrontError(Exception):
    def __init__(self, field, code, message, status=400):
        super().__init__(message)
        self.field, self.code, self.message, self.status = field, code, message, status


def require_customer(customer_id: int | None) -> int:
    if customer_id is None:
        raise StorefrontError(None, "UNAUTHENTICATED", "a customer token is required", 401)
    return customer_id


def product_ids(product, variant=None, product_field="productId",
                variant_field="variantId") -> tuple[int, int | None]:
    """Integer ids (or Saleor global IDs) of an existing product and, optionally, one of its
    variants."""
    try:
        product_id = PRODUCT.parse(product)
    except ValueError as exc:
        raise StorefrontError(product_field, "INVALID", str(exc)) from None
    try:
        variant_id = VARIANT.parse(variant) if variant is not None else None
    except ValueError as exc:
        raise StorefrontError(variant_field, "INVALID", str(exc)) from None
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM product_product WHERE id = %s", [product_id])
        if cursor.fetchone() is None:
            raise StorefrontError(product_field, "NOT_FOUND", "no such product", 404)
        if variant_id is not None:
            cursor.execute("SELECT 1 FROM product_productvariant WHERE id = %s AND "
                           "product_id = %s", [variant_id, product_id])
            if cursor.fetchone() is None:
                raise StorefrontError(variant_field, "NOT_FOUND",
                                      "no such variant of this product", 404)
    return product_id, variant_id


def visitor_checkout(token) -> tuple[uuid.UUID, int, int | None]:
    """(token, channel id, customer id) of an existing checkout."""
    try:
        token = uuid.UUID(str(token))
    except ValueError:
        token = None
    row = None
    if token is not None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT token, channel_id, user_id FROM checkout_checkout "
                           "WHERE token = %s", [token])
            row = cursor.fetchone()
    if row is None:
        raise StorefrontError("checkoutToken", "NOT_FOUND",
                              "a customer token or an existing checkout token is required", 401)
    return row


def channel_by_slug(slug) -> int:
    slug = str(slug or "")
    if "\x00" in slug:  # PostgreSQL refuses NUL in text: bad input, not a database error
        raise StorefrontError("channel", "INVALID", "the channel slug contains a NUL character")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM channel_channel WHERE slug = %s", [slug])
        row = cursor.fetchone()
    if row is None:
        raise StorefrontError("channel", "NOT_FOUND", "unknown channel slug")
    return row[0]


def track_view(*, customer_id: int | None, product, variant=None, channel=None,
               checkout_token=None, real_time: bool = True) -> None:
    """Record a product view by a customer (``channel`` slug) or a visitor (checkout token),
    then re-check the shopper against activity segments (or mark the channel)."""
    product_id, variant_id = product_ids(product, variant)
    if customer_id is None:
        token, channel_id, _owner = visitor_checkout(checkout_token)
    else:
        token, channel_id = None, channel_by_slug(channel)
    activity.record_view(product_id=product_id, variant_id=variant_id, channel_id=channel_id,
                         customer_id=customer_id, checkout_token=token)
    if real_time:
        shop_events.activity_recorded(channel_id, customer_id=customer_id, checkout_token=token)
    else:
        shop_events.mark_changed(channel_id, [customer_id], [token])


def change_wishlist(customer_id: int | None, action: str, product, variant=None,
                    real_time: bool = True) -> list:
    """Add a product (or variant) to the customer's wishlist, or remove it; the wishlist."""
    customer_id = require_customer(customer_id)
    if action not in ("add", "remove"):
        raise StorefrontError("action", "INVALID", "expected add or remove")
    product_id, variant_id = product_ids(product, variant)
    if action == "add":
        activity.wishlist_add(customer_id, product_id, variant_id)
    else:
        activity.wishlist_remove(customer_id, product_id, variant_id)
    if real_time:
        shop_events.activity_recorded(None, customer_id=customer_id)
    else:
        shop_events.mark_changed(None, [customer_id])
    return activity.wishlist(customer_id)
