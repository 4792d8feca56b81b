"""CustomerSegmentsPlugin: Saleor's hooks forwarded to the engine's event intake.

Saleor finds it through the ``saleor.plugins`` entry point. Hooks return ``previous_value``
untouched; the intake never raises, so a segment failure never breaks a Saleor mutation."""

import logging

from django.core.exceptions import ValidationError
from saleor.plugins.base_plugin import BasePlugin, ConfigurationTypeField

from .. import intake

logger = logging.getLogger(__name__)

PLUGIN_ID = "saleor_segments"


class CustomerSegmentsPlugin(BasePlugin):
    PLUGIN_ID = PLUGIN_ID
    PLUGIN_NAME = "Customer segments"
    PLUGIN_DESCRIPTION = ("Rule-based, always-current groups of shoppers, for promotions, "
                          "vouchers, content blocks and reports.")
    CONFIGURATION_PER_CHANNEL = False
    DEFAULT_ACTIVE = True
    DEFAULT_CONFIGURATION = [{"name": "real_time_check", "value": True}]
    CONFIG_STRUCTURE = {
        "real_time_check": {
            "type": ConfigurationTypeField.BOOLEAN,
            "label": "Real-time check if customer is matched by segment",
            "help_text": "Yes: each shopper is re-checked when their data changes. No: "
                         "membership is kept by a combined refresh (Celery), faster with many "
                         "segments.",
        },
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        settings = {item["name"]: item["value"] for item in self.configuration}
        self.real_time = settings.get("real_time_check", True) not in (False, "false", "False")

    def _enabled(self, channel_id: int | None = None) -> bool:
        """True: re-check now. With the real-time check off, mark the work for
        ``saleor_segments.refresh_pending`` instead."""
        if self.active and not self.real_time:
            intake.mark_pending(channel_id)
        return self.active and self.real_time

    # --- storefront activity (views, wishlist) -----------------------------------------------

    def preprocess_order_creation(self, checkout_info, lines=None, previous_value=None,
                                  **kwargs):
        """Last safety net: no order with a discount its shopper is no longer eligible for."""
        if self.active:
            from .discount_hooks import check_checkout_discounts

            try:
                check_checkout_discounts(checkout_info)
            except ValidationError:
                raise
            except Exception:  # noqa: BLE001  (a plugin failure must not block the order)
                logger.exception("saleor_segments: discount check before order creation failed")
        return previous_value

    def webhook(self, request, path, previous_value, **kwargs):
        if not self.active:
            return previous_value
        if path.strip("/") == "graphql":
            from .graphql_route import handle as graphql

            return graphql(request, self.real_time)
        if path.strip("/").split("/")[0] == "app":  # the Dashboard app (pages, manifest)
            from ..dashboard_app.views import serve

            return serve(request, path.strip("/")[len("app"):].lstrip("/"))
        from .activity_route import handle

        return handle(request, path, self.real_time)

    # --- customers ---------------------------------------------------------------------------

    def customer_created(self, customer, previous_value, **kwargs):
        if self._enabled():
            intake.customer_changed(customer.pk, reason="event:customer_created")
        return previous_value

    def customer_updated(self, customer, previous_value, **kwargs):
        if self._enabled():
            intake.customer_changed(customer.pk, reason="event:customer_updated")
        return previous_value

    def customer_metadata_updated(self, customer, previous_value, **kwargs):
        if self._enabled():
            intake.customer_changed(customer.pk, reason="event:customer_metadata_updated")
        return previous_value

    def account_confirmed(self, user, previous_value, **kwargs):
        if self._enabled():
            intake.customer_changed(user.pk, reason="event:account_confirmed")
        return previous_value

    def customer_deleted(self, customer, previous_value, **kwargs):
        if self.active:  # leaving every segment is not optional
            intake.customer_deleted(customer.pk)
        return previous_value

    def _address_event(self, address, reason):
        if self._enabled():
            for user_id in address.user_addresses.values_list("pk", flat=True):
                intake.address_changed(user_id, reason=reason)

    def address_created(self, address, previous_value, **kwargs):
        self._address_event(address, "event:address_created")
        return previous_value

    def address_updated(self, address, previous_value, **kwargs):
        self._address_event(address, "event:address_updated")
        return previous_value

    # --- checkouts and orders ----------------------------------------------------------------

    def _checkout_event(self, checkout, reason):
        if self._enabled(checkout.channel_id):
            intake.checkout_changed(checkout.token, checkout.channel_id, checkout.user_id,
                                    reason=reason)

    def _order_event(self, order, reason):
        if self._enabled(order.channel_id):
            intake.order_changed(order.user_id, order.channel_id, order.status, reason=reason)


def _forwarding(handler_name: str, event: str):
    """A hook that forwards its object to ``handler_name`` and returns previous_value."""

    def hook(self, obj, previous_value, **kwargs):
        getattr(self, handler_name)(obj, f"event:{event}")
        return previous_value

    hook.__name__ = event
    return hook


# Saleor calls hooks by name: one forwarding method per checkout and order event.
for _event in ("checkout_created", "checkout_updated", "checkout_fully_paid"):
    setattr(CustomerSegmentsPlugin, _event, _forwarding("_checkout_event", _event))
for _event in ("order_created", "order_confirmed", "order_updated", "order_fully_paid",
               "order_cancelled", "order_fulfilled", "order_refunded"):
    setattr(CustomerSegmentsPlugin, _event, _forwarding("_order_event", _event))
