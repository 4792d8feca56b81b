"""Generate a realistic demo store into the Saleor tables (standalone mode only)."""

import datetime as dt
import random
import uuid
from decimal import Decimal

from faker import Faker

from ..models import CustomerField, ProductView, WishlistItem
from ..standalone.rows import insert_many, reset_identities, truncate_store
from .catalogue import mptt_numbers

CATEGORIES = {
    "Apparel": None, "Shoes": "Apparel", "Sneakers": "Shoes", "Boots": "Shoes",
    "Tops": "Apparel", "T-shirts": "Tops", "Books": None, "Fiction": "Books",
    "Non-fiction": "Books", "Home": None, "Kitchen": "Home",
}
LEAVES = ["Sneakers", "Boots", "T-shirts", "Fiction", "Non-fiction", "Kitchen"]
# (city, state, country, postcode pattern: # a digit, ? a letter, weight)
CITIES = [
    ("Los Angeles", "CA", "US", "900##", 10), ("San Francisco", "CA", "US", "941##", 6),
    ("San Diego", "CA", "US", "921##", 4), ("New York", "NY", "US", "100##", 12),
    ("Chicago", "IL", "US", "606##", 7), ("Houston", "TX", "US", "770##", 6),
    ("Austin", "TX", "US", "787##", 4), ("Seattle", "WA", "US", "981##", 5),
    ("Miami", "FL", "US", "331##", 5), ("Warsaw", "", "PL", "0#-###", 3),
    ("Berlin", "", "DE", "10###", 3), ("Amsterdam", "", "NL", "10## ??", 2),
]
PHONES = {"US": ("+1", 2000000000, 9999999999), "PL": ("+48", 500000000, 899999999),  # E.164
          "DE": ("+49", 15100000000, 17999999999), "NL": ("+316", 10000000, 99999999)}
STATUSES = ["fulfilled"] * 14 + ["unfulfilled", "partially fulfilled", "canceled", "returned"]


