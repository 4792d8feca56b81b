"""Segments at work, standalone: discount restrictions (eligibility, dry run, checkout price
expiry), dynamic blocks and related products, through the API and the engine."""

import json
import uuid

import pytest
from django.db import connection

from saleor_segments.intake import shop_events
from saleor_segments.membership.refresh import refresh_segment
from saleor_segments.services.segments import create_segment, update_segment
from saleor_segments.standalone.rows import insert
from saleor_segments.targeting import discounts

from ..factories import CategoryFactory, CheckoutFactory, ProductFactory, UserFactory
from ..helpers import EMAIL_SHOP
from ..helpers import members as stored_members
from .conftest import ADMIN_TOKEN, DISCOUNTS_TOKEN, customer, gid

pytestmark = pytest.mark.django_db

SET_PROMOTION = """mutation($p: ID!, $s: [ID!]!) { promotionSegmentsSet(promotion: $p,
  segments: $s) { restricted segments { name } errors { field code message } } }"""
SET_VOUCHER = """mutation($v: ID!, $s: [ID!]!) { voucherSegmentsSet(voucher: $v, segments: $s) {
  restricted segments { name } errors { field code } } }"""
DRY_RUN = """query($p: ID, $v: ID) { discountSegmentDryRun(promotion: $p, voucher: $v) {
  restricted eligibleCustomers customers share } }"""


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.delete(discounts.CACHE_KEY)
    yield
    cache.delete(discounts.CACHE_KEY)


@pytest.fixture
def shop(channel):
    members = [UserFactory(email=f"m{i}@shop.com") for i in range(3)]
    others = [UserFactory(email=f"o{i}@else.com") for i in range(5)]
    segment = create_segment(name="Shop", channel_id=channel["id"], conditions=EMAIL_SHOP)
    refresh_segment(segment)
    promotion = insert("discount_promotion", id=uuid.uuid4(), name="10% off", type="order")
    catalogue = insert("discount_promotion", id=uuid.uuid4(), name="Sale", type="catalogue")
    voucher = insert("discount_voucher", name="WELCOME")
    return segment, members, others, promotion, catalogue, voucher


def run(api, query, variables, token=DISCOUNTS_TOKEN):
    status, body = api.post(query, variables, token=token)
    assert "errors" not in body, body
    return body["data"]


def test_restrict_a_promotion_and_a_voucher(api, shop):
    segment, members, others, promotion, catalogue, voucher = shop
    seg, promo = gid("Segment", segment.pk), gid("Promotion", promotion["id"])
    assert discounts.eligible("promotion", promotion["id"], customer_id=others[0]["id"])

    result = run(api, SET_PROMOTION, {"p": promo, "s": [seg]})["promotionSegmentsSet"]
    assert result == {"restricted": True, "segments": [{"name": "Shop"}], "errors": []}
    assert discounts.eligible("promotion", promotion["id"], customer_id=members[0]["id"])
    assert not discounts.eligible("promotion", promotion["id"], customer_id=others[0]["id"])
    assert not discounts.eligible("promotion", promotion["id"])  # anonymous, no checkout

    dry = run(api, DRY_RUN, {"p": promo})["discountSegmentDryRun"]
    assert dry == {"restricted": True, "eligibleCustomers": 3, "customers": 8, "share": 0.375}
    dry = run(api, DRY_RUN, {"v": gid("Voucher", voucher["id"])})["discountSegmentDryRun"]
    assert dry == {"restricted": False, "eligibleCustomers": 8, "customers": 8, "share": 1.0}

    result = run(api, SET_VOUCHER, {"v": gid("Voucher", voucher["id"]), "s": [seg]})
    assert result["voucherSegmentsSet"]["restricted"] is True
    update_segment(segment, status="inactive")  # nobody gets it through an inactive segment
    assert not discounts.eligible("voucher", voucher["id"], customer_id=members[0]["id"])
    update_segment(segment, status="active")
    assert discounts.eligible("voucher", voucher["id"], customer_id=members[0]["id"])

    query = "query($p: ID!) { promotionSegments(promotion: $p) { name } }"
    assert run(api, query, {"p": promo})["promotionSegments"] == [{"name": "Shop"}]
    result = run(api, SET_PROMOTION, {"p": promo, "s": []})["promotionSegmentsSet"]
    assert result["restricted"] is False
    assert run(api, query, {"p": promo})["promotionSegments"] is None
    assert discounts.eligible("promotion", promotion["id"], customer_id=others[0]["id"])


