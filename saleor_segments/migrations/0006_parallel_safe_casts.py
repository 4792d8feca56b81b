"""Metadata casts that are truly PARALLEL SAFE: no exception block (a PL/pgSQL exception block
opens a subtransaction, which PostgreSQL refuses inside a parallel query: large stores get
parallel plans), and no input that can raise (out-of-range dates, numbers too long for
``numeric``). Their Python twin is ``conditions.customer.metadata_value``."""

from importlib import import_module

from django.db import migrations

FUNCTIONS = [r"""
CREATE OR REPLACE FUNCTION saleor_segments_to_numeric(t text) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN length(t) <= 1000 AND t ~ '^ *[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+) *$'
              THEN trim(t)::numeric END
$$""", r"""
CREATE OR REPLACE FUNCTION saleor_segments_to_date(t text) RETURNS date
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  y int; m int; d int; last int;
BEGIN
  IF t IS NULL OR t !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}' THEN RETURN NULL; END IF;
  y := substr(t, 1, 4)::int; m := substr(t, 6, 2)::int; d := substr(t, 9, 2)::int;
  last := CASE WHEN m = 2 AND mod(y, 4) = 0 AND (mod(y, 100) <> 0 OR mod(y, 400) = 0) THEN 29
               WHEN m = 2 THEN 28 WHEN m IN (4, 6, 9, 11) THEN 30 ELSE 31 END;
  IF y < 1 OR m < 1 OR m > 12 OR d < 1 OR d > last THEN RETURN NULL; END IF;
  RETURN make_date(y, m, d);
END $$"""]  # (run one by one: Django's statement splitter does not know $$ bodies)

# reversed: the functions as migration 0002 made them
PREVIOUS = import_module("saleor_segments.migrations.0002_value_casts").FUNCTIONS


class Migration(migrations.Migration):
    dependencies = [("saleor_segments", "0005_segments_at_work")]
    operations = [migrations.RunSQL(FUNCTIONS, PREVIOUS)]
