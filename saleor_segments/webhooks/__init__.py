"""Membership events: joins and leaves of segments told to other systems (README,
"Membership events (webhooks)").

The membership log is the outbox (``outbox``); Celery turns its new rows into signed, batched
deliveries (``tasks``, ``sending``); the host decides how a POST leaves (``transport``)."""


def install() -> None:
    """Wake the dispatch after every committed membership change (``apps.ready``)."""
    from ..membership import events
    from .receivers import wake_dispatch

    events.memberships_changed.connect(wake_dispatch, dispatch_uid="segments-webhooks-refresh")
    events.shopper_checked.connect(wake_dispatch, dispatch_uid="segments-webhooks-check")
    # a deleted segment's members leave (logged) in the deletion's transaction
    events.segment_withdrawn.connect(wake_dispatch, dispatch_uid="segments-webhooks-withdrawn")