def test_dry_run_names_all_members_and_the_active_customers_among_them(api, shop):
    segment, members, _others, promotion, _catalogue, _voucher = shop
    UserFactory(email="gone@shop.com", is_active=False)
    UserFactory(email="staff@shop.com", is_staff=True)
    refresh_segment(segment)
    discounts.set_segments("promotion", promotion["id"], [segment.pk])
    query = """query($p: ID) { discountSegmentDryRun(promotion: $p) { restricted members
        eligibleCustomers customers share } }"""
    stored = len(stored_members(segment))
    assert stored > 3  # an inactive or staff account is a member too
    dry = run(api, query, {"p": gid("Promotion", promotion["id"])})["discountSegmentDryRun"]
    assert dry == {"restricted": True, "members": stored, "eligibleCustomers": 3,
                   "customers": 8, "share": 0.375}
    discounts.set_segments("promotion", promotion["id"], [])
    dry = run(api, query, {"p": gid("Promotion", promotion["id"])})["discountSegmentDryRun"]
    assert dry == {"restricted": False, "members": None, "eligibleCustomers": 8,
                   "customers": 8, "share": 1.0}


def test_deleted_segment_leaves_the_discount_restricted_to_nobody(api, shop):
    segment, members, _others, promotion, _catalogue, _voucher = shop
    discounts.set_segments("promotion", promotion["id"], [segment.pk])
    from saleor_segments.services.segments import delete_segment

    delete_segment(segment)
    discounts.invalidate()
    assert discounts.restriction("promotion", promotion["id"]) == ()
    assert not discounts.eligible("promotion", promotion["id"], customer_id=members[0]["id"])


def test_bad_discount_input(api, shop):
    segment, _members, _others, promotion, catalogue, voucher = shop
    seg = gid("Segment", segment.pk)
    errors = run(api, SET_PROMOTION, {"p": gid("Promotion", catalogue["id"]), "s": [seg]})[
        "promotionSegmentsSet"]["errors"]
    assert errors[0]["field"] == "promotion" and "catalogue" in errors[0]["message"]
    errors = run(api, SET_PROMOTION, {"p": gid("Promotion", uuid.uuid4()), "s": [seg]})[
        "promotionSegmentsSet"]["errors"]
    assert errors[0]["code"] == "NOT_FOUND"
    errors = run(api, SET_VOUCHER, {"v": gid("Voucher", voucher["id"]),
                                    "s": [gid("Segment", 99999)]})["voucherSegmentsSet"]["errors"]
    assert errors == [{"field": "segments", "code": "NOT_FOUND"}]
    status, body = api.post(SET_VOUCHER, {"v": gid("Voucher", voucher["id"]), "s": [seg]},
                            token="no-permission-token")
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert "MANAGE_DISCOUNTS" in body["errors"][0]["message"]
    assert discounts.restrictions() == {"promotion": {}, "voucher": {}}


def priced_checkout(channel, user):
    """A checkout of ``user`` whose prices are valid for a long time."""
    later = "2999-01-01T00:00:00+00:00"
    return CheckoutFactory(channel_id=channel["id"], user_id=user["id"],
                           price_expiration=later, discount_expiration=later)


def expired(checkout) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT price_expiration <= now() FROM checkout_checkout "
                       "WHERE token = %s", [checkout["token"]])
        return cursor.fetchone()[0]


def test_membership_change_expires_checkout_prices(channel, shop):
    segment, members, others, promotion, _catalogue, _voucher = shop
    mine, bystander = priced_checkout(channel, others[0]), priced_checkout(channel, others[1])

    with connection.cursor() as cursor:  # becomes a member while no discount is restricted
        cursor.execute("UPDATE account_user SET email = 'o0@shop.com' WHERE id = %s",
                       [others[0]["id"]])
    shop_events.customer_changed(others[0]["id"])
    assert not expired(mine)

    discounts.set_segments("promotion", promotion["id"], [segment.pk])
    with connection.cursor() as cursor:  # leaves: the price must be recalculated
        cursor.execute("UPDATE account_user SET email = 'o0@else.com' WHERE id = %s",
                       [others[0]["id"]])
    shop_events.customer_changed(others[0]["id"])
    assert expired(mine) and not expired(bystander)


