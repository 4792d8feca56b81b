"""Dynamic content blocks and related product rules: admin management (MANAGE_USERS) and the
storefront queries (customer token or a visitor's checkout token; no segment is revealed)."""

import graphene
from django.db import connection

from ... import content, models, related
from ...conditions import ConditionValidationError, tree_json
from ...storefront import StorefrontError, channel_by_slug, product_ids, visitor_checkout
from ..context import Permission, permission_required, requestor
from ..core.errors import InputError, check_lengths
from ..core.ids import decode, global_id
from ..core.crud import crud_mutations
from ..core.scalars import JSONString
from ..segments.enums import SegmentStatusEnum
from ..segments.mutations import channel_id, segment_pks
from ..segments.types import Segment

MAX_RELATED = 50


class ContentBlock(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    placement = graphene.String(required=True)
    content = JSONString()
    page_id = graphene.ID(description="A Saleor page to show instead of (or with) content.")
    priority = graphene.Int(required=True)
    starts_at = graphene.DateTime()
    ends_at = graphene.DateTime()
    status = graphene.Field(SegmentStatusEnum, required=True)
    segments = graphene.List(graphene.NonNull(Segment), required=True,
                             description="Admin only: who sees it (empty: everyone).")

    @staticmethod
    def resolve_id(root, _info):
        return global_id("ContentBlock", root.pk)

    @staticmethod
    def resolve_page_id(root, _info):
        return global_id("Page", root.page_id) if root.page_id else None

    @staticmethod
    @permission_required(Permission.MANAGE_USERS)
    def resolve_segments(root, info):
        return list(root.segments.all())


class ContentBlockInput(graphene.InputObjectType):
    name = graphene.String()
    placement = graphene.String()
    content = JSONString()
    page = graphene.ID()
    priority = graphene.Int()
    starts_at = graphene.DateTime()
    ends_at = graphene.DateTime()
    status = graphene.Field(SegmentStatusEnum)
    segments = graphene.List(graphene.NonNull(graphene.ID))


def save_block(block: models.ContentBlock, data) -> models.ContentBlock:
    for key in ("name", "placement", "content", "priority", "starts_at", "ends_at", "status"):
        if data.get(key) is not None:
            setattr(block, key, data[key])
    if data.get("page") is not None:
        block.page_id = decode(data["page"], "Page", "page")
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM page_page WHERE id = %s", [block.page_id])
            if cursor.fetchone() is None:
                raise InputError.one("page", "not_found", "The page does not exist.")
    if not (block.name or "").strip():
        raise InputError.one("name", "required", "A name is required.")
    if not block.placement or not block.placement.replace("-", "").replace("_", "").isalnum():
        raise InputError.one("placement", "invalid", "A placement is a slug such as "
                                                     "'home-hero'.")
    check_lengths(models.ContentBlock, {"name": block.name, "placement": block.placement})
    if block.starts_at and block.ends_at and block.ends_at <= block.starts_at:
        raise InputError.one("endsAt", "invalid", "endsAt must be after startsAt.")
    block.save()
    if data.get("segments") is not None:
        block.segments.set(segment_pks(data["segments"]))
    return block


ContentBlockCreate, ContentBlockUpdate, ContentBlockDelete = crud_mutations(
    model=models.ContentBlock, node=ContentBlock, input_type=ContentBlockInput, save=save_block,
    payload="content_block", label="content block")


class RelatedProductRule(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    channel_id = graphene.ID(required=True)
    status = graphene.Field(SegmentStatusEnum, required=True)
    priority = graphene.Int(required=True)
    applies_to = JSONString(required=True, description="Product conditions: the products "
                                                      "the rule applies to.")
    show = JSONString(required=True, description="Product conditions: the products to show.")
    limit = graphene.Int(required=True)
    segments = graphene.List(graphene.NonNull(Segment), required=True)

    @staticmethod
    def resolve_id(root, _info):
        return global_id("RelatedProductRule", root.pk)

    @staticmethod
    def resolve_channel_id(root, _info):
        return global_id("Channel", root.channel_id)

    @staticmethod
    def resolve_segments(root, _info):
        return list(root.segments.all())


class RelatedProductRuleInput(graphene.InputObjectType):
    name = graphene.String()
    channel = graphene.ID()
    status = graphene.Field(SegmentStatusEnum)
    priority = graphene.Int()
    applies_to = JSONString()
    show = JSONString()
    limit = graphene.Int()
    segments = graphene.List(graphene.NonNull(graphene.ID))


def save_rule(rule: models.RelatedProductRule, data) -> models.RelatedProductRule:
    rule.channel_id = getattr(rule, "channel_id", None)
    for key in ("name", "status", "priority", "limit"):
        if data.get(key) is not None:
            setattr(rule, key, data[key])
    if data.get("channel") is not None:
        rule.channel_id = channel_id(data["channel"])
    errors = []
    for key, field in (("applies_to", "appliesTo"), ("show", "show")):
        if data.get(key) is not None:
            try:
                setattr(rule, key, tree_json(related.product_tree(data[key])))  # normalised
            except ConditionValidationError as exc:
                errors += [{"field": f"{field}.{e.path}" if e.path else field,
                            "code": e.code.value, "message": e.message} for e in exc.errors]
    if errors:
        raise InputError(errors)
    if not (rule.name or "").strip():
        raise InputError.one("name", "required", "A name is required.")
    check_lengths(models.RelatedProductRule, {"name": rule.name})
    if rule.channel_id is None:
        raise InputError.one("channel", "required", "A channel is required.")
    if not 1 <= rule.limit <= MAX_RELATED:
        raise InputError.one("limit", "invalid", f"limit must be between 1 and {MAX_RELATED}.")
    rule.save()
    if data.get("segments") is not None:
        rule.segments.set(segment_pks(data["segments"]))
    return rule


RelatedProductRuleCreate, RelatedProductRuleUpdate, RelatedProductRuleDelete = crud_mutations(
    model=models.RelatedProductRule, node=RelatedProductRule, input_type=RelatedProductRuleInput,
    save=save_rule, payload="rule", label="related product rule")


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


class ContentMutations(graphene.ObjectType):
    content_block_create = ContentBlockCreate.Field()
    content_block_update = ContentBlockUpdate.Field()
    content_block_delete = ContentBlockDelete.Field()
    related_product_rule_create = RelatedProductRuleCreate.Field()
    related_product_rule_update = RelatedProductRuleUpdate.Field()
    related_product_rule_delete = RelatedProductRuleDelete.Field()
