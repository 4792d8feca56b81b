from django.apps import AppConfig


class SegmentsConfig(AppConfig):
    name = "saleor_segments"
    label = "saleor_segments"
    verbose_name = "Customer segments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.conf import settings

        from . import (
            conditions,  # noqa: F401  (registers the built-in condition kinds)
            webhooks,
        )
        from .membership import events
        from .targeting import discounts
        from .worker import tasks  # noqa: F401  (registers the Celery tasks, in Saleor's worker too)
        from .worker.schedule import merge_into

        # price expiry is the discounts' business: they listen to membership changes
        events.memberships_changed.connect(discounts.expire_changed_prices,
                                           dispatch_uid="segments-expire-prices")
        events.shopper_checked.connect(discounts.expire_checked_prices,
                                       dispatch_uid="segments-expire-checked-prices")
        events.segment_withdrawn.connect(discounts.expire_withdrawn_segment,
                                         dispatch_uid="segments-expire-withdrawn-prices")
        webhooks.install()  # membership events: the dispatch wakes after each change

        if isinstance(getattr(settings, "CELERY_BEAT_SCHEDULE", None), dict):
            merge_into(settings.CELERY_BEAT_SCHEDULE)  # Saleor's (or a project's) beat schedule

        from django.apps import apps

        if apps.is_installed("saleor.core"):  # inside Saleor: its DB rules, its Celery app
            from .host import db, discount_hooks, signals, webhook_transport

            db.install()
            signals.install()  # deleted checkouts and addresses (no plugin hook, or too late)
            discount_hooks.install()  # segment limits on order promotions and vouchers
            webhook_transport.install()  # deliveries through Saleor's HTTP client, its JWS
        else:  # standalone: the plugin's own Celery app (as a Django project's __init__ would)
            from .standalone import celery  # noqa: F401
