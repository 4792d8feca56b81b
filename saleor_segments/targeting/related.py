"""Related product rules: which products to recommend beside a product, for this shopper.

A rule applies to the products its ``applies_to`` product conditions match and shows those its
``show`` conditions match (the same product kinds as segment conditions: product, category,
collection, type, attribute, price...). Rules are tried by priority; results are merged, the
product itself and duplicates left out, up to ``first``."""

import logging

from django.db import connection, transaction
from django.db.models import Q

from ..conditions import (
    ConditionError,
    ConditionErrorCode,
    ConditionValidationError,
    Scope,
    ValidationContext,
    parse_tree,
    tree_json,
)
from ..conditions.sql import Fragment
from ..evaluation.compile import Compiler
from ..membership.tables import segments_of
from ..models import RelatedProductRule
from .content import check_lengths, invalid

logger = logging.getLogger(__name__)

PRODUCTS = "(SELECT p.id AS product_id, NULL::integer AS variant_id FROM product_product p)"


def product_tree(data):
    """A validated product condition group (ConditionValidationError otherwise)."""
    return parse_tree(data or {}, ValidationContext(declared_fields=None), scope=Scope.ITEM)


MAX_RELATED = 50
RULE_FIELDS = ("name", "channel_id", "status", "priority", "limit")


def save_rule(rule: RelatedProductRule, segment_ids: list[int] | None = None,
              applies_to: dict | None = None, show: dict | None = None,
              **changes) -> RelatedProductRule:
    """Apply ``changes`` (None: unchanged) to a rule, check it whole, save it. Product trees
    are stored normalised. ConditionValidationError (model field names; tree errors as
    ``applies_to.<path>``) and nothing saved."""
    for key, value in changes.items():
        if key not in RULE_FIELDS:
            raise TypeError(f"unknown related product rule field {key!r}")
        if value is not None:
            setattr(rule, key, value)
    errors = []
    for key, data in (("applies_to", applies_to), ("show", show)):
        if data is not None:
            try:
                setattr(rule, key, tree_json(product_tree(data)))  # normalised
            except ConditionValidationError as exc:
                errors += [ConditionError(f"{key}.{e.path}" if e.path else key, e.message,
                                          e.code) for e in exc.errors]
    if errors:
        raise ConditionValidationError(errors)
    if not (rule.name or "").strip():
        raise invalid("name", "A name is required.", ConditionErrorCode.REQUIRED)
    check_lengths(rule, ("name",))
    if rule.channel_id is None:
        raise invalid("channel", "A channel is required.", ConditionErrorCode.REQUIRED)
    if not 1 <= rule.limit <= MAX_RELATED:
        raise invalid("limit", f"limit must be between 1 and {MAX_RELATED}.")
    rule.save()
    if segment_ids is not None:
        rule.segments.set(segment_ids)
    return rule


def _where(data, channel_id: int) -> Fragment:
    return Compiler(channel_id).group(product_tree(data), "i")


def rules_for(customer_id=None, checkout_token=None, channel_id=None):
    mine = segments_of(customer_id, checkout_token)
    rules = RelatedProductRule.objects.filter(status=RelatedProductRule.Status.ACTIVE)
    if channel_id is not None:
        rules = rules.filter(channel_id=channel_id)
    return list(rules.filter(Q(segments__isnull=True) | Q(segments__in=mine))
                .distinct().order_by("-priority", "pk"))


def related_products(product_id: int, customer_id=None, checkout_token=None, channel_id=None,
                     first: int = 8) -> list[int]:
    """A rule that cannot be evaluated (a stored tree validation now refuses, a database
    error) is logged and skipped: the other rules still answer."""
    found: list[int] = []
    for rule in rules_for(customer_id, checkout_token, channel_id):
        try:
            with transaction.atomic():  # a failing statement leaves the transaction usable
                found += _rule_products(rule, product_id, found, first - len(found))
        except Exception:  # noqa: BLE001 (ConditionValidationError, DatabaseError, ...)
            logger.exception("Related product rule %s (%r) skipped: it cannot be evaluated",
                             rule.pk, rule.name)
        if len(found) >= first:
            break
    return found[:first]


def _rule_products(rule, product_id: int, found: list[int], limit: int) -> list[int]:
    """The products ``rule`` shows beside ``product_id`` (none when it does not apply)."""
    with connection.cursor() as cursor:
        where, params = _where(rule.applies_to, rule.channel_id)
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {PRODUCTS} i WHERE i.product_id = %s "
                       f"AND {where})", [product_id] + params)
        if not cursor.fetchone()[0]:
            return []
        where, params = _where(rule.show, rule.channel_id)
        cursor.execute(f"SELECT i.product_id FROM {PRODUCTS} i WHERE i.product_id <> %s "
                       f"AND NOT (i.product_id = ANY(%s::integer[])) AND {where} "
                       f"ORDER BY i.product_id LIMIT %s",
                       [product_id, found] + params + [min(rule.limit, limit)])
        return [r[0] for r in cursor.fetchall()]
