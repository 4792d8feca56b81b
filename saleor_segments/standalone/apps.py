from django.apps import AppConfig


class StandaloneConfig(AppConfig):
    """Creates Saleor's tables (as declared in ``saleor_segments.conditions.saleor_tables``) where Saleor is absent."""

    name = "saleor_segments.standalone"
    label = "saleor_tables"
    verbose_name = "Saleor tables (standalone)"