class DemoStore:
    """Builds the store; ``ids`` keeps what the example segments refer to."""

    def __init__(self, customers: int = 10_000, seed: int = 7, now: dt.datetime | None = None):
        self.n, self.rng, self.fake = customers, random.Random(seed), Faker("en_US")
        self.fake.seed_instance(seed)
        self.now = now or dt.datetime.now(dt.UTC)
        self.ids: dict = {}

    def build(self, progress=lambda step: None) -> dict:
        truncate_store()
        for model in (ProductView, WishlistItem, CustomerField):
            model.objects.all().delete()
        for step in (self.channels, self.catalogue, self.customer_attributes, self.customers,
                     self.carts, self.orders, self.activity):
            progress(step.__name__)
            step()
        reset_identities()
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics for the planner after bulk loading
        CustomerField.objects.create(source="attribute", key="gender", label="Gender",
                                     value_type="string")
        CustomerField.objects.create(source="metadata", key="birthday", label="Date of birth",
                                     value_type="date")
        return self.ids

    def when(self, max_days: int) -> dt.datetime:
        """A moment in the last ``max_days`` days, recent ones more likely."""
        days = min(max_days, self.rng.expovariate(1 / (max_days / 3)))
        return self.now - dt.timedelta(days=days, seconds=self.rng.randint(0, 86399))

    def channels(self):
        insert_many("channel_channel", [
            {"id": 1, "name": "Default channel", "slug": "default-channel",
             "currency_code": "USD", "is_active": True},
            {"id": 2, "name": "Channel PLN", "slug": "channel-pln", "currency_code": "PLN",
             "is_active": True}])
        insert_many("account_customertype", [
            {"id": i, "name": name, "slug": name.lower()}
            for i, name in enumerate(["Retail", "Wholesale", "VIP"], start=1)])
        self.ids["channel"], self.ids["vip"] = 1, 3

    def catalogue(self):
        numbers = mptt_numbers(CATEGORIES)
        cat_ids = {name: i for i, name in enumerate(CATEGORIES, start=1)}
        insert_many("product_category", [
            {"id": cat_ids[name], "name": name, "slug": name.lower(),
             "parent_id": cat_ids.get(parent), "tree_id": numbers[name][0],
             "lft": numbers[name][1], "rght": numbers[name][2], "level": numbers[name][3]}
            for name, parent in CATEGORIES.items()])
        insert_many("product_producttype", [{"id": 1, "name": "Simple", "slug": "simple"},
                                            {"id": 2, "name": "Sized", "slug": "sized"}])
        insert_many("product_collection", [{"id": 1, "name": "Summer Sale", "slug": "summer"},
                                           {"id": 2, "name": "New Arrivals", "slug": "new"}])
        insert_many("attribute_attribute", [
            {"id": 1, "slug": "color", "name": "Color", "type": "PRODUCT_TYPE",
             "input_type": "dropdown"},
            {"id": 2, "slug": "gender", "name": "Gender", "type": "CUSTOMER",
             "input_type": "dropdown"}])
        colors = ["Red", "Blue", "Black", "White"]
        insert_many("attribute_attributevalue", [
            {"id": i, "name": c, "slug": c.lower(), "attribute_id": 1}
            for i, c in enumerate(colors, start=1)])
        products, variants, listings, collection_links, variant_values = [], [], [], [], []
        variant_id = 0
        for pid in range(1, 201):
            leaf = LEAVES[pid % len(LEAVES)]
            products.append({"id": pid, "name": f"{self.fake.color_name()} {leaf[:-1]} {pid}",
                             "slug": f"product-{pid}", "category_id": cat_ids[leaf],
                             "product_type_id": 2 if leaf in ("Sneakers", "Boots",
                                                              "T-shirts") else 1})
            base = Decimal(self.rng.choice([9, 15, 25, 49, 79, 99, 129, 199]))
            for size in range(self.rng.randint(1, 3)):
                variant_id += 1
                variants.append({"id": variant_id, "sku": f"SKU-{pid:04d}-{size}",
                                 "name": f"Size {size}", "product_id": pid})
                listings.append({"id": variant_id, "variant_id": variant_id, "channel_id": 1,
                                 "currency": "USD", "price_amount": base + size * 5})
                variant_values.append({"id": variant_id, "variant_id": variant_id,
                                       "value_id": self.rng.randint(1, len(colors))})
            if pid % 5 == 0:
                collection_links.append({"id": len(collection_links) + 1, "collection_id": 1,
                                         "product_id": pid})
            if pid > 180:
                collection_links.append({"id": len(collection_links) + 1, "collection_id": 2,
                                         "product_id": pid})
        insert_many("product_product", products)
        insert_many("product_productvariant", variants)
        insert_many("product_productvariantchannellisting", listings)
        insert_many("product_collectionproduct", collection_links)
        insert_many("attribute_assignedvariantattributevalue", variant_values)
        self.variants = [(v["id"], v["product_id"], listings[i]["price_amount"])
                         for i, v in enumerate(variants)]
        self.ids.update(categories=cat_ids, summer=1)

    def customer_attributes(self):
        insert_many("attribute_attributevalue", [
            {"id": 100 + i, "name": g, "slug": g.lower(), "attribute_id": 2}
            for i, g in enumerate(["Female", "Male", "Non-binary"])])

    def customers(self):
        users, addresses, links, genders = [], [], [], []
        weights = [c[4] for c in CITIES]
        address_id = 0
        for uid in range(1, self.n + 1):
            female = self.rng.random() < 0.52
            first = self.fake.first_name_female() if female else self.fake.first_name_male()
            last = self.fake.last_name()
            own = []
            for _ in range(self.rng.choice([1, 1, 1, 2, 2, 3])):
                address_id += 1
                city, state, country, postcode, _w = self.rng.choices(CITIES, weights)[0]
                addresses.append({
                    "id": address_id, "first_name": first, "last_name": last,
                    "company_name": self.fake.company() if self.rng.random() < 0.1 else "",
                    "street_address_1": self.fake.street_address(), "street_address_2": "",
                    "city": city, "city_area": "", "country": country, "country_area": state,
                    "postal_code": self.postcode(postcode),
                    "phone": self.phone(country)})
                links.append({"id": address_id, "user_id": uid, "address_id": address_id})
                own.append(address_id)
            joined = self.when(900)
            users.append({
                "id": uid, "email": f"{first}.{last}.{uid}@example.com".lower(),
                "first_name": first, "last_name": last, "is_staff": False,
                "is_active": self.rng.random() > 0.03, "is_confirmed": self.rng.random() > 0.1,
                "date_joined": joined, "updated_at": joined, "last_login": None,
                "language_code": self.rng.choice(["en"] * 8 + ["pl", "de"]),
                "customer_type_id": self.rng.choices([1, 2, 3], [85, 10, 5])[0],
                "number_of_orders": 0,
                "default_billing_address_id": own[0], "default_shipping_address_id": own[-1],
                "metadata": {"birthday": self.fake.date_of_birth(minimum_age=18,
                                                                 maximum_age=80).isoformat()},
                "private_metadata": {}})
            if self.rng.random() < 0.9:
                gender = 100 if female else (101 if self.rng.random() < 0.97 else 102)
                genders.append({"id": uid, "user_id": uid, "value_id": gender})
        insert_many("account_address", addresses)
        insert_many("account_user", users)
        insert_many("account_user_addresses", links)
        insert_many("attribute_assigneduserattributevalue", genders)

    def postcode(self, pattern: str) -> str:
        """A postcode of the country's format (``#`` a digit, ``?`` a letter)."""
        return "".join(str(self.rng.randint(0, 9)) if ch == "#" else
                       self.rng.choice("ABCEGHJKLMNPRTVWXZ") if ch == "?" else ch
                       for ch in pattern)

    def phone(self, country: str) -> str:
        prefix, low, high = PHONES[country]
        return f"{prefix}{self.rng.randint(low, high)}"

    def _cart(self, user_id):
        token = uuid.uuid4()
        lines, subtotal = [], Decimal(0)
        for _ in range(self.rng.randint(1, 5)):
            variant_id, _pid, price = self.rng.choice(self.variants)
            quantity = self.rng.choice([1, 1, 1, 2, 3])
            subtotal += price * quantity
            lines.append({"id": uuid.uuid4(), "checkout_id": token, "variant_id": variant_id,
                          "quantity": quantity, "is_gift": False,
                          "total_price_gross_amount": price * quantity})
        shipping = Decimal(10) if subtotal < 100 else Decimal(0)
        changed = self.when(30)
        return {"token": token, "created_at": changed - dt.timedelta(hours=2),
                "last_change": changed, "user_id": user_id, "email": None, "channel_id": 1,
                "currency": "USD", "subtotal_net_amount": subtotal / Decimal("1.08"),
                "subtotal_gross_amount": subtotal, "total_net_amount": (subtotal + shipping) /
                Decimal("1.08"), "total_gross_amount": subtotal + shipping,
                "shipping_price_net_amount": shipping, "shipping_price_gross_amount": shipping,
                "discount_amount": Decimal(0),
                "voucher_code": "WELCOME10" if self.rng.random() < 0.1 else None}, lines

    def carts(self):
        checkouts, lines = [], []
        shoppers = [u for u in range(1, self.n + 1) if self.rng.random() < 0.3]
        for user_id in shoppers + [None] * (self.n // 10):  # visitors' carts too
            checkout, checkout_lines = self._cart(user_id)
            checkouts.append(checkout)
            lines += checkout_lines
        insert_many("checkout_checkout", checkouts)
        insert_many("checkout_checkoutline", lines)
        self.visitor_tokens = [c["token"] for c in checkouts if c["user_id"] is None]

    def orders(self):
        orders, lines, counts = [], [], {}
        number = 0
        for user_id in range(1, self.n + 1):
            for _ in range(min(int(self.rng.expovariate(1 / 3)), 25)):
                number += 1
                order_id, total, created = uuid.uuid4(), Decimal(0), self.when(730)
                for _ in range(self.rng.randint(1, 4)):
                    variant_id, _pid, price = self.rng.choice(self.variants)
                    quantity = self.rng.choice([1, 1, 2])
                    total += price * quantity
                    lines.append({"id": uuid.uuid4(), "order_id": order_id,
                                  "variant_id": variant_id, "product_sku": None,
                                  "quantity": quantity, "unit_price_gross_amount": price,
                                  "total_price_gross_amount": price * quantity})
                status = self.rng.choice(STATUSES)
                orders.append({"id": order_id, "number": number, "created_at": created,
                               "status": status, "user_id": user_id,
                               "user_email": f"{user_id}@example.com", "channel_id": 1,
                               "billing_address_id": None, "shipping_address_id": None,
                               "currency": "USD", "total_net_amount": total / Decimal("1.08"),
                               "total_gross_amount": total, "subtotal_net_amount": total /
                               Decimal("1.08"), "subtotal_gross_amount": total})
                counts[user_id] = counts.get(user_id, 0) + 1
        insert_many("order_order", orders)
        insert_many("order_orderline", lines)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("UPDATE account_user u SET number_of_orders = c.n FROM (SELECT "
                           "unnest(%s::int[]) AS id, unnest(%s::int[]) AS n) c WHERE u.id = c.id",
                           [list(counts), list(counts.values())])
            cursor.execute("UPDATE order_order o SET billing_address_id = "
                           "u.default_billing_address_id, shipping_address_id = "
                           "u.default_shipping_address_id FROM account_user u "
                           "WHERE u.id = o.user_id")

    def activity(self):
        views, wishes = [], []
        for user_id in range(1, self.n + 1):
            for _ in range(int(self.rng.expovariate(1 / 2))):
                _v, pid, _p = self.rng.choice(self.variants)
                views.append(ProductView(customer_id=user_id, channel_id=1, product_id=pid,
                                         viewed_at=self.when(120)))
            if self.rng.random() < 0.15:
                _v, pid, _p = self.rng.choice(self.variants)
                wishes.append(WishlistItem(customer_id=user_id, product_id=pid,
                                           added_at=self.when(200)))
        for token in self.visitor_tokens:
            _v, pid, _p = self.rng.choice(self.variants)
            views.append(ProductView(checkout_token=token, channel_id=1, product_id=pid,
                                     viewed_at=self.when(10)))
        ProductView.objects.bulk_create(views, batch_size=5000)
        WishlistItem.objects.bulk_create(wishes, batch_size=5000, ignore_conflicts=True)
