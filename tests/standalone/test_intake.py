import pytest
from django.db import connection

from saleor_segments import intake
from saleor_segments.models import CustomerMembership, MembershipLog, ProductView
from saleor_segments.services import create_segment, update_segment

from ..factories import CheckoutFactory, CheckoutLineFactory, ProductFactory, UserFactory
from ..factories import VariantFactory

pytestmark = pytest.mark.django_db

CART = {"conditions": [{"kind": "cart", "field": "lines", "operator": "gte", "value": 1}]}


def test_visitor_becomes_customer_on_attach(channel):
    variant = VariantFactory(product_id=ProductFactory()["id"])
    visitors = create_segment(name="v", channel_id=channel["id"], apply_to="visitors",
                              conditions=CART)
    customers = create_segment(name="c", channel_id=channel["id"], conditions=CART)
    checkout = CheckoutFactory(user_id=None, channel_id=channel["id"])
    CheckoutLineFactory(checkout_id=checkout["token"], variant_id=variant["id"])
    ProductView.objects.create(checkout_token=checkout["token"], channel_id=channel["id"],
                               product_id=variant["product_id"])

    assert intake.checkout_changed(checkout["token"], channel["id"], None).joined == [visitors.pk]
    user = UserFactory()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE checkout_checkout SET user_id = %s WHERE token = %s",
                       [user["id"], checkout["token"]])
    result = intake.checkout_changed(checkout["token"], channel["id"], user["id"])
    assert result.joined == [customers.pk]
    assert MembershipLog.objects.filter(segment_id=visitors.pk, action="left").count() == 1
    assert ProductView.objects.get().customer_id == user["id"]


def test_deleted_customer_leaves_every_segment_and_failures_never_raise(channel, caplog,
                                                                       monkeypatch):
    user = UserFactory(email="a@shop.com")
    shop = create_segment(name="shop", channel_id=channel["id"], conditions={"conditions": [
        {"kind": "customer.field", "field": "email", "operator": "contains", "value": "shop"}]})
    intake.customer_changed(user["id"])
    update_segment(shop, status="inactive")  # inactive segments are left too
    assert intake.customer_deleted(user["id"]) == 1
    assert not CustomerMembership.objects.exists()
    assert MembershipLog.objects.filter(reason="event:customer_deleted").count() == 1

    assert intake.order_changed(user["id"], channel["id"], "draft") is None  # drafts ignored

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(intake, "check_visitor", broken)
    assert intake.checkout_changed("token", channel["id"], None) is None  # logged, not raised
    assert "checkout_changed failed" in caplog.text and "database went away" in caplog.text
