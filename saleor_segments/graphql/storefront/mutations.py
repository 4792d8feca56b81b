"""Product views and wishlist changes (customer token or a visitor's checkout token)."""

import graphene

from ...intake import storefront
from ...intake.storefront import StorefrontError
from ..context import PermissionDenied, requestor
from ..core.errors import ActivityError
from .types import WishlistItem

CODES = {"INVALID": "invalid", "NOT_FOUND": "not_found", "UNAUTHENTICATED": "required"}


class ActivityMutation(graphene.Mutation):
    errors = graphene.List(graphene.NonNull(ActivityError), required=True)

    class Meta:
        abstract = True

    @classmethod
    def mutate(cls, root, info, **data):
        try:
            return cls.perform(info, **data)
        except StorefrontError as exc:
            if exc.status == 401 and exc.field is None:
                raise PermissionDenied("A customer token is required.") from None
            return cls(errors=[ActivityError(field=exc.field, code=CODES.get(exc.code, "invalid"),
                                             message=exc.message)])


class TrackProductView(ActivityMutation):
    recorded = graphene.Boolean()

    class Arguments:
        product_id = graphene.ID(required=True)
        variant_id = graphene.ID()
        channel = graphene.String(description="Customers: the channel's slug.")
        checkout_token = graphene.UUID(description="Visitors: their checkout's token.")

    class Meta:
        description = "Record that this shopper viewed a product (customer token or a "\
                      "visitor's checkout token)."

    @classmethod
    def perform(cls, info, product_id, variant_id=None, channel=None, checkout_token=None):
        storefront.track_view(customer_id=requestor(info).customer_id, product=product_id,
                              variant=variant_id, channel=channel,
                              checkout_token=checkout_token,
                              real_time=getattr(info.context, "real_time", True))
        return cls(recorded=True, errors=[])


class WishlistChange(ActivityMutation):
    wishlist = graphene.List(graphene.NonNull(WishlistItem))
    action = ""

    class Arguments:
        product_id = graphene.ID(required=True)
        variant_id = graphene.ID()

    class Meta:
        abstract = True

    @classmethod
    def perform(cls, info, product_id, variant_id=None):
        items = storefront.change_wishlist(requestor(info).customer_id, cls.action, product_id,
                                           variant_id,
                                           real_time=getattr(info.context, "real_time", True))
        return cls(wishlist=[WishlistItem.from_model(i) for i in items], errors=[])


class WishlistAdd(WishlistChange):
    action = "add"

    class Meta:
        description = "Add a product (or one variant) to the customer's wishlist."


class WishlistRemove(WishlistChange):
    action = "remove"

    class Meta:
        description = "Remove a product (or one variant) from the customer's wishlist."
