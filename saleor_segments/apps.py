from django.apps import AppConfig


class SegmentsConfig(AppConfig):
    name = "saleor_segments"
    label = "saleor_segments"
    verbose_name = "Customer segments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.conf import settings

        from . import conditions  # noqa: F401  (registers the built-in condition kinds)
        from .discounts import expire_changed_prices
        from .membership.events import memberships_changed

        # price expiry is the discounts' business: they listen to membership changes
        memberships_changed.connect(expire_changed_prices, dispatch_uid="segments-expire-prices")
        from .schedule import merge_into

        if isinstance(getattr(settings, "CELERY_BEAT_SCHEDULE", None), dict):
            merge_into(settings.CELERY_BEAT_SCHEDULE)  # Saleor's (or a project's) beat schedule

        from django.apps import apps

        if apps.is_installed("saleor.core"):  # inside Saleor: its DB rules, its Celery app
            from .host import db, discount_hooks, signals

            db.install()
            signals.install()  # deleted checkouts and addresses (no plugin hook, or too late)
            discount_hooks.install()  # segment limits on order promotions and vouchers
        else:  # standalone: the plugin's own Celery app (as a Django project's __init__ would)
            from .standalone import celery  # noqa: F401
