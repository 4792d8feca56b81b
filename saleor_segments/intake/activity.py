"""Product activity Saleor does not record: product views and wishlists."""

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from ..conf import DEFAULTS
from ..membership import changes
from ..models import ProductView, WishlistItem


def _one_owner(customer_id, checkout_token):
    if (customer_id is None) == (checkout_token is None):
        raise ValueError("give exactly one of customer_id and checkout_token")


def record_view(*, product_id: int, channel_id: int, customer_id: int | None = None,
                checkout_token=None, variant_id: int | None = None,
                at: dt.datetime | None = None) -> ProductView:
    """A storefront product view by a customer, or by a visitor's checkout."""
    _one_owner(customer_id, checkout_token)
    return ProductView.objects.create(
        product_id=product_id, variant_id=variant_id, channel_id=channel_id,
        customer_id=customer_id, checkout_token=checkout_token, viewed_at=at or timezone.now())


def wishlist_add(customer_id: int, product_id: int, variant_id: int | None = None,
                 at: dt.datetime | None = None) -> WishlistItem:
    """Idempotent: adding what is already there returns the existing entry."""
    item, _created = WishlistItem.objects.get_or_create(
        customer_id=customer_id, product_id=product_id, variant_id=variant_id,
        defaults={"added_at": at or timezone.now()})
    return item


def wishlist_remove(customer_id: int, product_id: int, variant_id: int | None = None) -> bool:
    deleted, _ = WishlistItem.objects.filter(customer_id=customer_id, product_id=product_id,
                                             variant_id=variant_id).delete()
    return bool(deleted)


def wishlist(customer_id: int) -> list[WishlistItem]:
    return list(WishlistItem.objects.filter(customer_id=customer_id).order_by("-added_at", "pk"))


def adopt_visitor_activity(checkout_token, customer_id: int) -> int:
    """A visitor logged in or attached to the checkout: their views become the customer's."""
    return ProductView.objects.filter(checkout_token=checkout_token,
                                      customer_id__isnull=True).update(customer_id=customer_id)


def prune_views(older_than_days: int = DEFAULTS["VIEW_RETENTION_DAYS"],
                batch_size: int = 50_000, now: dt.datetime | None = None) -> int:
    """Delete views older than the retention, in batches (short transactions)."""
    if older_than_days < 1:
        raise ValueError("older_than_days must be at least 1")
    cutoff = (now or timezone.now()) - dt.timedelta(days=older_than_days)
    deleted = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM saleor_segments_productview WHERE id IN (SELECT id FROM "
                           "saleor_segments_productview WHERE viewed_at < %s LIMIT %s) "
                           "RETURNING customer_id, checkout_token", [cutoff, batch_size])
            gone = cursor.fetchall()
            # their owners may leave "viewed" segments: no timestamp shows a deletion
            changes.remember({c for c, _ in gone}, {t for _, t in gone})
            deleted += len(gone)
            if len(gone) < batch_size:
                return deleted
