"""Segment refresh at scale: 1,000,000 customers and 5,000,000 orders generated in SQL.

    DATABASE_URL=postgresql://... python benchmarks/refresh_benchmark.py [--customers N]
    python benchmarks/refresh_benchmark.py --saleor-database postgresql://.../saleor_bench

Prints, for each benchmark segment: full refresh (first and steady-state), the hand-written SQL
floor, the per-customer Python loop (extrapolated), and the one-customer check against 50
segments, each figure beside its target.

Standalone mode wipes the standalone store tables of the database it is given. With
``--saleor-database`` (or ``SEGMENTS_SALEOR_DATABASE=1`` and ``DATABASE_URL``) it runs against a
database migrated by real Saleor (``manage.py migrate`` in Saleor's environment with the plugin
installed creates the plugin's tables): it empties Saleor's customer, order, checkout and catalogue
tables and fills their real, wide rows (every NOT NULL column, real indexes) in SQL. Never point
it at a shop.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_pre = argparse.ArgumentParser(add_help=False)
_pre.add_argument("--saleor-database")
_saleor_url = _pre.parse_known_args()[0].saleor_database
if _saleor_url:  # before Django reads its settings
    os.environ["DATABASE_URL"] = _saleor_url
    os.environ["SEGMENTS_SALEOR_DATABASE"] = "1"
SALEOR_DB = bool(os.environ.get("SEGMENTS_SALEOR_DATABASE"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_segments.standalone.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import DatabaseError, connection, transaction  # noqa: E402
from django.test import override_settings  # noqa: E402

from saleor_segments.evaluation.compile import bind  # noqa: E402
from saleor_segments.intake import shop_events  # noqa: E402
from saleor_segments.membership.check import check_customer  # noqa: E402
from saleor_segments.membership.definitions import compiled  # noqa: E402
from saleor_segments.membership.refresh import refresh_channel, refresh_segment  # noqa: E402
from saleor_segments.models import (  # noqa: E402
    CustomerField,
    CustomerMembership,
    MembershipLog,
    Segment,
)
from saleor_segments.services.segments import create_segment  # noqa: E402
from saleor_segments.standalone.rows import truncate_store  # noqa: E402

NOW = dt.datetime.now(dt.UTC)

GENERATE = """
SELECT setseed(0.42);
INSERT INTO channel_channel (id, name, slug, currency_code, is_active)
VALUES (1, 'Default', 'default', 'USD', true);
INSERT INTO product_category (id, name, slug, parent_id, tree_id, lft, rght, level) VALUES
 (1, 'Apparel', 'apparel', NULL, 1, 1, 6, 0), (2, 'Shoes', 'shoes', 1, 1, 2, 5, 1),
 (3, 'Sneakers', 'sneakers', 2, 1, 3, 4, 2), (4, 'Books', 'books', NULL, 2, 1, 2, 0),
 (5, 'Home', 'home', NULL, 3, 1, 2, 0);
INSERT INTO product_producttype (id, name, slug) VALUES (1, 'Simple', 'simple');
INSERT INTO product_product (id, name, slug, product_type_id, category_id)
SELECT g, 'Product ' || g, 'product-' || g, 1, 1 + g %% 5 FROM generate_series(1, 2000) g;
INSERT INTO product_productvariant (id, sku, name, product_id)
SELECT g, 'SKU-' || g, '', 1 + (g - 1) / 2 FROM generate_series(1, 4000) g;
INSERT INTO product_productvariantchannellisting (id, variant_id, channel_id, currency, price_amount)
SELECT g, g, 1, 'USD', 5 + (g * 37) %% 300 FROM generate_series(1, 4000) g;
INSERT INTO attribute_attribute (id, slug, name, type, input_type)
VALUES (1, 'gender', 'Gender', 'CUSTOMER', 'dropdown');
INSERT INTO attribute_attributevalue (id, name, slug, attribute_id)
VALUES (1, 'Female', 'female', 1), (2, 'Male', 'male', 1);
INSERT INTO account_address (id, first_name, last_name, city, country, country_area, postal_code,
                             phone, company_name, street_address_1, street_address_2, city_area)
SELECT g, 'First' || g, 'Last' || g,
       (ARRAY['Los Angeles', 'New York', 'Chicago', 'Houston', 'Seattle', 'Miami', 'Austin',
              'San Diego', 'Boston', 'Denver'])[1 + (random() * 9.999)::int / 1],
       'US', (ARRAY['CA', 'NY', 'IL', 'TX', 'WA', 'FL', 'TX', 'CA', 'MA', 'CO'])[1 + g %% 10],
       lpad((g %% 99999)::text, 5, '0'), '', '', '1 Main St', '', ''
FROM generate_series(1, %(customers)s) g;
UPDATE account_address SET country_area = 'CA' WHERE city IN ('Los Angeles', 'San Diego')
  AND random() < 0.8;
INSERT INTO account_user (id, email, first_name, last_name, is_staff, is_active, is_confirmed,
    date_joined, updated_at, language_code, number_of_orders, default_billing_address_id,
    default_shipping_address_id, metadata, private_metadata)
SELECT g, 'user' || g || '@example.com', 'First' || g, 'Last' || g, false, true, true,
       now() - (random() * 900) * interval '1 day', now(), 'en', 0, g, g, '{}', '{}'
