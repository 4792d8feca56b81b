"""An in-memory copy of a (small) store, for the Python reference evaluator."""

import json
from collections import defaultdict

from django.db import connection

from saleor_segments.conditions.saleor_tables import SALEOR_TABLES

PLUGIN_TABLES = {
    "saleor_segments_productview": ("id", "customer_id", "checkout_token", "product_id",
                                    "variant_id", "channel_id", "viewed_at"),
    "saleor_segments_wishlistitem": ("id", "customer_id", "product_id", "variant_id",
                                     "added_at"),
    "saleor_segments_customermembership": ("id", "segment_id", "customer_id"),
    "saleor_segments_visitormembership": ("id", "segment_id", "checkout_token"),
}


JSON_COLUMNS = {name: [c for c, t in table.columns.items() if t == "jsonb"]
                for name, table in SALEOR_TABLES.items()}


class Snapshot:
    """Rows of every table the engine reads, as dicts, with lazily built indexes."""

    def __init__(self, rows: dict[str, list[dict]]):
        self.rows = rows
        self._indexes: dict = {}

    @classmethod
    def load(cls, using=connection) -> "Snapshot":
        tables = {name: tuple(t.columns) for name, t in SALEOR_TABLES.items()}
        tables.update(PLUGIN_TABLES)
        rows = {}
        with using.cursor() as cursor:
            for name, columns in tables.items():
                cursor.execute(f"SELECT {', '.join(columns)} FROM {name}")
                rows[name] = [dict(zip(columns, r, strict=True)) for r in cursor.fetchall()]
                for column in JSON_COLUMNS.get(name, ()):
                    for row in rows[name]:  # Django's connection returns jsonb as text
                        if isinstance(row[column], str):
                            row[column] = json.loads(row[column])
        return cls(rows)

    def by(self, table: str, column: str) -> dict:
        key = (table, column)
        if key not in self._indexes:
            index = defaultdict(list)
            for row in self.rows[table]:
                index[row[column]].append(row)
            self._indexes[key] = index
        return self._indexes[key]

    def one(self, table: str, column: str, value):
        found = self.by(table, column).get(value)
        return found[0] if found else None
