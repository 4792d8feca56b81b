"""Writing rows into the declared Saleor tables (standalone demo, tests, benchmarks)."""

from django.db import connection
from psycopg.types.json import Jsonb

from ..conditions.saleor_tables import SALEOR_TABLES


def _prepare(table: str, values: dict) -> dict:
    declared = SALEOR_TABLES[table].columns
    unknown = set(values) - set(declared)
    if unknown:
        raise KeyError(f"{table} has no declared column(s) {sorted(unknown)}")
    return {k: Jsonb(v) if declared[k] == "jsonb" else v for k, v in values.items()}


def insert(table: str, **values) -> dict:
    """Insert one row and return it as a dict (with database defaults filled in)."""
    values = _prepare(table, values)
    columns = ", ".join(values)
    placeholders = ", ".join(["%s"] * len(values))
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) RETURNING *",
                       list(values.values()))
        names = [c.name for c in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def insert_many(table: str, rows: list[dict]) -> None:
    """Bulk insert rows sharing the same columns with COPY (explicit ids allowed)."""
    if not rows:
        return
    columns = list(rows[0])
    _prepare(table, rows[0])  # column check
    jsonb = [SALEOR_TABLES[table].columns[c] == "jsonb" for c in columns]
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([Jsonb(row[c]) if j else row[c]
                                for c, j in zip(columns, jsonb, strict=True)])


def reset_identities() -> None:
    """After bulk inserts with explicit ids, move identity sequences past them."""
    with connection.cursor() as cursor:
        for name, table in SALEOR_TABLES.items():
            if table.columns[table.pk] == "integer":
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{name}', '{table.pk}'), "
                               f"COALESCE((SELECT max({table.pk}) FROM {name}), 0) + 1, false)")


def truncate_store() -> None:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(SALEOR_TABLES) + " RESTART IDENTITY CASCADE")
