import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from tqdm import tqdm

from ...conditions import Event
from ...membership.check import check_customer
from ...membership.members import matched_customers, member_count
from ...membership.refresh import refresh_segment
from ...membership.tables import CUSTOMERS
from ...models import Segment
from ...services.segments import create_segment
from .segments_members import format_rows


class Command(BaseCommand):
    help = ("Standalone demo: build a store, define segments, refresh them, show members "
            "and a real-time re-check.")

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--show", type=int, default=5, help="members shown per segment")

    def handle(self, *args, customers, seed, show, **options):
        from ...demo.segments import example_segments
        from ...demo.store import DemoStore

        if not apps.is_installed("saleor_segments.standalone"):
            raise CommandError("the demo writes a store: run it in standalone mode only")
        out = self.stdout
        out.write(self.style.MIGRATE_HEADING(f"1. Building a demo store of {customers:,} "
                                             "customers"))
        started = time.perf_counter()
        steps = tqdm(total=7, unit="step", file=self.stderr._out)
        store = DemoStore(customers, seed)
        ids = store.build(progress=lambda name: (steps.set_description(name), steps.update()))
        steps.close()
        with connection.cursor() as cursor:
            cursor.execute("SELECT (SELECT count(*) FROM account_user), (SELECT count(*) FROM "
                           "order_order), (SELECT count(*) FROM checkout_checkout), "
                           "(SELECT count(*) FROM product_product)")
            users, orders, checkouts, products = cursor.fetchone()
        out.write(f"   {users:,} customers, {orders:,} orders, {checkouts:,} checkouts, "
                  f"{products} products in {time.perf_counter() - started:.1f}s")

        out.write(self.style.MIGRATE_HEADING("2. Defining segments"))
        Segment.objects.all().delete()
        segments = []
        for spec in example_segments(ids):
            segments.append(create_segment(channel_id=ids["channel"], **spec))
            out.write(f"   #{segments[-1].pk} {spec['name']}  ({segments[-1].apply_to})")

        out.write(self.style.MIGRATE_HEADING("3. Refreshing (one set-based statement each)"))
        for segment in tqdm(segments, unit="segment", file=self.stderr._out):
            result = refresh_segment(segment)
            tqdm.write(f"   #{segment.pk} {segment.name}: +{result.joined} -{result.left} in "
                       f"{result.seconds * 1000:.0f} ms", file=out._out)

        out.write(self.style.MIGRATE_HEADING("4. Members"))
        for segment in segments:
            out.write(self.style.SUCCESS(f"\n   {segment.name}: {member_count(segment.pk):,} "
                                         "members"))
            if segment.apply_to == "visitors":
                out.write("   (anonymous checkouts)")
                continue
            for line in format_rows(matched_customers(segment.pk, first=show).rows):
                out.write("   " + line)

        out.write(self.style.MIGRATE_HEADING("\n5. Real-time check: a shopper fills a cart"))
        big_carts = next(s for s in segments if s.name == "Big carts")
        with connection.cursor() as cursor:
            cursor.execute("SELECT u.id FROM account_user u WHERE NOT EXISTS (SELECT 1 FROM "
                           "checkout_checkout c WHERE c.user_id = u.id) ORDER BY u.id LIMIT 1")
            shopper = cursor.fetchone()[0]
            cursor.execute("INSERT INTO checkout_checkout (token, created_at, last_change, "
                           "user_id, channel_id, currency, subtotal_gross_amount, "
                           "total_gross_amount) VALUES (gen_random_uuid(), now(), now(), %s, "
                           "%s, 'USD', 480, 480)", [shopper, ids["channel"]])
        started = time.perf_counter()
        result = check_customer(shopper, Event.CHECKOUT, ids["channel"],
                                reason="event:checkout_updated")
        names = {s.pk: s.name for s in segments}
        out.write(f"   customer {shopper} re-checked against {len(result.checked)} cart-related "
                  f"segments in {(time.perf_counter() - started) * 1000:.1f} ms: joined "
                  f"{[names[pk] for pk in result.joined]}")
        if big_carts.pk not in result.joined:
            raise CommandError("the shopper with a 480 cart did not join 'Big carts'")
        self._graphql(segments[0], shopper, ids["channel"])
        self._at_work(next(s for s in segments if s.name == "Loyal big spenders"), ids["channel"])
        out.write(self.style.MIGRATE_HEADING("\nDone. Try: python manage.py segments_members "
                                             f"{segments[0].pk}"))

    def _graphql(self, segment, shopper, channel_id):
        """The admin GraphQL API, as the Dashboard would call it (here without HTTP)."""
        import json

        from graphql_relay import to_global_id

        from ...graphql.context import Permission, Requestor, SegmentsContext
        from ...graphql.execute import execute

        out = self.stdout
        admin = SegmentsContext(requestor=Requestor(kind="app", permissions=frozenset(
            {Permission.MANAGE_USERS})))
        out.write(self.style.MIGRATE_HEADING("\n6. GraphQL: explain and preview"))
        result, _ = execute({"query": """query($s: ID!, $c: ID!) {
            segmentExplain(segment: $s, customer: $c) { matches nodes { path kind met value } }
        }""", "variables": {"s": to_global_id("Segment", segment.pk),
                            "c": to_global_id("User", shopper)}}, admin)
        explained = result["data"]["segmentExplain"]
        out.write(f"   segmentExplain({segment.name!r}, customer {shopper}): "
                  f"matches={explained['matches']}")
        for node in explained["nodes"]:
            value = f" (value {json.loads(node['value'])})" if node["value"] else ""
            out.write(f"     {node['path'] or 'root'}: {node['kind']} "
                      f"{'met' if node['met'] else 'not met'}{value}")
        conditions = {"conditions": [{"kind": "orders", "measure": "count", "operator": "gte",
                                      "value": 5, "conditions": []}]}
        result, _ = execute({"query": """query($c: JSONString!, $ch: ID!) {
            segmentPreview(conditions: $c, channel: $ch) { size budgetExceeded milliseconds }
        }""", "variables": {"c": json.dumps(conditions),
                            "ch": to_global_id("Channel", channel_id)}}, admin)
        preview = result["data"]["segmentPreview"]
        out.write(f"   segmentPreview(5+ orders, unsaved): {preview['size']:,} customers in "
                  f"{preview['milliseconds']} ms")

    def _at_work(self, segment, channel_id):
        """A promotion limited to the segment, content blocks and related products."""
        import uuid

        from ...models import ContentBlock, DiscountRestriction, RelatedProductRule
        from ...standalone.rows import insert
        from ...targeting import content, discounts, related

        out = self.stdout
        out.write(self.style.MIGRATE_HEADING(f"\n7. Segments at work: {segment.name!r}"))
        for model in (ContentBlock, RelatedProductRule, DiscountRestriction):
            model.objects.all().delete()
        discounts.invalidate()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT customer_id FROM {CUSTOMERS.table} "
                           "WHERE segment_id = %s ORDER BY customer_id LIMIT 1", [segment.pk])
            member = cursor.fetchone()[0]
            cursor.execute("SELECT token FROM checkout_checkout WHERE user_id IS NULL "
                           "ORDER BY token LIMIT 1")
            visitor = cursor.fetchone()[0]
        promotion = insert("discount_promotion", id=uuid.uuid4(), name="15% for loyal customers",
                           type="order")
        discounts.set_segments("promotion", promotion["id"], [segment.pk])
        dry = discounts.dry_run("promotion", promotion["id"])
        out.write(f"   order promotion {promotion['name']!r} limited to the segment: "
                  f"{dry.eligible_customers:,} of {dry.customers:,} customers "
                  f"({dry.share:.1%}); customer {member} eligible: "
                  f"{discounts.eligible('promotion', promotion['id'], customer_id=member)}, "
                  f"a visitor: {discounts.eligible('promotion', promotion['id'], checkout_token=visitor)}")

        ContentBlock.objects.create(name="Welcome", placement="home-hero", priority=1,
                                    content={"text": "Welcome to the shop"})
        ContentBlock.objects.create(name="Thank you, loyal customer", placement="home-hero",
                                    priority=10, content={"text": "Free shipping this week"}
                                    ).segments.add(segment)
        for who, kwargs in ((f"customer {member}", {"customer_id": member}),
                            ("a visitor", {"checkout_token": visitor})):
            names = [b.name for b in content.blocks_for("home-hero", **kwargs)]
            out.write(f"   dynamicBlocks(home-hero) for {who}: {names}")

        def category(pk):
            return {"conditions": [{"kind": "product.category", "operator": "is", "value": pk}]}

        shoes, boots, t_shirts = 2, 4, 6  # the demo catalogue's category ids
        RelatedProductRule.objects.create(name="Tops for loyal customers", channel_id=channel_id,
                                          applies_to=category(shoes), show=category(t_shirts),
                                          limit=2, priority=10).segments.add(segment)
        RelatedProductRule.objects.create(name="More boots", channel_id=channel_id,
                                          applies_to=category(shoes), show=category(boots),
                                          limit=2)
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM product_product WHERE category_id = 3 ORDER BY id "
                           "LIMIT 1")  # a sneaker
            sneaker = cursor.fetchone()[0]
        for who, kwargs in ((f"customer {member}", {"customer_id": member}),
                            ("a visitor", {"checkout_token": visitor})):
            found = related.related_products(sneaker, first=4, **kwargs)
            out.write(f"   relatedProducts(sneaker {sneaker}) for {who}: {found}")
