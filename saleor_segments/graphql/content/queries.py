"""Content blocks and related product rules: admin lists (MANAGE_USERS) and the storefront
queries (customer token or a visitor's checkout token; no segment is revealed)."""

import graphene

from ... import models
from ...intake.storefront import StorefrontError, channel_by_slug, product_ids, visitor_checkout
from ...targeting import content, related
from ..context import Permission, permission_required, requestor
from ..core.errors import InputError
from ..core.ids import global_id
from .types import ContentBlock, RelatedProductRule

MAX_RELATED = related.MAX_RELATED


def shopper(info, checkout_token):
    """(customer id, visitor token, channel id or None) of the storefront caller."""
    customer_id = requestor(info).customer_id
    if customer_id is not None:
        return customer_id, None, None
    if checkout_token is None:
        return None, None, None
    try:
        token, channel, _owner = visitor_checkout(checkout_token)
    except StorefrontError:
        raise InputError.one("checkoutToken", "not_found", "Unknown checkout.") from None
    return None, token, channel


class ContentQueries(graphene.ObjectType):
    content_blocks = graphene.List(graphene.NonNull(ContentBlock), placement=graphene.String(),
                                   description="Every block (admin). Requires MANAGE_USERS.")
    related_product_rules = graphene.List(graphene.NonNull(RelatedProductRule),
                                          description="Every rule. Requires MANAGE_USERS.")
    dynamic_blocks = graphene.List(
        graphene.NonNull(ContentBlock), required=True, placement=graphene.String(required=True),
        checkout_token=graphene.UUID(),
        description="Storefront: the blocks of a placement for this shopper, best first.")
    related_products = graphene.List(
        graphene.NonNull(graphene.ID), required=True, product_id=graphene.ID(required=True),
        checkout_token=graphene.UUID(), channel=graphene.String(), first=graphene.Int(),
        description="Storefront: Saleor product IDs to show beside a product for this "
                    "shopper (at most 50).")

    @staticmethod
    @permission_required(Permission.MANAGE_USERS)
    def resolve_content_blocks(_root, info, placement=None):
        blocks = models.ContentBlock.objects.all()
        return list(blocks.filter(placement=placement) if placement else blocks)

    @staticmethod
    @permission_required(Permission.MANAGE_USERS)
    def resolve_related_product_rules(_root, info):
        return list(models.RelatedProductRule.objects.all())

    @staticmethod
    def resolve_dynamic_blocks(_root, info, placement, checkout_token=None):
        customer_id, token, _channel = shopper(info, checkout_token)
        return content.blocks_for(placement, customer_id, token)

    @staticmethod
    def resolve_related_products(_root, info, product_id, checkout_token=None, channel=None,
                                 first=None):
        first = 8 if first is None else first
        if not 1 <= first <= MAX_RELATED:
            raise InputError.one("first", "invalid", f"first must be between 1 and "
                                                     f"{MAX_RELATED}.")
        try:
            product, _variant = product_ids(product_id, None)
            channel_pk = channel_by_slug(channel) if channel else None
        except StorefrontError as exc:
            raise InputError.one(exc.field, "invalid", exc.message) from None
        customer_id, token, checkout_channel = shopper(info, checkout_token)
        ids = related.related_products(product, customer_id, token,
                                       channel_pk or checkout_channel, first)
        return [global_id("Product", pk) for pk in ids]
