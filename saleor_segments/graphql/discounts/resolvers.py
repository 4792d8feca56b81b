"""Saleor discounts named by the API: order promotions and vouchers, and their limits."""

import uuid

from ... import models
from ...targeting import discounts
from ..core.errors import InputError
from ..core.ids import decode, saleor_row


def promotion_id(value, field="promotion") -> str:
    pk = decode(value, "Promotion", field, pk=lambda raw: str(uuid.UUID(raw)))
    (kind,) = saleor_row("discount_promotion", pk, field, f"Promotion {value!r}", "type")
    if kind != "order":
        raise InputError.one(field, "invalid", "Only order promotions can be limited to "
                                               "segments (catalogue prices are the same for "
                                               "every shopper in Saleor).")
    return pk


def voucher_id(value, field="voucher") -> str:
    pk = decode(value, "Voucher", field)
    saleor_row("discount_voucher", pk, field, f"Voucher {value!r}")
    return str(pk)


def restricted_segments(kind, discount_id):
    ids = discounts.restriction(kind, discount_id)
    return None if ids is None else list(models.Segment.objects.filter(pk__in=ids))
