"""The part of Saleor's database layout the segment engine reads.

Declared once, with Saleor's own table and column names and PostgreSQL types. Standalone mode
creates exactly these tables (see ``standalone/schema.py``); the Saleor contract suite checks every
entry against a real Saleor database. The engine's SQL may reference nothing else of Saleor's.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Table:
    name: str
    columns: dict[str, str]  # column -> PostgreSQL type as information_schema.data_type spells it
    pk: str = "id"
    indexes: tuple[tuple[str, ...], ...] = field(default=())

    def __post_init__(self) -> None:
        assert self.pk in self.columns, (self.name, self.pk)


INT, BIG, TEXT, VARCHAR = "integer", "bigint", "text", "character varying"
BOOL, TS, DATE, NUM = "boolean", "timestamp with time zone", "date", "numeric"
UUID, JSONB, FLOAT = "uuid", "jsonb", "double precision"

SALEOR_TABLES: dict[str, Table] = {
    t.name: t
    for t in [
        Table("channel_channel", {"id": INT, "name": VARCHAR, "slug": VARCHAR,
                                  "currency_code": VARCHAR, "is_active": BOOL}),
        Table("account_customertype", {"id": INT, "name": VARCHAR, "slug": VARCHAR}),
        Table("discount_promotion", {"id": UUID, "name": VARCHAR, "type": VARCHAR}),
        Table("discount_voucher", {"id": INT, "name": VARCHAR}),
        Table("page_page", {"id": INT, "title": VARCHAR, "slug": VARCHAR}),
        Table("account_address", {
            "id": INT, "first_name": VARCHAR, "last_name": VARCHAR, "company_name": VARCHAR,
            "street_address_1": VARCHAR, "street_address_2": VARCHAR, "city": VARCHAR,
            "city_area": VARCHAR, "postal_code": VARCHAR, "country": VARCHAR,
            "country_area": VARCHAR, "phone": VARCHAR}),
        Table("account_user", {
            "id": INT, "email": VARCHAR, "first_name": VARCHAR, "last_name": VARCHAR,
            "is_staff": BOOL, "is_active": BOOL, "is_confirmed": BOOL, "date_joined": TS,
            "updated_at": TS, "last_login": TS, "language_code": VARCHAR,
            "customer_type_id": INT, "number_of_orders": INT,
            "default_billing_address_id": INT, "default_shipping_address_id": INT,
            "metadata": JSONB, "private_metadata": JSONB},
            indexes=(("updated_at",), ("date_joined",))),
        Table("account_user_addresses", {"id": INT, "user_id": INT, "address_id": INT},
              indexes=(("user_id",), ("address_id",))),
        Table("attribute_attribute", {"id": INT, "slug": VARCHAR, "name": VARCHAR,
                                      "type": VARCHAR, "input_type": VARCHAR}),
        Table("attribute_attributevalue", {
            "id": INT, "name": VARCHAR, "slug": VARCHAR, "attribute_id": INT,
            "plain_text": TEXT, "boolean": BOOL, "date_time": TS, "numeric": FLOAT},
            indexes=(("attribute_id",),)),
        Table("attribute_assigneduserattributevalue", {"id": INT, "value_id": INT, "user_id": INT},
              indexes=(("user_id",), ("value_id",))),
        Table("attribute_assignedproductattributevalue",
              {"id": INT, "value_id": INT, "product_id": INT},
              indexes=(("product_id",), ("value_id",))),
        Table("attribute_assignedvariantattributevalue",
              {"id": INT, "value_id": INT, "variant_id": INT},
              indexes=(("variant_id",), ("value_id",))),
        Table("product_category", {"id": INT, "name": VARCHAR, "slug": VARCHAR,
                                   "parent_id": INT, "tree_id": INT, "lft": INT, "rght": INT,
                                   "level": INT},
              indexes=(("parent_id",), ("tree_id",))),
        Table("product_producttype", {"id": INT, "name": VARCHAR, "slug": VARCHAR}),
        Table("product_product", {"id": INT, "name": VARCHAR, "slug": VARCHAR,
                                  "product_type_id": INT, "category_id": INT},
              indexes=(("product_type_id",), ("category_id",))),
        Table("product_productvariant", {"id": INT, "sku": VARCHAR, "name": VARCHAR,
                                         "product_id": INT}, indexes=(("product_id",),)),
        Table("product_productvariantchannellisting", {
            "id": INT, "variant_id": INT, "channel_id": INT, "currency": VARCHAR,
            "price_amount": NUM}, indexes=(("variant_id",), ("channel_id",))),
        Table("product_collection", {"id": INT, "name": VARCHAR, "slug": VARCHAR}),
        Table("product_collectionproduct", {"id": INT, "collection_id": INT, "product_id": INT},
              indexes=(("collection_id",), ("product_id",))),
        Table("giftcard_giftcard", {
            "id": INT, "code": VARCHAR, "is_active": BOOL, "used_by_id": INT,
            "assigned_to_id": INT, "expiry_date": DATE, "currency": VARCHAR,
            "current_balance_amount": NUM}, indexes=(("used_by_id",), ("assigned_to_id",))),
        Table("checkout_checkout", {
            "token": UUID, "created_at": TS, "last_change": TS, "user_id": INT, "email": VARCHAR,
            "channel_id": INT, "currency": VARCHAR, "total_net_amount": NUM,
            "total_gross_amount": NUM, "subtotal_net_amount": NUM, "subtotal_gross_amount": NUM,
            "shipping_price_net_amount": NUM, "shipping_price_gross_amount": NUM,
            "discount_amount": NUM, "voucher_code": VARCHAR, "price_expiration": TS,
            "discount_expiration": TS},
            pk="token", indexes=(("user_id",), ("channel_id",), ("last_change",))),
        Table("checkout_checkoutline", {"id": UUID, "checkout_id": UUID, "variant_id": INT,
                                        "quantity": INT, "is_gift": BOOL,
                                        "total_price_gross_amount": NUM},
              indexes=(("checkout_id",), ("variant_id",))),
        Table("checkout_checkout_gift_cards", {"id": INT, "checkout_id": UUID, "giftcard_id": INT},
              indexes=(("checkout_id",), ("giftcard_id",))),
        Table("order_order", {
            "id": UUID, "number": INT, "created_at": TS, "updated_at": TS, "status": VARCHAR,
            "user_id": INT,
            "user_email": VARCHAR, "channel_id": INT, "billing_address_id": INT,
            "shipping_address_id": INT, "currency": VARCHAR, "total_net_amount": NUM,
            "total_gross_amount": NUM, "subtotal_net_amount": NUM,
            "subtotal_gross_amount": NUM},
            indexes=(("user_id",), ("channel_id",), ("created_at",), ("updated_at",))),
        Table("order_orderline", {"id": UUID, "order_id": UUID, "variant_id": INT,
                                  "product_sku": VARCHAR, "quantity": INT,
                                  "unit_price_gross_amount": NUM,
                                  "total_price_gross_amount": NUM},
              indexes=(("order_id",), ("variant_id",))),
    ]
}

# Order statuses as Saleor stores them (saleor.order.OrderStatus).
ORDER_STATUSES = ("draft", "unconfirmed", "unfulfilled", "partially fulfilled", "fulfilled",
                  "partially_returned", "returned", "canceled", "expired")