def test_dynamic_blocks_differ_between_member_and_visitor(api, shop, channel):
    segment, members, _others, _p, _c, _v = shop
    token = uuid.uuid4()
    CheckoutFactory(token=token, channel_id=channel["id"], user_id=None)
    create = """mutation($input: ContentBlockInput!) { contentBlockCreate(input: $input) {
        contentBlock { id name } errors { field code message } } }"""
    for name, priority, segments in (("Everyone", 1, []), ("Members only", 5,
                                                           [gid("Segment", segment.pk)])):
        result = run(api, create, {"input": {"name": name, "placement": "home-hero",
                                             "priority": priority, "segments": segments,
                                             "content": json.dumps({"text": name})}},
                     token=ADMIN_TOKEN)["contentBlockCreate"]
        assert result["errors"] == []
    run(api, create, {"input": {"name": "Expired", "placement": "home-hero",
                                "endsAt": "2001-01-01T00:00:00+00:00"}}, token=ADMIN_TOKEN)
    result = run(api, create, {"input": {"name": "x", "placement": "not a slug!"}},
                 token=ADMIN_TOKEN)["contentBlockCreate"]
    assert result["errors"][0]["field"] == "placement"

    query = """query($t: UUID) { dynamicBlocks(placement: "home-hero", checkoutToken: $t) {
        name content } }"""
    member = api.as_requestor(query, {}, requestor=customer(members[0]["id"]))
    assert [b["name"] for b in member["data"]["dynamicBlocks"]] == ["Members only", "Everyone"]
    status, visitor = api.post(query, {"t": str(token)})
    assert [b["name"] for b in visitor["data"]["dynamicBlocks"]] == ["Everyone"]
    status, body = api.post('{ dynamicBlocks(placement: "home-hero") { segments { name } } }')
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


def test_related_products_differ_between_member_and_visitor(api, shop, channel):
    segment, members, _others, _p, _c, _v = shop
    shoes, socks = CategoryFactory(name="Shoes"), CategoryFactory(name="Socks", lft=3, rght=4,
                                                                  tree_id=2)
    boot = ProductFactory(category_id=shoes["id"])
    sock_ids = [ProductFactory(category_id=socks["id"])["id"] for _ in range(3)]
    other_shoe = ProductFactory(category_id=shoes["id"])
    create = """mutation($input: RelatedProductRuleInput!) { relatedProductRuleCreate(
        input: $input) { rule { id } errors { field code message } } }"""
    shoes_tree = json.dumps({"conditions": [{"kind": "product.category", "operator": "is",
                                              "value": shoes["id"]}]})
    socks_tree = json.dumps({"conditions": [{"kind": "product.category", "operator": "is",
                                             "value": socks["id"]}]})
    for name, show, segments, priority in (
            ("Socks for members", socks_tree, [gid("Segment", segment.pk)], 10),
            ("More shoes", shoes_tree, [], 1)):
        result = run(api, create, {"input": {
            "name": name, "channel": gid("Channel", channel["id"]), "appliesTo": shoes_tree,
            "show": show, "limit": 2, "segments": segments, "priority": priority}},
            token=ADMIN_TOKEN)["relatedProductRuleCreate"]
        assert result["errors"] == [], result
    bad = json.dumps({"conditions": [{"kind": "customer.field", "field": "email",
                                      "operator": "is", "value": "x"}]})
    result = run(api, create, {"input": {"name": "bad", "channel": gid("Channel", channel["id"]),
                                         "appliesTo": bad, "show": shoes_tree}},
                 token=ADMIN_TOKEN)["relatedProductRuleCreate"]
    assert result["errors"][0]["field"] == "appliesTo.conditions[0].kind"

    query = """query($p: ID!, $t: UUID) { relatedProducts(productId: $p, checkoutToken: $t,
        first: 4) }"""
    member = api.as_requestor(query, {"p": gid("Product", boot["id"])},
                              requestor=customer(members[0]["id"]))["data"]["relatedProducts"]
    assert member == [gid("Product", pk) for pk in sock_ids[:2]] + [gid("Product",
                                                                        other_shoe["id"])]
    token = uuid.uuid4()
    CheckoutFactory(token=token, channel_id=channel["id"], user_id=None)
    status, visitor = api.post(query, {"p": gid("Product", boot["id"]), "t": str(token)})
    assert visitor["data"]["relatedProducts"] == [gid("Product", other_shoe["id"])]
    status, none = api.post(query, {"p": gid("Product", sock_ids[0])})
    assert none["data"]["relatedProducts"] == []  # no rule applies to socks


def test_restriction_cache_makes_unrestricted_checks_query_free(shop, django_assert_num_queries):
    _segment, members, others, promotion, _c, _v = shop
    discounts.restrictions()
    with django_assert_num_queries(0):  # unrestricted: everyone, members or not
        assert discounts.eligible("promotion", promotion["id"], customer_id=members[0]["id"])
        assert discounts.eligible("promotion", promotion["id"], customer_id=others[0]["id"])
        assert discounts.eligible("promotion", promotion["id"])  # anonymous


def test_refresh_expires_prices_of_shoppers_whose_limited_membership_changed(channel, shop):
    segment, members, others, promotion, _catalogue, _voucher = shop
    joining, staying = priced_checkout(channel, others[0]), priced_checkout(channel, members[0])
    discounts.set_segments("promotion", promotion["id"], [segment.pk])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE account_user SET email = 'o0@shop.com' WHERE id = %s",
                       [others[0]["id"]])
    refresh_segment(segment)
    assert expired(joining) and not expired(staying)
