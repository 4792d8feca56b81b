"""A wishlist entry as the storefront sees it."""

import graphene

from ..core.ids import global_id


class WishlistItem(graphene.ObjectType):
    product_id = graphene.ID(required=True)
    variant_id = graphene.ID()
    added_at = graphene.DateTime(required=True)

    @staticmethod
    def from_model(item) -> "WishlistItem":
        return WishlistItem(product_id=global_id("Product", item.product_id),
                            variant_id=global_id("ProductVariant", item.variant_id)
                            if item.variant_id else None, added_at=item.added_at)
