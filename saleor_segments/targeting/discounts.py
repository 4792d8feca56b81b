"""Discounts limited to segments: which promotions and vouchers are restricted, who is
eligible, and what a restriction would reach (dry run). Saleor-free; the hooks into Saleor's
discount code live in ``host/discount_hooks.py``.

The map of restrictions is cached (Django's cache) so that an unrestricted discount costs no
query at all on Saleor's price-calculation path; every change here clears it."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction

from ..membership.tables import CUSTOMERS, SEGMENT_TABLE, VISITORS, segments_of
from ..models import DiscountRestriction, Segment

logger = logging.getLogger(__name__)

CACHE_KEY = "saleor_segments:discount_restrictions:v1"
CACHE_SECONDS = 300
# the kinds' values (plain str, as the cached map's keys and as mypy sees them without Django stubs)
PROMOTION, VOUCHER = str(DiscountRestriction.Kind.PROMOTION), str(DiscountRestriction.Kind.VOUCHER)


def restrictions() -> dict[str, dict[str, tuple[int, ...]]]:
    """{kind: {discount id: segment ids}} of every restricted discount (cached)."""
    found = cache.get(CACHE_KEY)
    if found is None:
        found = {PROMOTION: {}, VOUCHER: {}}
        through = DiscountRestriction.segments.through
        links: dict[int, list[int]] = {}
        for restriction_id, segment_id in through.objects.values_list("discountrestriction_id",
                                                                      "segment_id"):
            links.setdefault(restriction_id, []).append(segment_id)
        for pk, kind, discount_id in DiscountRestriction.objects.values_list(
                "pk", "kind", "discount_id"):
            found[kind][discount_id] = tuple(sorted(links.get(pk, ())))
        cache.set(CACHE_KEY, found, CACHE_SECONDS)
    return found


def invalidate() -> None:
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))  # and once the change is visible


def restriction(kind: str, discount_id) -> tuple[int, ...] | None:
    """Segment ids a discount is limited to; None when it is not restricted."""
    return restrictions()[kind].get(str(discount_id))


def restricted_segment_ids() -> set[int]:
    return {pk for by_id in restrictions().values() for ids in by_id.values() for pk in ids}


def set_segments(kind: str, discount_id, segment_ids: list[int]) -> DiscountRestriction | None:
    """Limit a discount to these segments; an empty list lifts the restriction."""
    with transaction.atomic():
        if not segment_ids:
            DiscountRestriction.objects.filter(kind=kind, discount_id=str(discount_id)).delete()
            invalidate()
            return None
        restriction_row, _ = DiscountRestriction.objects.get_or_create(
            kind=kind, discount_id=str(discount_id))
        restriction_row.segments.set(Segment.objects.filter(pk__in=segment_ids))
        restriction_row.save(update_fields=["updated_at"])
        invalidate()
        return restriction_row


def is_member(segment_ids, customer_id: int | None = None, checkout_token=None) -> bool:
    """Is this customer (or visitor checkout) in one of these segments, counting active
    segments only? A customer's checkout is judged by the customer."""
    if not segment_ids:
        return False
    return not segments_of(customer_id, checkout_token).isdisjoint(segment_ids)


def eligible(kind: str, discount_id, customer_id=None, checkout_token=None) -> bool:
    """May this shopper get the discount? Unrestricted discounts: yes, without a query."""
    segment_ids = restriction(kind, discount_id)
    if segment_ids is None:
        return True
    return is_member(segment_ids, customer_id, checkout_token)


def expire_checkout_prices(result, customer_id: int | None = None, checkout_token=None) -> int:
    """After a re-check: when the shopper's membership of a segment some discount is limited to
    changed, or a customer in such a segment touched a checkout, mark their checkouts' prices
    as expired so Saleor recalculates discounts at the next price calculation."""
    restricted = restricted_segment_ids()
    if not restricted or result is None:
        return 0
    changed = restricted & set(result.joined + result.left)
    if not changed and not (customer_id is not None and is_member(restricted, customer_id)):
        return 0
    column, value = ("user_id", customer_id) if customer_id is not None else ("token",
                                                                              checkout_token)
    return expire_prices(f"{column} = %s", [value])


_voucher_revalidator = None


