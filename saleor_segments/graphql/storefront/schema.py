"""Storefront API: product views and wishlists. No staff permission: the identity comes from
the customer's token or a visitor's checkout token. Reveals no segment and no other shopper."""

import graphene

from .mutations import TrackProductView, WishlistAdd, WishlistRemove
from .queries import StorefrontQueries

__all__ = ["StorefrontMutations", "StorefrontQueries"]


class StorefrontMutations(graphene.ObjectType):
    track_product_view = TrackProductView.Field()
    wishlist_add = WishlistAdd.Field()
    wishlist_remove = WishlistRemove.Field()
