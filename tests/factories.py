"""factory-boy factories for Saleor's tables in standalone mode (rows are dicts)."""

import datetime as dt
import uuid
from decimal import Decimal

import factory

from saleor_segments.standalone.rows import insert

NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)


def table(name):
    return lambda **values: insert(name, **values)


class ChannelFactory(factory.Factory):
    class Meta:
        model = table("channel_channel")

    name = factory.Sequence(lambda n: f"Channel {n}")
    slug = factory.Sequence(lambda n: f"channel-{n}")
    currency_code = "USD"
    is_active = True


class CustomerTypeFactory(factory.Factory):
    class Meta:
        model = table("account_customertype")

    name = factory.Sequence(lambda n: f"Type {n}")
    slug = factory.Sequence(lambda n: f"type-{n}")


class AddressFactory(factory.Factory):
    class Meta:
        model = table("account_address")

    first_name = "Ann"
    last_name = "Smith"
    company_name = ""
    street_address_1 = "1 Main St"
    street_address_2 = ""
    city = "Springfield"
    city_area = ""
    postal_code = "12345"
    country = "US"
    country_area = ""
    phone = ""


class UserFactory(factory.Factory):
    class Meta:
        model = table("account_user")

    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    first_name = "Ann"
    last_name = "Smith"
    is_staff = False
    is_active = True
    is_confirmed = True
    date_joined = NOW - dt.timedelta(days=100)
    updated_at = NOW
    language_code = "en"
    number_of_orders = 0
    metadata = factory.LazyFunction(dict)
    private_metadata = factory.LazyFunction(dict)


class CategoryFactory(factory.Factory):
    class Meta:
        model = table("product_category")

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")
    tree_id = 1
    lft = 1
    rght = 2
    level = 0


class ProductTypeFactory(factory.Factory):
    class Meta:
        model = table("product_producttype")

    name = factory.Sequence(lambda n: f"Type {n}")
    slug = factory.Sequence(lambda n: f"ptype-{n}")


class ProductFactory(factory.Factory):
    class Meta:
        model = table("product_product")

    name = factory.Sequence(lambda n: f"Product {n}")
    slug = factory.Sequence(lambda n: f"product-{n}")


class VariantFactory(factory.Factory):
    class Meta:
        model = table("product_productvariant")

    sku = factory.Sequence(lambda n: f"SKU-{n}")
    name = ""


class CheckoutFactory(factory.Factory):
    class Meta:
        model = table("checkout_checkout")

    token = factory.LazyFunction(uuid.uuid4)
    created_at = NOW - dt.timedelta(days=1)
    last_change = NOW - dt.timedelta(hours=1)
    currency = "USD"
    total_net_amount = Decimal("0")
    total_gross_amount = Decimal("0")
    subtotal_net_amount = Decimal("0")
    subtotal_gross_amount = Decimal("0")
    shipping_price_net_amount = Decimal("0")
    shipping_price_gross_amount = Decimal("0")
    discount_amount = Decimal("0")


class CheckoutLineFactory(factory.Factory):
    class Meta:
        model = table("checkout_checkoutline")

    id = factory.LazyFunction(uuid.uuid4)
    quantity = 1
    is_gift = False
    total_price_gross_amount = Decimal("10")


class OrderFactory(factory.Factory):
    class Meta:
        model = table("order_order")

    id = factory.LazyFunction(uuid.uuid4)
    number = factory.Sequence(lambda n: n + 1)
    created_at = NOW - dt.timedelta(days=10)
    updated_at = NOW
    status = "fulfilled"
    currency = "USD"
    total_net_amount = Decimal("100")
    total_gross_amount = Decimal("100")
    subtotal_net_amount = Decimal("100")
    subtotal_gross_amount = Decimal("100")


class OrderLineFactory(factory.Factory):
    class Meta:
        model = table("order_orderline")

    id = factory.LazyFunction(uuid.uuid4)
    quantity = 1
    unit_price_gross_amount = Decimal("10")
    total_price_gross_amount = Decimal("10")


class GiftCardFactory(factory.Factory):
    class Meta:
        model = table("giftcard_giftcard")

    code = factory.Sequence(lambda n: f"GIFT-{n}")
    is_active = True
    currency = "USD"
    current_balance_amount = Decimal("50")
