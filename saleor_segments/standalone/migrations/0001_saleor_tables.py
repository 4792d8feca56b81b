from django.db import migrations

from saleor_segments.standalone.schema import create_saleor_tables, drop_saleor_tables


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [migrations.RunPython(create_saleor_tables, drop_saleor_tables)]
