"""The customer's wishlist."""

import graphene

from ...intake import activity
from ..context import PermissionDenied, requestor
from .types import WishlistItem


class StorefrontQueries(graphene.ObjectType):
    wishlist = graphene.List(graphene.NonNull(WishlistItem),
                             description="The customer's wishlist (customer token).")

    @staticmethod
    def resolve_wishlist(_root, info):
        customer_id = requestor(info).customer_id
        if customer_id is None:
            raise PermissionDenied("A customer token is required.")
        return [WishlistItem.from_model(i) for i in activity.wishlist(customer_id)]
