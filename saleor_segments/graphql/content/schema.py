"""Dynamic content blocks and related product rules: admin management (MANAGE_USERS) and the
storefront queries (customer token or a visitor's checkout token; no segment is revealed)."""

import graphene

from .mutations import (
    ContentBlockCreate,
    ContentBlockDelete,
    ContentBlockUpdate,
    RelatedProductRuleCreate,
    RelatedProductRuleDelete,
    RelatedProductRuleUpdate,
)
from .queries import ContentQueries

__all__ = ["ContentMutations", "ContentQueries"]


class ContentMutations(graphene.ObjectType):
    content_block_create = ContentBlockCreate.Field()
    content_block_update = ContentBlockUpdate.Field()
    content_block_delete = ContentBlockDelete.Field()
    related_product_rule_create = RelatedProductRuleCreate.Field()
    related_product_rule_update = RelatedProductRuleUpdate.Field()
    related_product_rule_delete = RelatedProductRuleDelete.Field()
