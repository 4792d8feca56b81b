"""Safe casts for metadata values: a malformed value is NULL, never an error mid-refresh.
Their Python twin is ``conditions.customer.metadata_value``."""

from django.db import migrations

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION saleor_segments_to_numeric(t text) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN t ~ '^ *[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+) *$' THEN trim(t)::numeric END
$$;
CREATE OR REPLACE FUNCTION saleor_segments_to_date(t text) RETURNS date
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  IF t ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}' THEN RETURN left(t, 10)::date; END IF;
  RETURN NULL;
EXCEPTION WHEN others THEN RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION saleor_segments_to_boolean(t text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN lower(trim(t)) IN ('true', '1', 'yes') THEN true
              WHEN lower(trim(t)) IN ('false', '0', 'no') THEN false END
$$;
"""

DROP = """
DROP FUNCTION IF EXISTS saleor_segments_to_numeric(text);
DROP FUNCTION IF EXISTS saleor_segments_to_date(text);
DROP FUNCTION IF EXISTS saleor_segments_to_boolean(text);
"""


class Migration(migrations.Migration):
    dependencies = [("saleor_segments", "0001_initial")]
    operations = [migrations.RunSQL(FUNCTIONS, DROP)]
