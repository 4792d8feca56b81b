"""Dynamic content blocks: which blocks of a placement a shopper sees, best first."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from ..conditions import ConditionError, ConditionErrorCode, ConditionValidationError
from ..membership.tables import segments_of
from ..models import ContentBlock

BLOCK_FIELDS = ("name", "placement", "content", "page_id", "priority", "starts_at", "ends_at",
                "status")


def save_block(block: ContentBlock, segment_ids: list[int] | None = None,
               **changes) -> ContentBlock:
    """Apply ``changes`` (None: unchanged) to a block, check it whole, save it; the segments
    are set when given. ConditionValidationError (model field names) and nothing saved."""
    for key, value in changes.items():
        if key not in BLOCK_FIELDS:
            raise TypeError(f"unknown content block field {key!r}")
        if value is not None:
            setattr(block, key, value)
    if not (block.name or "").strip():
        raise invalid("name", "A name is required.", ConditionErrorCode.REQUIRED)
    if not block.placement or not block.placement.replace("-", "").replace("_", "").isalnum():
        raise invalid("placement", "A placement is a slug such as 'home-hero'.")
    check_lengths(block, ("name", "placement"))
    if block.starts_at and block.ends_at and block.ends_at <= block.starts_at:
        raise invalid("ends_at", "endsAt must be after startsAt.")
    block.save()
    if segment_ids is not None:
        block.segments.set(segment_ids)
    return block


def invalid(field: str, message: str,
            code: ConditionErrorCode = ConditionErrorCode.INVALID) -> ConditionValidationError:
    return ConditionValidationError([ConditionError(field, message, code)])


def check_lengths(obj, fields) -> None:
    """Text longer than its column is an error (the database would refuse it)."""
    for name in fields:
        limit = obj._meta.get_field(name).max_length
        value = getattr(obj, name)
        if isinstance(value, str) and limit is not None and len(value) > limit:
            raise invalid(name, f"At most {limit} characters.")


def blocks_for(placement: str, customer_id: int | None = None, checkout_token=None,
               now: dt.datetime | None = None, limit: int = 20) -> list[ContentBlock]:
    """Active blocks of ``placement`` within their dates, for everyone or for a segment the
    shopper is in, by priority (highest first)."""
    now = now or timezone.now()
    mine = segments_of(customer_id, checkout_token)
    blocks = (ContentBlock.objects
              .filter(placement=placement, status=ContentBlock.Status.ACTIVE)
              .filter(Q(starts_at__isnull=True) | Q(starts_at__lte=now))
              .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
              .filter(Q(segments__isnull=True) | Q(segments__in=mine))
              .distinct().order_by("-priority", "pk"))
    return list(blocks[:limit])