FROM generate_series(1, %(customers)s) g;
INSERT INTO account_user_addresses (id, user_id, address_id)
SELECT g, g, g FROM generate_series(1, %(customers)s) g;
INSERT INTO attribute_assigneduserattributevalue (id, user_id, value_id)
SELECT g, g, CASE WHEN random() < 0.52 THEN 1 ELSE 2 END
FROM generate_series(1, %(customers)s) g WHERE random() < 0.9;
INSERT INTO order_order (id, number, created_at, status, user_id, user_email, channel_id,
    currency, total_net_amount, total_gross_amount, subtotal_net_amount, subtotal_gross_amount)
SELECT gen_random_uuid(), g, now() - (random() * 730) * interval '1 day',
       (ARRAY['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'unfulfilled', 'canceled',
              'returned', 'draft'])[1 + (random() * 7.999)::int / 1],
       1 + (random() * (%(customers)s - 1))::int, '', 1, 'USD', t, t, t, t
FROM (SELECT g, round((20 + random() * 980)::numeric, 2) AS t
      FROM generate_series(1, %(orders)s) g) s;
INSERT INTO order_orderline (id, order_id, variant_id, product_sku, quantity,
                             unit_price_gross_amount, total_price_gross_amount)
SELECT gen_random_uuid(), o.id, 1 + (random() * 3999)::int, NULL, 1 + (random() * 2)::int, 10, 10
FROM order_order o CROSS JOIN LATERAL generate_series(1, CASE WHEN random() < 0.3 THEN 2 ELSE 1 END) n;
INSERT INTO checkout_checkout (token, created_at, last_change, user_id, channel_id, currency,
    subtotal_gross_amount, subtotal_net_amount, total_gross_amount, total_net_amount,
    shipping_price_gross_amount, shipping_price_net_amount, discount_amount)
SELECT gen_random_uuid(), now(), now() - random() * interval '20 days',
       CASE WHEN g %% 10 = 0 THEN NULL ELSE (g * 3) %% %(customers)s + 1 END, 1, 'USD',
       s, s, s, s, 0, 0, 0
FROM (SELECT g, round((random() * 500)::numeric, 2) AS s
      FROM generate_series(1, %(customers)s / 3) g) x;
INSERT INTO checkout_checkoutline (id, checkout_id, variant_id, quantity, is_gift,
                                   total_price_gross_amount)
SELECT gen_random_uuid(), c.token, 1 + (random() * 3999)::int, 1 + (random() * 3)::int, false, 10
FROM checkout_checkout c CROSS JOIN LATERAL generate_series(1, 1 + (random() * 2.5)::int) n;
"""

# Saleor's real tables: every NOT NULL column filled (Saleor sets most defaults in Python).
# Volumes as measured in issue 15: one line per order, %(carts)s carts (a tenth of them visitors').
SALEOR_TABLES = ["account_user", "account_address", "account_user_addresses", "order_order",
                 "order_orderline", "checkout_checkout", "checkout_checkoutline",
                 "product_category", "product_producttype", "product_product",
                 "product_productvariant", "product_productvariantchannellisting"]
GENERATE_SALEOR = """
SELECT setseed(0.42);
INSERT INTO channel_channel (id, name, slug, is_active, currency_code, default_country,
    allocation_strategy, order_mark_as_paid_strategy, default_transaction_flow_strategy,
    delete_expired_orders_after, metadata, private_metadata, allow_unpaid_orders,
    use_legacy_error_flow_for_checkout, include_draft_order_in_voucher_usage,
    automatically_complete_fully_paid_checkouts, use_legacy_line_discount_propagation_for_order,
    checkout_ttl_before_releasing_funds, release_funds_for_expired_checkouts,
    allow_legacy_gift_card_use)
VALUES (1, 'Default', 'default-channel', true, 'USD', 'US', 'prioritize-sorting-order',
        'payment_flow', 'charge', '60 days', '{}', '{}', false, true, false, false, true,
        '6 hours', false, true) ON CONFLICT DO NOTHING;
INSERT INTO product_category (id, name, slug, parent_id, tree_id, lft, rght, level,
    background_image_alt, description_plaintext, metadata, private_metadata) VALUES
 (1, 'Apparel', 'apparel', NULL, 1, 1, 6, 0, '', '', '{}', '{}'),
 (2, 'Shoes', 'shoes', 1, 1, 2, 5, 1, '', '', '{}', '{}'),
 (3, 'Sneakers', 'sneakers', 2, 1, 3, 4, 2, '', '', '{}', '{}'),
 (4, 'Books', 'books', NULL, 2, 1, 2, 0, '', '', '{}', '{}'),
 (5, 'Home', 'home', NULL, 3, 1, 2, 0, '', '', '{}', '{}');
INSERT INTO product_producttype (id, name, slug, has_variants, is_shipping_required, weight,
    is_digital, kind, metadata, private_metadata)
VALUES (1, 'Simple', 'simple', true, true, 0, false, 'normal', '{}', '{}');
INSERT INTO product_product (id, name, slug, product_type_id, category_id, updated_at, created_at,
    description_plaintext, search_document, search_index_dirty, metadata, private_metadata)
SELECT g, 'Product ' || g, 'product-' || g, 1, 1 + g %% 5, now(), now(), '', '', false, '{}', '{}'
FROM generate_series(1, 2000) g;
INSERT INTO product_productvariant (id, sku, name, product_id, track_inventory, is_preorder,
    created_at, updated_at, metadata, private_metadata)
SELECT g, 'SKU-' || g, '', 1 + (g - 1) / 2, true, false, now(), now(), '{}', '{}'
FROM generate_series(1, 4000) g;
INSERT INTO product_productvariantchannellisting (id, variant_id, channel_id, currency,
    price_amount)
