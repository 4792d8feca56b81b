"""What the membership engine tells the rest of the plugin, through one explicit boundary.

``memberships_changed`` is sent inside the transaction that wrote a refresh's joins and
leaves, so receivers can act on the same rows (and roll back with them). The engine does not
know who listens: ``apps.SegmentsConfig.ready`` connects the discounts' price expiry.

Arguments: ``subject`` ("customer" or "visitor"), ``segment_ids`` (the segments refreshed)
and ``changed(segment_ids) -> Fragment``: SQL selecting the shoppers (user ids or checkout
tokens) whose membership of those segments changed.

``shopper_checked`` is sent after a shop event re-checked one shopper (``intake``): ``result``
(the check's joins and leaves, or None), ``customer_id`` or ``checkout_token``.

``segment_withdrawn`` is sent when a segment stops counting (deactivated, or about to be
deleted, its memberships still in place): ``segment``.
"""

from django.dispatch import Signal

memberships_changed = Signal()
shopper_checked = Signal()
segment_withdrawn = Signal()
