"""The plugin's Django settings, each with its default, read at the time of use (so
``override_settings`` and a changed settings module both apply).

    from saleor_segments.conf import app_settings
    app_settings.REFRESH_PARTS

Environment variables (read by the standalone settings and the test suite, not here):
``SEGMENTS_PGDATA``, ``SEGMENTS_SALEOR_DATABASE``, ``SEGMENTS_API_TOKEN``,
``SEGMENTS_TEST_BROKER_URL``, ``SEGMENTS_SCREENSHOTS`` (see README, Configuration).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

PREFIX = "SEGMENTS_"

DEFAULTS: dict[str, Any] = {
    # ``work_mem`` of refresh transactions (hash joins over all customers)
    "REFRESH_WORK_MEM": "256MB",
    # incremental refresh: changes stamped up to this many seconds before the last refresh are
    # looked at again (transactions still open then, clocks of other servers a little behind)
    "INCREMENTAL_OVERLAP_SECONDS": 600,
    # ... and a segment not fully evaluated for this many hours is (the safety net for changes
    # no event and no timestamp shows, such as rows edited by hand)
    "FULL_REFRESH_EVERY_HOURS": 24,
    # ... and one where more than this share of the shoppers changed is evaluated fully (the
    # set-based full evaluation is then cheaper than shopper-by-shopper look-ups; 1: never)
    "INCREMENTAL_MAX_SHARE": 0.2,
    # default number of parts of a split refresh
    "REFRESH_PARTS": 4,
    # product views older than this many days are pruned
    "VIEW_RETENTION_DAYS": 365,
    # membership-event deliveries (sent or given up) older than this many days are deleted
    "DELIVERY_RETENTION_DAYS": 30,
    # standalone GraphQL view: {"<bearer token>": ["MANAGE_USERS", "MANAGE_DISCOUNTS"]}
    "API_TOKENS": {},
    # folder of export files (None: MEDIA_ROOT/segment-exports, else ./exports)
    "EXPORT_DIR": None,
    # export links are refused (and the files deleted) after this many hours
    "EXPORT_EXPIRY_HOURS": 24,
    # membership events: changes per delivery, attempts before a delivery fails, the first
    # retry's delay in seconds (doubled after each attempt), a POST's timeout in seconds
    "WEBHOOK_BATCH_SIZE": 500,
    "WEBHOOK_MAX_ATTEMPTS": 6,
    "WEBHOOK_RETRY_SECONDS": 30,
    "WEBHOOK_TIMEOUT": 10,
    # private-metadata key of the customer that mirrors their segment ids (None: off)
    "MEMBERSHIP_METADATA_KEY": None,
}


class AppSettings:
    """``app_settings.NAME`` is the Django setting ``SEGMENTS_NAME`` or its default."""

    def __getattr__(self, name: str) -> Any:
        if name not in DEFAULTS:
            raise AttributeError(f"unknown setting {PREFIX}{name}")
        return getattr(settings, PREFIX + name, DEFAULTS[name])


app_settings = AppSettings()
