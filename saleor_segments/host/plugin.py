"""CustomerSegmentsPlugin: Saleor's hooks forwarded to the engine's event shop_events.

Saleor finds it through the ``saleor.plugins`` entry point. Hooks return ``previous_value``
untouched; the intake never raises, so a segment failure never breaks a Saleor mutation."""

import logging
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from saleor.plugins.base_plugin import BasePlugin, ConfigurationTypeField

from ..intake import shop_events
from . import signals

if TYPE_CHECKING:  # pragma: no cover
    from saleor.account.models import Address, CustomerType, User
    from saleor.attribute.models import Attribute, AttributeValue
    from saleor.checkout.fetch import CheckoutInfo, CheckoutLineInfo
    from saleor.checkout.models import Checkout
    from saleor.giftcard.models import GiftCard
    from saleor.order.models import Fulfillment, Order
    from saleor.product.models import Category, Collection, Product, ProductVariant

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

    def _enabled(self, channel_id: int | None = None, customers=(), checkouts=()) -> bool:
        """True: re-check now. With the real-time check off, record the shoppers who changed
        and mark the channel (None: all) for ``saleor_segments.refresh_pending``, which then
        re-evaluates only them (no shopper known: the channel's full refresh)."""
        if self.active and not self.real_time:
            shop_events.mark_changed(channel_id, customers, checkouts)
        return self.active and self.real_time

    # --- order creation, and the plugin's own routes (GraphQL, Dashboard app, activity) ---

    def preprocess_order_creation(self, checkout_info: "CheckoutInfo",
                                  lines: list["CheckoutLineInfo"] | None,
                                  previous_value: Any) -> Any:
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

    def webhook(self, request: Any, path: str, previous_value: Any) -> Any:
        if not self.active:
            return previous_value
        if path.strip("/") == "graphql":
            from .graphql_route import handle as graphql

            return graphql(request, self.real_time)
        if path.strip("/").split("/")[0] == "app":  # the Dashboard app (pages, manifest)
            from ..dashboard_app.views import serve

            return serve(request, path.strip("/")[len("app"):].lstrip("/"))
        if path.strip("/").split("/")[0] == "exports":  # export downloads (reports)
            from .export_route import handle as export

            return export(request, path)
        from .activity_route import handle

        return handle(request, path, self.real_time)

    # --- customers ---------------------------------------------------------------------------

    def customer_created(self, customer: "User", previous_value: Any) -> Any:
        # every active segment: any condition can hold for a new customer
        if self._enabled(customers=[customer.pk]):
            shop_events.customer_created(customer.pk, reason="event:customer_created")
        return previous_value

    def staff_created(self, staff_user: "User", previous_value: Any) -> Any:
        # also called when staffCreate promotes an existing customer: they leave every segment
        if self._enabled(customers=[staff_user.pk]):
            shop_events.customer_created(staff_user.pk, reason="event:staff_created")
        return previous_value

    def customer_updated(self, customer: "User", previous_value: Any, webhooks=None) -> Any:
        if self._enabled(customers=[customer.pk]):
            shop_events.customer_changed(customer.pk, reason="event:customer_updated")
        return previous_value

    def customer_metadata_updated(self, customer: "User", previous_value: Any,
                                  webhooks=None) -> Any:
        if self._enabled(customers=[customer.pk]):
            shop_events.customer_changed(customer.pk, reason="event:customer_metadata_updated")
        return previous_value

    def account_confirmed(self, user: "User", previous_value: Any) -> Any:
        if self._enabled(customers=[user.pk]):
            shop_events.customer_changed(user.pk, reason="event:account_confirmed")
        return previous_value

    def customer_deleted(self, customer: "User", previous_value: Any, webhooks=None) -> Any:
        if self.active:  # leaving every segment is not optional
            shop_events.customer_deleted(customer.pk)
        return previous_value

    def _address_event(self, address, reason, owners=None):
        if not self.active:
            return
        if owners is None:
            owners = list(address.user_addresses.values_list("pk", flat=True))
        if self._enabled(customers=owners):
            for user_id in owners:
                shop_events.address_changed(user_id, reason=reason)

    def address_created(self, address: "Address", previous_value: Any) -> Any:
        self._address_event(address, "event:address_created")
        return previous_value

    def address_updated(self, address: "Address", previous_value: Any) -> Any:
        self._address_event(address, "event:address_updated")
        return previous_value

    def address_deleted(self, address: "Address", previous_value: Any) -> Any:
        # the link to its customers is gone by now: signals.py remembered them before
        self._address_event(address, "event:address_deleted",
                            owners=getattr(address, signals.OWNERS, []))
        return previous_value

    # --- data many customers share: customer types, attributes ---------------------------

    def customer_type_deleted(self, customer_type: "CustomerType", previous_value: Any,
                              webhooks=None) -> Any:
        """Saleor moves the type's customers to the default type in one UPDATE."""
        if self.active:
            shop_events.shared_data_changed(_reads_customer_type, self.real_time)
        return previous_value

    def _attribute_event(self, slug):
        if self.active:
            shop_events.shared_data_changed(lambda node: _reads_attribute(node, slug), self.real_time)

    def attribute_updated(self, attribute: "Attribute", previous_value: Any,
                          webhooks=None) -> Any:
        self._attribute_event(attribute.slug)
        return previous_value

    def attribute_deleted(self, attribute: "Attribute", previous_value: Any,
                          webhooks=None) -> Any:
        self._attribute_event(attribute.slug)
        return previous_value

    def attribute_value_updated(self, attribute_value: "AttributeValue",
                                previous_value: Any) -> Any:
        self._attribute_event(attribute_value.attribute.slug)
        return previous_value

    def attribute_value_deleted(self, attribute_value: "AttributeValue", previous_value: Any,
                                webhooks=None) -> Any:
        self._attribute_event(attribute_value.attribute.slug)
        return previous_value

    # --- the catalogue (products in carts, wishlists, views and orders) --------------------

    def _catalogue_event(self, obj, reason, products=None):
        """Bursts of changes: one combined refresh per channel, not a check per shopper;
        ``products``: the changed products, whose owners alone are re-evaluated."""
        if self.active:
            shop_events.catalogue_changed(products)

    # --- gift cards (store credit) -------------------------------------------------------

    def _gift_card_event(self, gift_card, reason):
        if not self.active:
            return
        owners = {gift_card.assigned_to_id, gift_card.used_by_id} - {None}
        owners = sorted(owners | signals.loaded_gift_card_owners(gift_card))
        if self._enabled(customers=owners):
            for user_id in owners:
                shop_events.customer_changed(user_id, reason=reason)

    # --- checkouts and orders ----------------------------------------------------------------

    def _checkout_event(self, checkout, reason):
        previous = getattr(checkout, signals.LOADED_OWNER, None)
        if self._enabled(checkout.channel_id, customers=[checkout.user_id, previous],
                         checkouts=[checkout.token]):
            shop_events.checkout_changed(checkout.token, checkout.channel_id, checkout.user_id,
                                    reason=reason)
            if previous is not None and previous != checkout.user_id:  # detached from them
                shop_events.checkout_owner_changed(previous, checkout.channel_id, reason=reason)

    def _order_event(self, order, reason):
        if self._enabled(order.channel_id, customers=[order.user_id]):
            shop_events.order_changed(order.user_id, order.channel_id, order.status, reason=reason)

    def _fulfillment_event(self, fulfillment, reason):
        self._order_event(fulfillment.order, reason)  # fulfilments change the order's status

    def order_bulk_created(self, orders: list["Order"], previous_value: Any) -> Any:
        for order in orders:
            self._order_event(order, "event:order_bulk_created")
        return previous_value

    # --- Saleor's hooks, each with the signature base_plugin.py declares --------------------

    def checkout_created(self, checkout: "Checkout", previous_value: Any, webhooks=None) -> Any:
        self._checkout_event(checkout, "event:checkout_created")
        return previous_value

    def checkout_updated(self, checkout: "Checkout", previous_value: Any, webhooks=None) -> Any:
        self._checkout_event(checkout, "event:checkout_updated")
        return previous_value

    def checkout_fully_paid(self, checkout: "Checkout", previous_value: Any,
                            webhooks=None) -> Any:
        self._checkout_event(checkout, "event:checkout_fully_paid")
        return previous_value

    def order_created(self, order: "Order", previous_value: Any, webhooks=None) -> Any:
        self._order_event(order, "event:order_created")
        return previous_value

    def order_confirmed(self, order: "Order", previous_value: Any, webhooks=None) -> Any:
        self._order_event(order, "event:order_confirmed")
        return previous_value

    def order_updated(self, order: "Order", previous_value: Any, webhooks=None) -> Any:
        self._order_event(order, "event:order_updated")
        return previous_value

    def order_paid(self, order: "Order", previous_value: Any, webhooks=None) -> Any:
        self._order_event(order, "event:order_paid")
        return previous_value

    def order_fully_paid(self, order: "Order", previous_value: Any, webhooks=None) -> Any:
        self._order_event(order, "event:order_fully_paid")
        return previous_value

    def order_cancelled(self, order: "Order", previous_value: Any, webhooks=None) -> Any:
        self._order_event(order, "event:order_cancelled")
        return previous_value

    def order_expired(self, order: "Order", previous_value: Any, webhooks=None) -> Any:
        self._order_event(order, "event:order_expired")
        return previous_value

    def order_fulfilled(self, order: "Order", previous_value: Any, webhooks=None) -> Any:
        self._order_event(order, "event:order_fulfilled")
        return previous_value

    def order_refunded(self, order: "Order", previous_value: Any, webhooks=None) -> Any:
        self._order_event(order, "event:order_refunded")
        return previous_value

    def order_fully_refunded(self, order: "Order", previous_value: Any, webhooks=None) -> Any:
        self._order_event(order, "event:order_fully_refunded")
        return previous_value

    def fulfillment_created(self, fulfillment: "Fulfillment", notify_customer: bool = True,
                            calculate_stocks_with_shipping_zones: bool = True,
                            previous_value: Any = None) -> Any:
        self._fulfillment_event(fulfillment, "event:fulfillment_created")
        return previous_value

    def fulfillment_canceled(self, fulfillment: "Fulfillment",
                             calculate_stocks_with_shipping_zones: bool = True,
                             previous_value: Any = None) -> Any:
        self._fulfillment_event(fulfillment, "event:fulfillment_canceled")
        return previous_value

    def fulfillment_approved(self, fulfillment: "Fulfillment", notify_customer: bool | None = True,
                             calculate_stocks_with_shipping_zones: bool = True,
                             previous_value: Any = None) -> Any:
        self._fulfillment_event(fulfillment, "event:fulfillment_approved")
        return previous_value

    def product_updated(self, product: "Product", previous_value: Any, webhooks=None) -> Any:
        self._catalogue_event(product, "event:product_updated", products=[product.pk])
        return previous_value

    def product_deleted(self, product: "Product", variants: list[int], previous_value: Any,
                        webhooks=None) -> Any:
        self._catalogue_event(product, "event:product_deleted")
        return previous_value

    def product_variant_updated(self, product_variant: "ProductVariant", previous_value: Any,
                                webhooks=None, **kwargs: Any) -> Any:
        self._catalogue_event(product_variant, "event:product_variant_updated",
                              products=[product_variant.product_id])
        return previous_value

    def product_variant_deleted(self, product_variant: "ProductVariant", previous_value: Any,
                                webhooks=None) -> Any:
        self._catalogue_event(product_variant, "event:product_variant_deleted")
        return previous_value

    def category_updated(self, category: "Category", previous_value: Any) -> Any:
        self._catalogue_event(category, "event:category_updated")
        return previous_value

    def category_deleted(self, category: "Category", previous_value: Any, webhooks=None) -> Any:
        self._catalogue_event(category, "event:category_deleted")
        return previous_value

    def collection_updated(self, collection: "Collection", previous_value: Any) -> Any:
        self._catalogue_event(collection, "event:collection_updated")
        return previous_value

    def collection_deleted(self, collection: "Collection", previous_value: Any,
                           webhooks=None) -> Any:
        self._catalogue_event(collection, "event:collection_deleted")
        return previous_value

    def gift_card_created(self, gift_card: "GiftCard", previous_value: Any,
                          webhooks=None) -> Any:
        self._gift_card_event(gift_card, "event:gift_card_created")
        return previous_value

    def gift_card_updated(self, gift_card: "GiftCard", previous_value: Any) -> Any:
        self._gift_card_event(gift_card, "event:gift_card_updated")
        return previous_value

    def gift_card_deleted(self, gift_card: "GiftCard", previous_value: Any,
                          webhooks=None) -> Any:
        self._gift_card_event(gift_card, "event:gift_card_deleted")
        return previous_value

    def gift_card_status_changed(self, gift_card: "GiftCard", previous_value: Any,
                                 webhooks=None) -> Any:
        self._gift_card_event(gift_card, "event:gift_card_status_changed")
        return previous_value


def _reads_customer_type(node) -> bool:
    from ..conditions.customer import CustomerField

    return isinstance(node, CustomerField) and node.field == "customer_type"


def _reads_attribute(node, slug: str) -> bool:
    from ..conditions.customer import CustomerAttribute
    from ..conditions.products import ProductAttribute

    return ((isinstance(node, CustomerAttribute) and node.key == slug)
            or (isinstance(node, ProductAttribute) and node.attribute == slug))
