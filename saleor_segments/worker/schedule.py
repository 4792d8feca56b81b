"""Periodic tasks the plugin needs; merged into CELERY_BEAT_SCHEDULE (Saleor's or standalone)."""

import datetime

BEAT_SCHEDULE = {
    "saleor-segments-refresh-pending": {
        "task": "saleor_segments.refresh_pending",
        "schedule": datetime.timedelta(minutes=1),
    },
    "saleor-segments-refresh-all": {  # full evaluations: the safety net of incremental ones
        "task": "saleor_segments.refresh_all",
        "schedule": datetime.timedelta(days=1),
    },
    "saleor-segments-refresh-time-windows": {
        "task": "saleor_segments.refresh_time_windows",
        "schedule": datetime.timedelta(hours=1),
    },
    "saleor-segments-sweep-checkouts": {
        "task": "saleor_segments.sweep_checkouts",
        "schedule": datetime.timedelta(hours=1),
    },
    "saleor-segments-prune-product-views": {
        "task": "saleor_segments.prune_product_views",
        "schedule": datetime.timedelta(days=1),
    },
    "saleor-segments-abandon-stuck-refreshes": {
        "task": "saleor_segments.abandon_stuck_refreshes",
        "schedule": datetime.timedelta(hours=1),
    },
    "saleor-segments-delete-expired-exports": {
        "task": "saleor_segments.delete_expired_exports",
        "schedule": datetime.timedelta(hours=1),
    },
    "saleor-segments-prune-membership-deliveries": {
        "task": "saleor_segments.prune_membership_deliveries",
        "schedule": datetime.timedelta(days=1),
    },
    # membership events: catches up with changes whose wake-up was lost, and due retries
    "saleor-segments-dispatch-membership-events": {
        "task": "saleor_segments.dispatch_membership_events",
        "schedule": datetime.timedelta(minutes=1),
    },
}


def merge_into(schedule: dict) -> dict:
    """Add the plugin's entries; entries a project already defines under these names win."""
    for name, entry in BEAT_SCHEDULE.items():
        schedule.setdefault(name, entry)
    return schedule