SELECT g, g, 1, 'USD', 5 + (g * 37) %% 300 FROM generate_series(1, 4000) g;
INSERT INTO account_address (id, first_name, last_name, city, country, country_area, postal_code,
    phone, company_name, street_address_1, street_address_2, city_area, metadata,
    private_metadata, validation_skipped)
SELECT g, 'First' || g, 'Last' || g,
       (ARRAY['Los Angeles', 'New York', 'Chicago', 'Houston', 'Seattle', 'Miami', 'Austin',
              'San Diego', 'Boston', 'Denver'])[1 + floor(random() * 10)::int],
       'US', (ARRAY['CA', 'NY', 'IL', 'TX', 'WA', 'FL', 'TX', 'CA', 'MA', 'CO'])[1 + g %% 10],
       lpad((g %% 99999)::text, 5, '0'), '', '', '1 Main St', '', '', '{}', '{}', false
FROM generate_series(1, %(customers)s) g;
UPDATE account_address SET country_area = 'CA' WHERE city IN ('Los Angeles', 'San Diego')
  AND random() < 0.8;
INSERT INTO account_user (id, email, first_name, last_name, is_staff, is_active, is_superuser,
    is_confirmed, password, jwt_token_key, search_document, uuid, date_joined, updated_at,
    language_code, number_of_orders, default_billing_address_id, default_shipping_address_id,
    metadata, private_metadata)
SELECT g, 'user' || g || '@example.com', 'First' || g, 'Last' || g, false, true, false, true, '',
       left(md5(g::text), 12), '', gen_random_uuid(), now() - (random() * 900) * interval '1 day',
       now() - interval '1 hour', 'en', 0, g, g,
       CASE WHEN r < 0.468 THEN '{"gender": "female"}'::jsonb
            WHEN r < 0.9 THEN '{"gender": "male"}'::jsonb ELSE '{}'::jsonb END, '{}'
FROM (SELECT g, random() AS r FROM generate_series(1, %(customers)s) g) s;
INSERT INTO account_user_addresses (id, user_id, address_id)
SELECT g, g, g FROM generate_series(1, %(customers)s) g;
INSERT INTO order_order (id, number, created_at, updated_at, status, user_id, user_email,
    channel_id, currency, total_net_amount, total_gross_amount, subtotal_net_amount,
    subtotal_gross_amount, undiscounted_total_gross_amount, undiscounted_total_net_amount,
    shipping_price_gross_amount, shipping_price_net_amount, base_shipping_price_amount,
    undiscounted_base_shipping_price_amount, total_charged_amount, total_authorized_amount,
    tracking_client_id, language_code, display_gross_prices, customer_note, weight,
    checkout_token, origin, search_document, use_old_id, authorize_status, charge_status,
    should_refresh_prices, tax_exemption, lines_count, metadata, private_metadata,
    shipping_tax_class_metadata, shipping_tax_class_private_metadata)
SELECT gen_random_uuid(), g, c, c,
       (ARRAY['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'unfulfilled', 'canceled',
              'returned', 'draft'])[1 + floor(random() * 8)::int],
       1 + (random() * (%(customers)s - 1))::int, '', 1, 'USD', t, t, t, t, t, t, 0, 0, 0, 0, 0,
       0, '', 'en', true, '', 0, '', 'checkout', '', false, 'full', 'full', false, false, 1,
       '{}', '{}', '{}', '{}'
FROM (SELECT g, round((20 + random() * 980)::numeric, 2) AS t,
             now() - (random() * 730) * interval '1 day' AS c
      FROM generate_series(1, %(orders)s) g) s;
INSERT INTO order_orderline (id, order_id, variant_id, product_name, variant_name,
    translated_product_name, translated_variant_name, product_sku, quantity, quantity_fulfilled,
    currency, unit_price_net_amount, unit_price_gross_amount, total_price_net_amount,
    total_price_gross_amount, unit_discount_amount, unit_discount_value,
    undiscounted_total_price_gross_amount, undiscounted_total_price_net_amount,
    undiscounted_unit_price_gross_amount, undiscounted_unit_price_net_amount,
    base_unit_price_amount, undiscounted_base_unit_price_amount, is_shipping_required,
    is_gift_card, is_gift, created_at, metadata, private_metadata, tax_class_metadata,
    tax_class_private_metadata)
SELECT gen_random_uuid(), o.id, v, 'Product', '', '', '', 'SKU-' || v, q, 0, 'USD', 10, 10,
       10 * q, 10 * q, 0, 0, 10 * q, 10 * q, 10, 10, 10, 10, true, false, false, o.created_at,
       '{}', '{}', '{}', '{}'
FROM (SELECT id, created_at, 1 + (random() * 3999)::int AS v, 1 + (random() * 2)::int AS q
      FROM order_order) o;
INSERT INTO checkout_checkout (token, created_at, last_change, user_id, channel_id, currency,
    country, language_code, note, price_expiration, discount_expiration, shipping_tax_rate,
    subtotal_gross_amount, subtotal_net_amount, total_gross_amount, total_net_amount,
    base_subtotal_amount, base_total_amount, undiscounted_base_shipping_price_amount,
    shipping_price_gross_amount, shipping_price_net_amount, discount_amount, tax_exemption,
    authorize_status, charge_status, automatically_refundable, is_voucher_usage_increased,
    save_billing_address, save_shipping_address, search_index_dirty, metadata, private_metadata)
SELECT gen_random_uuid(), now() - interval '21 days', now() - random() * interval '20 days',
       CASE WHEN g %% 10 = 0 THEN NULL ELSE (g * 3) %% %(customers)s + 1 END, 1, 'USD', 'US',
       'en', '', now(), now(), 0, s, s, s, s, s, s, 0, 0, 0, 0, false, 'none', 'none', false,
       false, true, true, false, '{}', '{}'
