"""Segment limits inside Saleor's discount code, installed once at start-up.

No plugin hook can veto an order promotion or a voucher, so three Saleor functions are wrapped
(their signatures are checked first: a mismatch stops start-up with a clear error):

- ``fetch_promotion_rules_for_checkout_or_order``: rules of a restricted promotion are dropped
  for a checkout or order whose customer (or, anonymous, whose checkout) is not a member;
- ``validate_voucher_for_checkout`` / ``validate_voucher_in_order``: a restricted voucher
  raises Saleor's ``NotApplicable`` for non-members (VOUCHER_NOT_APPLICABLE on
  checkoutAddPromoCode; silently removed on recalculation).

Unrestricted discounts pass through without a query (the restriction map is cached). Every
module that bound a wrapped function by name is updated. A failure in a check is logged and
the restricted discount is withheld; the checkout itself goes on.
``check_checkout_discounts`` is the safety net the plugin runs before an order is created."""

from __future__ import annotations

import functools
import importlib
import inspect
import logging
import sys

from django.core.exceptions import ImproperlyConfigured, ValidationError

from ..targeting import discounts

logger = logging.getLogger(__name__)

PROMOTION_RULES = ("saleor.discount.utils.promotion", "fetch_promotion_rules_for_checkout_or_order",
                   ["instance", "database_connection_name"])
VOUCHER_CHECKOUT = ("saleor.discount.utils.voucher", "validate_voucher_for_checkout",
                    ["manager", "voucher", "checkout_info", "lines"])
VOUCHER_ORDER = ("saleor.discount.utils.voucher", "validate_voucher_in_order",
                 ["order", "lines", "channel"])
NOT_ELIGIBLE = "This discount is only for selected customers."
ACTIVE_CACHE_KEY = "saleor_segments:plugin_active"


def shopper_of(instance) -> tuple[int | None, object]:
    """(customer id, visitor checkout token) a checkout or order is judged by."""
    from saleor.checkout.models import Checkout

    if instance.user_id is not None:
        return instance.user_id, None
    return None, instance.token if isinstance(instance, Checkout) else None


def plugin_active() -> bool:
    """Is the plugin enabled in Saleor's configuration? (cached briefly; asked only on the
    path of restricted discounts). A disabled plugin restricts nothing."""
    from django.conf import settings
    from django.core.cache import cache
    from saleor.plugins.models import PluginConfiguration

    from .plugin import PLUGIN_ID, CustomerSegmentsPlugin

    if f"{CustomerSegmentsPlugin.__module__}.{CustomerSegmentsPlugin.__name__}" not in \
            settings.PLUGINS:
        return False
    active = cache.get(ACTIVE_CACHE_KEY)
    if active is None:
        row = PluginConfiguration.objects.filter(identifier=PLUGIN_ID).values_list(
            "active", flat=True).first()
        active = CustomerSegmentsPlugin.DEFAULT_ACTIVE if row is None else row
        cache.set(ACTIVE_CACHE_KEY, active, 30)
    return active


def member(kind: str, discount_id, instance) -> bool:
    """May this checkout or order have the discount? Unrestricted: yes, without a query.
    Errors count as no (logged)."""
    if discounts.restriction(kind, discount_id) is None:
        return True
    try:
        if not plugin_active():
            return True  # restrictions are the plugin's: off with it
        customer_id, token = shopper_of(instance)
        return discounts.eligible(kind, discount_id, customer_id, token)
    except Exception:  # noqa: BLE001  (never break the checkout: withhold the discount)
        logger.exception("saleor_segments: eligibility check failed; discount withheld")
        return False


def promotion_rules_wrapper(original):
    @functools.wraps(original)
    def fetch_promotion_rules_for_checkout_or_order(instance, *args, **kwargs):
        rules = original(instance, *args, **kwargs)
        restricted = discounts.restrictions()[discounts.PROMOTION]
        if not restricted or not rules:
            return rules
        return [rule for rule in rules if member(discounts.PROMOTION, rule.promotion_id,
                                                 instance)]

    return fetch_promotion_rules_for_checkout_or_order


