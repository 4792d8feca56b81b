"""The Saleor table layout standalone mode declares matches a real Saleor database."""

import pytest
from django.db import connection

from saleor_segments.conditions.saleor_tables import SALEOR_TABLES

pytestmark = [pytest.mark.saleor_contract, pytest.mark.django_db]


def test_every_declared_table_and_column_exists_with_the_same_type():
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name, column_name, data_type FROM information_schema.columns "
                       "WHERE table_schema = current_schema()")
        real = {(table, column): data_type for table, column, data_type in cursor.fetchall()}
    problems = []
    for table in SALEOR_TABLES.values():
        for column, declared in table.columns.items():
            found = real.get((table.name, column))
            if found is None:
                problems.append(f"{table.name}.{column}: missing in Saleor")
            elif found != declared:
                problems.append(f"{table.name}.{column}: Saleor has {found}, declared {declared}")
    assert not problems, "\n".join(problems)


def test_declared_primary_keys_are_saleors():
    with connection.cursor() as cursor:
        for table in SALEOR_TABLES.values():
            cursor.execute("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON "
                           "a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                           "WHERE i.indrelid = %s::regclass AND i.indisprimary", [table.name])
            assert [r[0] for r in cursor.fetchall()] == [table.pk], table.name
