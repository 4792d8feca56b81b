from django.db import migrations

from saleor_segments.standalone.schema import sync_saleor_tables


class Migration(migrations.Migration):
    """Checkout price expiry columns, promotions, vouchers and pages (declared in tables.py)."""

    dependencies = [("saleor_tables", "0001_saleor_tables")]
    operations = [migrations.RunPython(sync_saleor_tables, migrations.RunPython.noop)]
