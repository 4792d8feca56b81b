"""What Saleor changes without telling plugins, caught on its models' signals.

- Checkouts: Saleor deletes them through the ORM (after completion, by its
  ``delete_expired_checkouts`` task, ``checkoutDelete``, with their customer) and calls no
  plugin hook. Their rows are collected per transaction and, once it commits, their visitors
  leave every segment and their customers are re-checked (``shop_events.checkouts_deleted``).
- Orders: Saleor's ``delete_expired_orders_task`` deletes expired orders without a hook; their
  customers are re-checked the same way (``shop_events.orders_deleted``). Drafts never count.
- Addresses: Saleor calls ``address_deleted`` after the address and its link to the customer
  are gone; the owners are remembered on the instance just before, for the hook to read.
- Logins: Saleor's ``tokenCreate`` (and token refresh) saves ``last_login`` without a hook;
  the customer is re-checked after the save commits.
- Checkouts and gift cards loaded from the database remember their customers, so that the hook
  of a checkout detached from its customer (``checkoutCustomerDetach``) or of a gift card
  taken from one (``giftCardUnassignUser``, ``giftCardAssignUser``) re-checks the one it had.

Processing follows the plugin's configuration: nothing when it is inactive (or not in
``PLUGINS``), the channel marked for the combined refresh when the real-time check is off."""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save, pre_delete

from ..intake import shop_events

logger = logging.getLogger(__name__)

OWNERS = "_segments_owner_ids"  # on a deleted Address: its customers' ids
LOADED_OWNER = "_segments_loaded_user_id"  # on a Checkout: its customer when loaded
LOADED_OWNERS = "_segments_loaded_owner_ids"  # on a GiftCard: its customers when loaded
_BUFFER = "_segments_deleted_%s"  # on the DB connection: rows waiting for the commit


def install() -> None:
    for signal, receiver, model in (
            (post_delete, checkout_deleted, "checkout.Checkout"),
            (post_delete, order_deleted, "order.Order"),
            (post_init, remember_checkout_owner, "checkout.Checkout"),
            (post_init, remember_gift_card_owners, "giftcard.GiftCard"),
            (post_save, customer_logged_in, "account.User"),
            (pre_delete, remember_address_owners, "account.Address")):
        signal.connect(receiver, sender=model,
                       dispatch_uid=f"saleor_segments.{receiver.__name__}")


def customer_logged_in(sender, instance, update_fields=None, created=False, **kwargs):
    if not created and update_fields and "last_login" in update_fields:
        transaction.on_commit(lambda: _login(instance.pk))  # at once outside a transaction


def _login(customer_id: int) -> None:
    try:
        plugin = _plugin()
        if plugin is not None and plugin._enabled(customers=[customer_id]):
            shop_events.customer_changed(customer_id, reason="event:login")
    except Exception:  # noqa: BLE001  (a segment failure never breaks a login)
        logger.exception("saleor_segments: re-check after a login failed")


def remember_checkout_owner(sender, instance, **kwargs):
    setattr(instance, LOADED_OWNER, instance.__dict__.get("user_id"))


def remember_gift_card_owners(sender, instance, **kwargs):
    setattr(instance, LOADED_OWNERS, {instance.__dict__.get("assigned_to_id"),
                                      instance.__dict__.get("used_by_id")} - {None})


def loaded_gift_card_owners(gift_card) -> set:
    return getattr(gift_card, LOADED_OWNERS, set())


def remember_address_owners(sender, instance, **kwargs):
    try:
        setattr(instance, OWNERS, list(instance.user_addresses.values_list("pk", flat=True)))
    except Exception:  # noqa: BLE001  (never in the way of a deletion)
        logger.exception("saleor_segments: could not read the owners of a deleted address")


def checkout_deleted(sender, instance, using=None, **kwargs):
    _collect("checkouts", instance, using)


def order_deleted(sender, instance, using=None, **kwargs):
    if instance.__dict__.get("status") != "draft":
        _collect("orders", instance, using)


def _collect(kind: str, instance, using) -> None:
    """Hold the deleted row until the transaction commits (one re-check pass per transaction)."""
    row = (instance.pk, instance.__dict__.get("channel_id"), instance.__dict__.get("user_id"))
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        process([row], kind)
        return
    buffer = getattr(connection, _BUFFER % kind, None)
    if buffer is None or not _still_pending(connection, buffer):
        buffer = _Buffer(connection, kind)
        setattr(connection, _BUFFER % kind, buffer)
        transaction.on_commit(buffer.flush, using=using)
    buffer.rows.append(row)


class _Buffer:
    def __init__(self, connection, kind):
        self.connection, self.kind, self.rows = connection, kind, []

    def flush(self):
        if getattr(self.connection, _BUFFER % self.kind, None) is self:
            setattr(self.connection, _BUFFER % self.kind, None)
        process(self.rows, self.kind)


def _still_pending(connection, buffer) -> bool:
    """False when the transaction (or savepoint) that registered the buffer's commit callback
    was rolled back: Django dropped the callback, so a new buffer is needed. Rows of a
    rolled-back deletion may stay in a buffer; ``process`` only acts on checkouts that are gone."""
    callbacks = getattr(connection, "run_on_commit", None)
    if callbacks is None:  # a Django without that attribute: one callback per transaction part
        return False
    return any(getattr(entry[1], "__self__", None) is buffer for entry in callbacks)


def process(rows, kind: str = "checkouts") -> None:
    """Move the shoppers of deleted checkouts (or orders), as the plugin is configured.
    Never raises."""
    if not rows:
        return
    try:
        plugin = _plugin()
        if plugin is None or not plugin.active:
            return
        if not plugin.real_time:  # their owners (a gone checkout: its visitor) re-evaluated
            for channel_id in sorted({channel for _, channel, _ in rows if channel}):
                mine = [row for row in rows if row[1] == channel_id]
                shop_events.mark_changed(
                    channel_id, [owner for _, _, owner in mine],
                    [key for key, _, owner in mine if owner is None and kind == "checkouts"])
            return
        if kind == "checkouts":
            shop_events.checkouts_deleted(rows)
        else:
            shop_events.orders_deleted(rows)
    except Exception:  # noqa: BLE001  (a segment failure never breaks Saleor's deletion)
        logger.exception("saleor_segments: handling %s deleted %s failed", len(rows), kind)


def _plugin():
    from saleor.plugins.manager import get_plugins_manager

    from .plugin import PLUGIN_ID

    return get_plugins_manager(allow_replica=False).get_plugin(PLUGIN_ID)
