from .content_block_create import ContentBlockCreate
from .content_block_delete import ContentBlockDelete
from .content_block_update import ContentBlockUpdate
from .related_product_rule_create import RelatedProductRuleCreate
from .related_product_rule_delete import RelatedProductRuleDelete
from .related_product_rule_update import RelatedProductRuleUpdate

__all__ = ["ContentBlockCreate", "ContentBlockDelete", "ContentBlockUpdate",
           "RelatedProductRuleCreate", "RelatedProductRuleDelete", "RelatedProductRuleUpdate"]
