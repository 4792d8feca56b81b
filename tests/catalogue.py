"""A small catalogue for tests: a category tree, collections, attributes, prices."""

from decimal import Decimal

from saleor_segments.demo.catalogue import mptt_numbers
from saleor_segments.standalone.rows import insert

from .factories import CategoryFactory, ProductFactory, ProductTypeFactory, VariantFactory


def build_categories(parent_of: dict) -> dict:
    """Insert categories (name -> parent name) with correct MPTT fields; name -> row."""
    numbers = mptt_numbers(parent_of)
    rows = {}
    for name in parent_of:  # parents first: dict order must list parents before children
        tree_id, lft, rght, level = numbers[name]
        parent = parent_of[name]
        rows[name] = CategoryFactory(name=name, tree_id=tree_id, lft=lft, rght=rght, level=level,
                                     parent_id=rows[parent]["id"] if parent else None)
    return rows


class Catalogue:
    def __init__(self, channel):
        self.categories = build_categories({"apparel": None, "shoes": "apparel",
                                            "sneakers": "shoes", "books": None})
        self.shoe_type = ProductTypeFactory(name="Shoes")
        self.book_type = ProductTypeFactory(name="Books")
        self.sneaker = ProductFactory(category_id=self.categories["sneakers"]["id"],
                                      product_type_id=self.shoe_type["id"])
        self.novel = ProductFactory(category_id=self.categories["books"]["id"],
                                    product_type_id=self.book_type["id"])
        self.sneaker_red = VariantFactory(product_id=self.sneaker["id"], sku="SNK-RED")
        self.sneaker_blue = VariantFactory(product_id=self.sneaker["id"], sku="SNK-BLUE")
        self.novel_v = VariantFactory(product_id=self.novel["id"], sku="BOOK-1")
        for variant, price in ((self.sneaker_red, "120"), (self.sneaker_blue, "90"),
                               (self.novel_v, "15")):
            insert("product_productvariantchannellisting", variant_id=variant["id"],
                   channel_id=channel["id"], currency="USD", price_amount=Decimal(price))
        self.summer = insert("product_collection", name="Summer", slug="summer")
        insert("product_collectionproduct", collection_id=self.summer["id"],
               product_id=self.sneaker["id"])
        color = insert("attribute_attribute", slug="color", name="Color", type="PRODUCT_TYPE",
                       input_type="dropdown")
        brand = insert("attribute_attribute", slug="brand", name="Brand", type="PRODUCT_TYPE",
                       input_type="dropdown")
        red = insert("attribute_attributevalue", name="Red", slug="red", attribute_id=color["id"])
        acme = insert("attribute_attributevalue", name="Acme", slug="acme",
                      attribute_id=brand["id"])
        insert("attribute_assignedvariantattributevalue", variant_id=self.sneaker_red["id"],
               value_id=red["id"])
        insert("attribute_assignedproductattributevalue", product_id=self.sneaker["id"],
               value_id=acme["id"])