FROM (SELECT g, round((random() * 500)::numeric, 2) AS s
      FROM generate_series(1, %(carts)s) g) x;
INSERT INTO checkout_checkoutline (id, checkout_id, variant_id, quantity, is_gift, created_at,
    currency, tax_rate, total_price_gross_amount, total_price_net_amount,
    undiscounted_unit_price_amount, metadata, private_metadata)
SELECT gen_random_uuid(), c.token, 1 + (random() * 3999)::int, 1 + (random() * 3)::int, false,
       c.created_at, 'USD', 0, 10, 10, 10, '{}', '{}'
FROM checkout_checkout c CROSS JOIN LATERAL generate_series(1, 1 + (random() * 2.5)::int) n;
"""

LOS_ANGELES = {"kind": "address", "address": "any", "conditions": [
    {"kind": "address.field", "field": "city", "operator": "contains", "value": "Los Angeles"},
    {"kind": "address.field", "field": "country_area", "operator": "is", "value": "CA"}]}
LOS_ANGELES_SQL = """(SELECT ua.user_id FROM account_user_addresses ua
                        JOIN account_address ad ON ad.id = ua.address_id
                        WHERE ad.city ILIKE '%%los angeles%%' AND ad.country_area = 'CA')"""



def order_history(extra, hand_extra):
    """3+ non-canceled orders of 500+ in the last 90 days (and ``extra`` conditions)."""
    return ({"conditions": [{"kind": "orders", "measure": "count", "operator": "gte", "value": 3,
                             "period": {"last_days": 90}, "conditions": [
                                 {"kind": "order.field", "field": "status",
                                  "operator": "not_in", "value": ["canceled"]},
                                 {"kind": "order.field", "field": "total", "operator": "gte",
                                  "value": 500}, *extra]}]},
            f"""SELECT o.user_id FROM order_order o
           WHERE o.channel_id = 1 AND o.status NOT IN ('draft', 'canceled')
             AND o.created_at >= now() - interval '90 days' AND o.total_gross_amount >= 500
             {hand_extra}
           GROUP BY o.user_id HAVING count(*) >= 3""")


SEGMENTS = {
    "seed example (women in LA)": (
        {"conditions": [
            {"kind": "customer.attribute", "attribute": "gender", "type": "string",
             "operator": "is", "value": "female"},
            LOS_ANGELES]},
        """SELECT u.id FROM account_user u WHERE NOT u.is_staff
           AND u.id IN (SELECT x.user_id FROM attribute_assigneduserattributevalue x
                        JOIN attribute_attributevalue v ON v.id = x.value_id
                        JOIN attribute_attribute a ON a.id = v.attribute_id
                        WHERE a.slug = 'gender' AND lower(v.name) = 'female')
           AND u.id IN """ + LOS_ANGELES_SQL),
    "3+ orders >= 500 in 90 days with category": order_history(
        [{"kind": "order.products", "conditions": [
            {"kind": "product.category", "operator": "is", "value": 2}]}],
        """AND EXISTS (SELECT 1 FROM order_orderline l
                         JOIN product_productvariant v ON v.id = l.variant_id
                         JOIN product_product p ON p.id = v.product_id
                         WHERE l.order_id = o.id AND p.category_id IN (2, 3))"""),
    "cart >= 200 with a sneaker": (
        {"conditions": [
            {"kind": "cart", "field": "subtotal", "operator": "gte", "value": 200},
            {"kind": "products", "source": "cart", "conditions": [
                {"kind": "product.category", "operator": "is", "value": 3}]}]},
        """SELECT DISTINCT c.user_id FROM checkout_checkout c
           WHERE c.channel_id = 1 AND c.user_id IS NOT NULL AND c.subtotal_gross_amount >= 200
             AND c.user_id IN (SELECT c2.user_id FROM checkout_checkout c2
                               JOIN checkout_checkoutline l ON l.checkout_id = c2.token
                               JOIN product_productvariant v ON v.id = l.variant_id
                               JOIN product_product p ON p.id = v.product_id
                               WHERE c2.channel_id = 1 AND p.category_id = 3)"""),
}


# the segments measured in issue 15 on a real-Saleor database (gender is a metadata key there)
SALEOR_SEGMENTS = {
    "seed example (women in LA, metadata gender)": (
        {"conditions": [
            {"kind": "customer.metadata", "source": "metadata", "key": "gender",
             "type": "string", "operator": "is", "value": "female"},
            LOS_ANGELES]},
        """SELECT u.id FROM account_user u WHERE NOT u.is_staff
           AND u.metadata ->> 'gender' = 'female'
           AND u.id IN """ + LOS_ANGELES_SQL),
    "3+ non-canceled orders >= 500 in 90 days": order_history([], ""),
    "ordered from a category tree (Apparel)": (
        {"conditions": [{"kind": "products", "source": "ordered", "conditions": [
            {"kind": "product.category", "operator": "is", "value": 1}]}]},
        """SELECT DISTINCT o.user_id FROM order_order o
           JOIN order_orderline l ON l.order_id = o.id
           JOIN product_productvariant v ON v.id = l.variant_id
           JOIN product_product p ON p.id = v.product_id
           WHERE o.channel_id = 1 AND o.status NOT IN ('draft', 'canceled', 'expired')
             AND o.user_id IS NOT NULL
             AND p.category_id IN (1, 2, 3)"""),
    "cart holding 3+ items": (
        {"conditions": [{"kind": "cart", "field": "quantity", "operator": "gte", "value": 3}]},
        """SELECT DISTINCT c.user_id FROM checkout_checkout c
           WHERE c.channel_id = 1 AND c.user_id IS NOT NULL
             AND (SELECT sum(l.quantity) FROM checkout_checkoutline l
                  WHERE l.checkout_id = c.token) >= 3"""),
}


def timed(fn, repeat=1):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def scalar(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def generate(customers, orders, carts):
    print(f"generating {customers:,} customers and {orders:,} orders in SQL ...", flush=True)
    Segment.objects.all().delete()
    MembershipLog.objects.all().delete()
    started = time.perf_counter()
    # one transaction: a failure leaves Saleor's tables and indexes as they were
    with transaction.atomic(), connection.cursor() as cursor:
        if SALEOR_DB:
            script = GENERATE_SALEOR
            dropped = saleor_prepare(cursor)
        else:
            truncate_store()
            script = GENERATE
            dropped = []
        for statement in script.split(";\n"):
            if statement.strip():
                step = time.perf_counter()
                cursor.execute(statement, {"customers": customers, "orders": orders,
                                           "carts": carts})
                print(f"  {statement.split('(')[0].strip()[:60]:60} "
                      f"{time.perf_counter() - step:6.0f}s", flush=True)
        step = time.perf_counter()
        for name, definition in dropped:  # Saleor's own indexes, built once over the data
            built = time.perf_counter()
            cursor.execute(definition)
            if time.perf_counter() - built >= 5:
                print(f"  index {name:54} {time.perf_counter() - built:6.0f}s", flush=True)
        if dropped:
            print(f"  {len(dropped)} of Saleor's indexes rebuilt in "
                  f"{time.perf_counter() - step:.0f}s", flush=True)
        if SALEOR_DB:
            cursor.execute("SET session_replication_role = DEFAULT")
            for table in SALEOR_TABLES:  # Saleor's own inserts go on after the generated ids
                if table.startswith(("order_", "checkout_")):
                    continue  # keyed by uuid
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                sequence = cursor.fetchone()[0]
                if sequence:
                    cursor.execute(f"SELECT setval(%s, (SELECT COALESCE(max(id), 0) + 1 "
                                   f"FROM {table}), false)", [sequence])
        cursor.execute("ANALYZE")
    print(f"  done in {time.perf_counter() - started:.0f}s", flush=True)


def saleor_prepare(cursor):
    """Empty the generated Saleor tables; drop their secondary indexes for the bulk load (the
    caller recreates them from Saleor's own definitions); foreign keys unchecked while loading."""
    cursor.execute("SET session_replication_role = replica")
    cursor.execute("TRUNCATE " + ", ".join(SALEOR_TABLES) + " CASCADE")
    cursor.execute("""
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = 'public' AND i.tablename = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                          WHERE k.conindid = (quote_ident(i.indexname))::regclass)""",
                   [SALEOR_TABLES])
    dropped = cursor.fetchall()
    for name, _definition in dropped:
        cursor.execute(f'DROP INDEX "{name}"')
    return dropped


def fifty_segments():
    """A mix of every condition group, as a store with many segments has: address, cart amounts
    and quantities, order counts and ordered categories with day windows, metadata (an attribute
    in standalone mode), any-of groups, customer fields."""
    gender = ({"kind": "customer.metadata", "source": "metadata", "key": "gender",
               "type": "string", "operator": "is", "value": "female"} if SALEOR_DB else
              {"kind": "customer.attribute", "attribute": "gender", "type": "string",
               "operator": "is", "value": "female"})
    specs = []
    for i in range(50):
        kind = i % 8
        if kind == 0:
            c = {"kind": "customer.field", "field": "email", "operator": "contains",
                 "value": f"{i}@"}
        elif kind == 1:
            c = {"kind": "address", "conditions": [{"kind": "address.field", "field": "city",
                                                    "operator": "is", "value": "Chicago"}]}
        elif kind == 2:
            c = {"kind": "cart", "field": "subtotal", "operator": "gte", "value": 10 * i}
        elif kind == 3:
            c = {"kind": "orders", "measure": "count", "operator": "gte", "value": 2,
                 "period": {"last_days": 30 + i}, "conditions": []}
        elif kind == 4:
            c = {"kind": "products", "source": "ordered", "period": {"last_days": 60 + i},
                 "conditions": [{"kind": "product.category", "operator": "is",
                                 "value": 1 + i % 5}]}
        elif kind == 5:
            c = gender
        elif kind == 6:
            c = {"kind": "group", "aggregator": "any", "conditions": [
                {"kind": "orders", "measure": "total", "operator": "gte", "value": 100 * i,
                 "conditions": []},
                {"kind": "cart", "field": "quantity", "operator": "gte", "value": 2 + i % 4}]}
        else:
            c = {"kind": "products", "source": "cart", "conditions": [
                {"kind": "product.category", "operator": "is", "value": 1 + i % 5}]}
        specs.append(create_segment(name=f"bench {i}", channel_id=1,
                                    conditions={"conditions": [c]}))
    return specs


def vacuum_memberships(command):
    with connection.cursor() as cursor:
        for model in (CustomerMembership, MembershipLog):
            cursor.execute(f"{command} {model._meta.db_table}")


def checkpoint():
    """Write out what the generation (or an earlier run) left in memory before timing: else a
    checkpoint of gigabytes runs beside the table, and every first change of a page after it
    starts also writes the whole page to the WAL (the same refresh then took up to twice as
    long). A shop's checkpoints write what its own changes dirtied since the last one."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
    except DatabaseError as exc:  # not a superuser (nor pg_checkpoint): timed as it is
        print(f"(no CHECKPOINT before the table: {exc})".strip())


def verdict(ok):
    return "met" if ok else "NOT MET"


def load():
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def checkpoints():
    """Checkpoints so far (timed, requested): a checkpoint that starts during a change and its
    refresh writes pages out beside them (the changes write a lot of WAL: every non-HOT update
    of a Saleor row adds an entry to each of its table's indexes, 31 on ``order_order``)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT checkpoints_timed, checkpoints_req FROM pg_stat_bgwriter")
        return cursor.fetchone()


def split_table(parts, workers, segments):
    """Split refresh: parts over customer-id ranges on parallel workers, one commit."""
    from concurrent.futures import ThreadPoolExecutor

    from saleor_segments.membership import split

    def run_part(pk):
        try:
            started = time.perf_counter()
            split.run_part(pk)
            return time.perf_counter() - started
        finally:
            connection.close()

    print(f"\nsplit refresh: {parts} parts over customer-id ranges, {workers} parallel "
          f"workers, then one commit (first refresh of a new segment; members kept equal)")
    header = (f"{'segment':44} {'full':>8} {'parts sum':>10} {'wall':>8} {'commit':>8} "
              f"{'split':>8} {'full/split':>10}")
    print(header)
    print("-" * len(header))
    for name, (conditions, _hand) in segments.items():
        whole = create_segment(name=f"{name} (full)", channel_id=1, conditions=conditions)
        full, _ = timed(lambda s=whole: refresh_segment(s))
        parted = create_segment(name=f"{name} (split)", channel_id=1, conditions=conditions)
        started = time.perf_counter()
        run = split.plan(parted, parts)
        with ThreadPoolExecutor(workers) as pool:
            part_times = list(pool.map(run_part, run.part_set.values_list("pk", flat=True)))
        wall = time.perf_counter() - started
        commit, run = timed(lambda r=run: split.commit(r.pk))
        total = wall + commit
        assert run.status == "done", run.error
        assert run.joined == CustomerMembership.objects.filter(segment=whole).count()
        print(f"{name:44} {full:>7.2f}s {sum(part_times):>9.2f}s {wall:>7.2f}s {commit:>7.2f}s "
              f"{total:>7.2f}s {full / total:>9.2f}x", flush=True)


def touch_customers(fraction, rng):
    """Change ``fraction`` of the customers the way a shop does without telling the plugin: a
    metadata write that moves Saleor's own ``updated_at``."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE account_user SET metadata = metadata || jsonb_build_object("
                       "'bench_touch', %s::int), updated_at = now() "
                       "WHERE NOT is_staff AND id %% %s = %s",
                       [rng.randrange(1 << 30), round(1 / fraction), rng.randrange(round(1 / fraction))])
        return cursor.rowcount


def touch_orders(fraction, rng):
    """Change the latest order of ``fraction`` of the customers the way Saleor saves an order
    (a payment or fulfilment status change moves ``order_order.updated_at``), without telling
    the plugin; totals and statuses stay, so the members stay."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE order_order o SET updated_at = now() FROM ("
                       "SELECT DISTINCT ON (user_id) id FROM order_order "
                       "WHERE user_id %% %s = %s ORDER BY user_id, created_at DESC) x "
                       "WHERE o.id = x.id",
                       [round(1 / fraction), rng.randrange(round(1 / fraction))])
        return cursor.rowcount


def touch_carts(fraction, rng):
    """Change the carts of as many customers as ``fraction`` of all customers (a cart edit
    moves ``checkout_checkout.last_change``), without telling the plugin; the lines stay."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM account_user")
        wanted = round(cursor.fetchone()[0] * fraction)
        cursor.execute("UPDATE checkout_checkout SET last_change = now() WHERE token IN ("
                       "SELECT token FROM checkout_checkout WHERE user_id IS NOT NULL "
                       "ORDER BY md5(token::text || %s) LIMIT %s)",
                       [str(rng.randrange(1 << 30)), wanted])
        return cursor.rowcount


# what "1% own data" changes for each segment (the others: the customer row, as "1% changed")
OWN_DATA = {
    "3+ orders >= 500 in 90 days with category": touch_orders,
    "cart >= 200 with a sneaker": touch_carts,
    "3+ non-canceled orders >= 500 in 90 days": touch_orders,
    "ordered from a category tree (Apparel)": touch_orders,
    "cart holding 3+ items": touch_carts,
}


def full_refresh(segment):
    return refresh_segment(segment)


def incremental_refresh(segment):
    """Only the shoppers changed since the last refresh. No overlap: the benchmark's changes
    must not count again in the next segment's "unchanged" figure (in a shop, changes stamped
    up to SEGMENTS_INCREMENTAL_OVERLAP_SECONDS before a refresh are looked at once more)."""
    with override_settings(SEGMENTS_INCREMENTAL_OVERLAP_SECONDS=0):
        return refresh_segment(segment, incremental=True)


def changed_refresh(segment, touch, rounds, rng, modes, label):
    """Median time of ``rounds`` incremental refreshes, each right after its own change of 1%
    of the customers (``touch``: other customers each round, as changes arrive in a shop)."""
    times, found = [], []
    for _ in range(rounds):
        assert touch(0.01, rng)
        seconds, result = timed(lambda: incremental_refresh(segment))
        times.append(seconds)
        found.append(result.modes[segment.pk])
    modes.append(f"{label}: {', '.join(sorted(set(found)))}; rounds "
                 f"{', '.join(f'{t:.2f}s' for t in times)}")
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--saleor-database", metavar="URL",
                        help="a database migrated by real Saleor (with the plugin's migrations)")
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--orders", type=int, default=5_000_000)
    parser.add_argument("--carts", type=int, default=None,
                        help="checkouts (default: 200,000 on a Saleor database, customers / 3)")
    parser.add_argument("--reuse", action="store_true", help="keep existing generated data")
    parser.add_argument("--sample", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3,
                        help="changes of 1%% timed per column (their median is printed)")
    parser.add_argument("--only-checks", action="store_true", help="skip the refresh table")
    parser.add_argument("--only-refresh", action="store_true",
                        help="the refresh table (and split refresh) only, no shopper checks")
    parser.add_argument("--split-parts", type=int, default=4,
                        help="parts of the split refresh (0: skip that table)")
    parser.add_argument("--split-workers", type=int, default=os.cpu_count() or 2,
                        help="parallel workers (threads, one connection each)")
    args = parser.parse_args()
    carts = args.carts or (200_000 if SALEOR_DB else args.customers // 3)
    if SALEOR_DB:
        if not scalar("SELECT count(*) FROM django_migrations WHERE app = 'saleor_segments'"):
            sys.exit("the plugin's tables are missing: run `manage.py migrate` in Saleor's "
                     "environment with the plugin installed first")
    else:
        call_command("migrate", verbosity=0)
    if not (args.reuse and scalar("SELECT count(*) FROM account_user WHERE NOT is_staff")
            == args.customers):
        generate(args.customers, args.orders, carts)
    Segment.objects.all().delete()
    # an earlier run's segments leave millions of dead membership rows: vacuum them away, as
    # autovacuum would in a shop, so that the checks do not step over them
    vacuum_memberships("VACUUM")
    checkpoint()
    CustomerField.objects.get_or_create(source="metadata" if SALEOR_DB else "attribute",
                                        key="gender", defaults={"value_type": "string"})
    segments_to_run = SALEOR_SEGMENTS if SALEOR_DB else SEGMENTS
    print(f"\n{'Saleor-migrated' if SALEOR_DB else 'standalone'} database, PostgreSQL "
          f"{scalar('SHOW server_version')}; {args.customers:,} customers, "
          f"{scalar('SELECT count(*) FROM order_order'):,} orders, "
          f"{scalar('SELECT count(*) FROM order_orderline'):,} order lines, "
          f"{scalar('SELECT count(*) FROM checkout_checkout'):,} checkouts; "
          f"shared_buffers {scalar('SHOW shared_buffers')}; {os.cpu_count()} cores, "
          f"{load()}\n")
    print("full: a refresh evaluating every shopper (nothing to write); query: the segment's SQL "
          "alone;\nhand: a hand-written query for the same set (target: full <= 1.5x hand);\n"
          "unchanged / 1%: a refresh with nothing changed / with 1% of the customers changed "
          "(a metadata write; targets: < 10% / < 25% of full);\n"
          f"each 1% figure is the median of {args.rounds} rounds of a change and a refresh;\n"
          "1% own data: as many customers changed in the data the segment reads (their latest "
          "order, their cart; the customer row for the seed segment), same target\n")
    header = (f"{'segment':44} {'members':>9} {'first':>8} {'full':>8} {'query':>8} "
              f"{'hand':>8} {'full/hand':>17} {'unchanged':>19} {'1% changed':>19} "
              f"{'1% own data':>19} {'py loop':>9}")
    print(header)
    print("-" * len(header))
    rng = random.Random(1)
    checkpoints_before = checkpoints()
    modes = []  # how each 1%-changed refresh evaluated its segment
    for name, (conditions, hand_sql) in ({} if args.only_checks else segments_to_run).items():
        segment = create_segment(name=name, channel_id=1, conditions=conditions)
        first, _ = timed(lambda s=segment: refresh_segment(s))
        full, _ = timed(lambda s=segment: full_refresh(s), repeat=3)
        unchanged, _ = timed(lambda s=segment: incremental_refresh(s), repeat=3)
        changed = changed_refresh(segment, touch_customers, args.rounds, rng, modes, name)
        own = changed_refresh(segment, OWN_DATA.get(name, touch_customers), args.rounds, rng,
                              modes, f"{name}, own data")
        sql, params, _ = compiled(segment, "customer")
        # at the time its last refresh evaluated it: a "last 90 days" window moves meanwhile
        evaluated_at = Segment.objects.get(pk=segment.pk).last_refreshed_at
        query, count = timed(lambda: scalar(f"SELECT count(*) FROM ({sql}) q",
                                            bind(list(params), evaluated_at)), repeat=3)
        hand, hand_count = timed(lambda: scalar(f"SELECT count(*) FROM ({hand_sql}) q"),
                                 repeat=3)
        members = CustomerMembership.objects.filter(segment=segment).count()
        assert members == count, (members, count)
        if hand_count != count:
            print(f"  note: hand-written query found {hand_count:,}, engine {count:,}")
        # Adobe Commerce's way: validate each customer on its own (one query per customer)
        single_sql, single_params, _ = compiled(segment, "customer", single=True)
        ids = rng.sample(range(1, args.customers + 1), min(args.sample, args.customers))
        bound = bind(list(single_params), NOW)

        def loop():
            with connection.cursor() as cursor:
                for pk in ids:
                    cursor.execute(f"SELECT EXISTS ({single_sql} AND u.id = %s)", bound + [pk])
                    cursor.fetchone()

        loop_time, _ = timed(loop)
        loop_full = loop_time / len(ids) * args.customers
        ratio, still, moved, own_share = full / hand, unchanged / full, changed / full, own / full
        print(f"{name:44} {members:>9,} {first:>7.2f}s {full:>7.2f}s {query:>7.2f}s "
              f"{hand:>7.2f}s {ratio:>5.2f}x {verdict(ratio <= 1.5):>9} "
              f"{unchanged:>6.2f}s {still:>4.0%} {verdict(still < 0.10):>7} "
              f"{changed:>6.2f}s {moved:>4.0%} {verdict(moved < 0.25):>7} "
              f"{own:>6.2f}s {own_share:>4.0%} {verdict(own_share < 0.25):>7} "
              f"{loop_full:>8.0f}s", flush=True)
    timed_, requested = (a - b for a, b in zip(checkpoints(), checkpoints_before))
    print(f"({load()}; checkpoints during the table: {timed_} timed, {requested} requested, "
          f"max_wal_size {scalar('SHOW max_wal_size')})")
    for mode in modes:
        print(f"  1% changed, {mode}")

    if args.split_parts and not args.only_checks:
        split_table(args.split_parts, args.split_workers, segments_to_run)
    if args.only_refresh:
        return

    # the refreshes above wrote the members: statistics as autoanalyze leaves them in a shop
    # (the vacuum after deleting the earlier run's segments recorded an empty table)
    vacuum_memberships("ANALYZE")
    print("\none customer checked against 50 active segments (real-time check):")
    # one connection kept for all the checks (a Celery worker, DB_CONN_MAX_AGE > 0): the check
    # statement is prepared; benchmarks/check_fresh_connection.py times a new connection's
    connection.settings_dict["CONN_MAX_AGE"] = None
    segments = fifty_segments()
    ids = rng.sample(range(1, args.customers + 1), 300)
    for pk in ids[:20]:
        check_customer(pk, now=NOW)  # warm caches and compiled definitions
    # the new segments were never refreshed, so a customer's first check writes its joins; the
    # next check of the same customers is the one an event brings (memberships current)
    for label in ("first check (writes the joins)", "next check (an event)"):
        latencies, writes = [], 0
        for pk in ids[20:]:
            started = time.perf_counter()
            result = check_customer(pk, now=NOW)
            latencies.append((time.perf_counter() - started) * 1000)
            assert len(result.checked) >= 50
            writes += bool(result.joined or result.left)
        latencies.sort()
        p95 = latencies[int(len(latencies) * 0.95)]
        median = statistics.median(latencies)
        print(f"  {label}: median {median:.2f} ms (target < 2 ms: {verdict(median < 2)}), "
              f"p95 {p95:.2f} ms (target < 5 ms: {verdict(p95 < 5)}) over {len(latencies)} "
              f"customers, {writes} wrote ({len(segments)} bench segments + the above; "
              f"{load()})", flush=True)

    print("\ncheckout_updated handled by the event intake (real-time check, same segments):")
    with connection.cursor() as cursor:
        cursor.execute("SELECT token, channel_id, user_id FROM checkout_checkout "
                       "WHERE user_id IS NOT NULL ORDER BY token LIMIT 300")
        checkouts = cursor.fetchall()
    latencies = []
    for token, channel_id, user_id in checkouts:
        started = time.perf_counter()
        shop_events.checkout_changed(token, channel_id, user_id)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies = sorted(latencies[20:])
    print(f"  median {statistics.median(latencies):.2f} ms, "
          f"p95 {latencies[int(len(latencies) * 0.95)]:.2f} ms over {len(latencies)} events")
    if not args.only_checks:
        catalogue_table(rng)


def catalogue_table(rng):
    """A merchant edits a product (Saleor's productUpdate sends product_updated with it): the
    combined refresh the beat runs next re-evaluates only the shoppers holding that product
    in the segments with product conditions, and the recorded shoppers in the others. Beside
    it, a change that names no product (a category's), which evaluates those segments fully."""
    active = Segment.objects.filter(channel_id=1, status=Segment.Status.ACTIVE).count()
    print(f"\ncatalogue changes, then the combined refresh of the channel's {active} active "
          "segments that the beat runs (refresh_pending):")
    # no overlap: the earlier tables' changes must not count again here (see
    # incremental_refresh)
    with override_settings(SEGMENTS_INCREMENTAL_OVERLAP_SECONDS=0):
        settle, _ = timed(lambda: refresh_channel(1, incremental=True))
        print(f"  (the checks' segments refreshed first: {settle:.1f}s)")
        for label, products in (("one product edited (product_updated names it)", True),
                                ("a category edited (names no product)", False)):
            _catalogue_change(label, products, rng)


def _catalogue_change(label, product_named, rng):
    """One catalogue change through the intake, then the beat's combined refresh, timed."""
    from saleor_segments.worker.tasks import refresh_pending_task

    products = None
    if product_named:  # a product picked at random, edited without moving anyone
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM product_product ORDER BY id")
            products = [rng.choice([r[0] for r in cursor.fetchall()])]
    shop_events.catalogue_changed(products)
    seconds, summaries = timed(refresh_pending_task)
    modes = [m for summary in summaries for m in summary["modes"].values()]
    full = sum(m.startswith("full") for m in modes)
    found = sum(int(m.split()[1]) for m in modes if m.startswith("incremental"))
    print(f"  {label:48} {seconds:>7.2f}s  ({full} segments fully, "
          f"{len(modes) - full} incremental with {found:,} candidates in all)", flush=True)


if __name__ == "__main__":
    main()
