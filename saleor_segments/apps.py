from django.apps import AppConfig


class SegmentsConfig(AppConfig):
    name = "saleor_segments"
    label = "saleor_segments"
    verbose_name = "Customer segments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        import importlib.util

        from . import conditions  # noqa: F401  (registers the built-in condition kinds)

        if importlib.util.find_spec("saleor") is not None:  # inside Saleor: its DB rules
            from .host import db

            db.install()
