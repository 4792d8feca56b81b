"""Dynamic content blocks: which blocks of a placement a shopper sees, best first."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from .models import ContentBlock
from .shoppers import segments_of


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