def voucher_checkout_wrapper(original):
    @functools.wraps(original)
    def validate_voucher_for_checkout(manager, voucher, checkout_info, lines, *args, **kwargs):
        original(manager, voucher, checkout_info, lines, *args, **kwargs)
        if not member(discounts.VOUCHER, voucher.pk, checkout_info.checkout):
            raise _not_applicable()

    return validate_voucher_for_checkout


def voucher_order_wrapper(original):
    @functools.wraps(original)
    def validate_voucher_in_order(order, lines, channel, *args, **kwargs):
        original(order, lines, channel, *args, **kwargs)
        if order.voucher_id is not None and not member(discounts.VOUCHER, order.voucher_id,
                                                       order):
            raise _not_applicable()

    return validate_voucher_in_order


def _not_applicable():
    from saleor.discount.models import NotApplicable

    return NotApplicable(NOT_ELIGIBLE)


def wrap(spec, make_wrapper) -> int:
    """Wrap ``module.name`` after checking its parameters; rebind it in every loaded Saleor
    module that imported it by name. Returns how many modules now hold the wrapper."""
    module_name, name, expected = spec
    module = importlib.import_module(module_name)
    original = getattr(module, name, None)
    if original is None:
        raise ImproperlyConfigured(f"saleor_segments: {module_name}.{name} is missing; this "
                                   "Saleor version is not supported")
    if getattr(original, "__segments_wrapped__", False):
        return 0
    found = list(inspect.signature(original).parameters)
    if found != expected:
        raise ImproperlyConfigured(
            f"saleor_segments: {module_name}.{name}{tuple(found)} does not have the expected "
            f"parameters {tuple(expected)}; this Saleor version is not supported")
    wrapper = make_wrapper(original)
    wrapper.__segments_wrapped__ = True
    count = 0
    for loaded in list(sys.modules.values()):
        if getattr(loaded, "__name__", "").startswith("saleor.") and \
                loaded.__dict__.get(name) is original:
            setattr(loaded, name, wrapper)
            count += 1
    return count


def install() -> None:
    wrap(PROMOTION_RULES, promotion_rules_wrapper)
    wrap(VOUCHER_CHECKOUT, voucher_checkout_wrapper)
    wrap(VOUCHER_ORDER, voucher_order_wrapper)
    discounts.set_voucher_revalidator(revalidate_vouchers)


def revalidate_vouchers(tokens) -> None:
    """Saleor's own voucher recalculation for these checkouts (a voucher whose shopper left
    its segment is removed silently, as Saleor removes one that no longer applies)."""
    from saleor.checkout.fetch import fetch_checkout_info, fetch_checkout_lines
    from saleor.checkout.models import Checkout
    from saleor.checkout.utils import recalculate_checkout_discount
    from saleor.plugins.manager import get_plugins_manager

    manager = get_plugins_manager(allow_replica=False)
    for checkout in Checkout.objects.filter(token__in=tokens, voucher_code__isnull=False):
        lines, _ = fetch_checkout_lines(checkout)
        recalculate_checkout_discount(manager, fetch_checkout_info(checkout, lines, manager),
                                      lines)


def check_checkout_discounts(checkout_info) -> None:
    """Before an order is created: refuse a checkout that carries a promotion or voucher its
    shopper is no longer eligible for (Saleor's ValidationError)."""
    from saleor.checkout.error_codes import CheckoutErrorCode
    from saleor.discount.models import CheckoutDiscount

    if not any(discounts.restrictions().values()):
        return
    checkout = checkout_info.checkout
    voucher = checkout_info.voucher
    refused = voucher is not None and not member(discounts.VOUCHER, voucher.pk, checkout)
    if not refused:
        promotion_ids = set(CheckoutDiscount.objects.filter(
            checkout_id=checkout.pk, promotion_rule__isnull=False).values_list(
            "promotion_rule__promotion_id", flat=True))
        refused = any(not member(discounts.PROMOTION, pk, checkout) for pk in promotion_ids)
    if refused:
        raise ValidationError({"discount": ValidationError(
            NOT_ELIGIBLE, code=CheckoutErrorCode.VOUCHER_NOT_APPLICABLE.value)})