def set_voucher_revalidator(fn) -> None:
    """The host's way to re-validate checkouts' vouchers now (inside Saleor: Saleor's own
    recalculation, which removes a voucher that no longer applies)."""
    global _voucher_revalidator
    _voucher_revalidator = fn


def expire_changed_prices(sender=None, *, subject: str, segment_ids: list[int], changed,
                          **kwargs) -> int:
    """Receiver of ``membership.events.memberships_changed``: the checkouts of shoppers whose
    membership of a segment some discount is limited to changed get their prices expired, so
    their discounts follow at the next price calculation (vouchers: at the next checkout
    change, so no re-validation here)."""
    restricted_ids = restricted_segment_ids()
    restricted = [pk for pk in segment_ids if pk in restricted_ids]
    if not restricted:
        return 0
    shoppers = changed(restricted)
    column = "user_id" if subject == "customer" else "token"
    return expire_prices(f"{column} IN ({shoppers.sql})", list(shoppers.params),
                         revalidate=False)


def expire_checked_prices(sender=None, *, result, customer_id: int | None = None,
                          checkout_token=None, **kwargs) -> int:
    """Receiver of ``membership.events.shopper_checked`` (a shop event re-checked a shopper)."""
    return expire_checkout_prices(result, customer_id, checkout_token)


def expire_withdrawn_segment(sender=None, *, segment, **kwargs) -> int:
    """Receiver of ``membership.events.segment_withdrawn``: a restricted discount's segment
    was deactivated or is being deleted, so its members' checkout prices are recalculated at
    the next price calculation."""
    if segment.pk not in restricted_segment_ids():
        return 0
    return expire_prices(f"""user_id IN (SELECT customer_id FROM {CUSTOMERS.table}
                                         WHERE segment_id = %s)
                             OR token IN (SELECT checkout_token FROM {VISITORS.table}
                                          WHERE segment_id = %s)""", [segment.pk, segment.pk])


def expire_prices(where: str, params: list, revalidate: bool = True) -> int:
    """Expire the prices of the checkouts ``where`` selects; re-validate their vouchers when
    some voucher is restricted (and ``revalidate``). A failure of the re-validation is logged;
    the safety net at order creation still holds."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE checkout_checkout SET price_expiration = now(), "
                       f"discount_expiration = now() WHERE {where} "
                       f"RETURNING token, voucher_code", params)
        rows = cursor.fetchall()
    with_voucher = [token for token, code in rows if code]
    if revalidate and with_voucher and _voucher_revalidator and restrictions()[VOUCHER]:
        try:
            with transaction.atomic():
                _voucher_revalidator(with_voucher)
        except Exception:  # noqa: BLE001  (never break the caller)
            logger.exception("saleor_segments: voucher re-validation failed")
    return len(rows)


@dataclass
class DryRun:
    restricted: bool
    eligible_customers: int  # members with an active, non-staff account: who can use it
    customers: int  # every active, non-staff customer
    members: int | None = None  # every customer in the limit's active segments (restricted)

    @property
    def share(self) -> float:
        return self.eligible_customers / self.customers if self.customers else 0.0


SAVED = object()


def dry_run(kind: str, discount_id, segment_ids=SAVED) -> DryRun:
    """How many customers a discount reaches through its segments, and their share; also
    how many members its segments have in all (inactive and staff accounts included).
    ``segment_ids`` answers for a choice not saved yet (empty: no limit)."""
    segment_ids = (restriction(kind, discount_id) if segment_ids is SAVED
                   else tuple(segment_ids) or None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM account_user WHERE NOT is_staff AND is_active")
        customers = cursor.fetchone()[0]
        if segment_ids is None:
            return DryRun(False, customers, customers)
        cursor.execute(f"""
            SELECT count(DISTINCT m.customer_id),
                   count(DISTINCT m.customer_id) FILTER (WHERE NOT u.is_staff AND u.is_active)
            FROM {CUSTOMERS.table} m
            JOIN {SEGMENT_TABLE} s ON s.id = m.segment_id AND s.status = 'active'
            JOIN account_user u ON u.id = m.customer_id
            WHERE m.segment_id = ANY(%s)""", [list(segment_ids)])
        members, eligible = cursor.fetchone()
        return DryRun(True, eligible, customers, members)
