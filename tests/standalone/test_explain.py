"""Explain reports the value each node compared, also for customer attributes (the
customer's values) and address fields (the field on each of the customer's addresses)."""

from types import SimpleNamespace

import pytest

from saleor_segments.evaluation.explain import explain_customer
from saleor_segments.standalone.rows import insert

from ..factories import NOW, AddressFactory, UserFactory

pytestmark = pytest.mark.django_db


def segment(channel, *conditions):
    return SimpleNamespace(pk=None, channel_id=channel["id"], apply_to="customers",
                           conditions={"version": 1, "conditions": list(conditions)})


def test_attribute_and_address_values(channel):
    gender = insert("attribute_attribute", slug="gender", name="Gender", type="CUSTOMER",
                    input_type="dropdown")
    female = insert("attribute_attributevalue", name="Female", slug="female",
                    attribute_id=gender["id"])
    ann, bob = UserFactory(), UserFactory()
    insert("attribute_assigneduserattributevalue", user_id=ann["id"], value_id=female["id"])
    home = AddressFactory(city="Los Angeles", country_area="CA")
    work = AddressFactory(city="San Diego", country_area="CA")
    for address in (home, work):
        insert("account_user_addresses", user_id=ann["id"], address_id=address["id"])
    explained = segment(channel,
                        {"kind": "customer.attribute", "attribute": "gender", "type": "string",
                         "operator": "is", "value": "female"},
                        {"kind": "address", "conditions": [
                            {"kind": "address.field", "field": "city", "operator": "is",
                             "value": "Los Angeles"},
                            {"kind": "address.field", "field": "country", "operator": "is",
                             "value": "US"}]})

    nodes = {n.path: n for n in explain_customer(explained, ann["id"], now=NOW)}
    assert (nodes["conditions[0]"].met, nodes["conditions[0]"].value) == (True, ["Female"])
    city = nodes["conditions[1].conditions[0]"]
    assert (city.met, city.value, city.inside) == (True, ["Los Angeles", "San Diego"],
                                                   "conditions[1]")
    assert nodes["conditions[1].conditions[1]"].value == ["US", "US"]

    nodes = {n.path: n for n in explain_customer(explained, bob["id"], now=NOW)}
    assert (nodes["conditions[0]"].met, nodes["conditions[0]"].value) == (False, None)
    assert (nodes["conditions[1].conditions[0]"].met,
            nodes["conditions[1].conditions[0]"].value) == (False, None)  # no address


def test_default_address_value(channel):
    billing = AddressFactory(postal_code="90001")
    ann = UserFactory(default_billing_address_id=billing["id"])
    explained = segment(channel, {"kind": "address", "address": "default_billing",
                                  "conditions": [{"kind": "address.field",
                                                  "field": "postal_code", "operator": "is",
                                                  "value": "90001"}]})
    [_root, container, field] = explain_customer(explained, ann["id"], now=NOW)
    assert (container.met, container.value) == (True, None)
    assert (field.met, field.value) == (True, ["90001"])
