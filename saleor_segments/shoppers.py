"""Which active segments a shopper is in now: a customer, or a visitor's checkout."""

from django.db import connection


def segments_of(customer_id: int | None = None, checkout_token=None) -> set[int]:
    if customer_id is None and checkout_token is None:
        return set()
    table, column, value = (("saleor_segments_customermembership", "customer_id", customer_id)
                            if customer_id is not None else
                            ("saleor_segments_visitormembership", "checkout_token",
                             checkout_token))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT m.segment_id FROM {table} m JOIN saleor_segments_segment s "
                       f"ON s.id = m.segment_id AND s.status = 'active' "
                       f"WHERE m.{column} = %s", [value])
        return {r[0] for r in cursor.fetchall()}
