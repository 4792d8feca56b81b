"""Every admin field is denied to anonymous callers, customers and staff/apps without
MANAGE_USERS, and changes nothing."""

import json

import pytest

from saleor_segments.graphql.context import Permission, Requestor
from saleor_segments.models import Segment
from saleor_segments.services import create_segment

from ..factories import UserFactory
from ..helpers import EMAIL_SHOP
from .conftest import DISCOUNTS_TOKEN, NO_PERMISSION_TOKEN, USERS_TOKEN, customer, gid

pytestmark = pytest.mark.django_db


def admin_operations(segment_id, channel_id, user_id):
    """(root field, document) for every admin query and mutation."""
    seg, chan, user = gid("Segment", segment_id), gid("Channel", channel_id), gid("User", user_id)
    tree = json.dumps(json.dumps(EMAIL_SHOP))
    return [
        ("segments", "{ segments(first: 5) { totalCount } }"),
        ("segment", f'{{ segment(id: "{seg}") {{ name }} }}'),
        ("segmentRefreshRun", f'{{ segmentRefreshRun(id: "{gid("SegmentRefreshRun", 1)}") '
                              "{ status } }"),
        ("segmentMembers", f'{{ segmentMembers(segment: "{seg}", first: 5) {{ totalCount }} }}'),
        ("customerSegments", f'{{ customerSegments(customerId: "{user}") {{ joinedAt }} }}'),
        ("segmentMembershipHistory", f'{{ segmentMembershipHistory(segment: "{seg}", first: 5) '
                                     "{ totalCount } }"),
        ("segmentConditionKinds", "{ segmentConditionKinds { formatVersion } }"),
        ("segmentPreview", f'{{ segmentPreview(conditions: {tree}, channel: "{chan}") '
                           "{ size } }"),
        ("segmentExplain", f'{{ segmentExplain(segment: "{seg}", customer: "{user}") '
                           "{ matches } }"),
        ("segmentCreate", f'mutation {{ segmentCreate(input: {{name: "x", channel: "{chan}", '
                          f"conditions: {tree}}}) {{ segment {{ id }} }} }}"),
        ("segmentUpdate", f'mutation {{ segmentUpdate(id: "{seg}", input: {{name: "hacked"}}) '
                          "{ segment { id } } }"),
        ("segmentDelete", f'mutation {{ segmentDelete(id: "{seg}") {{ segment {{ id }} }} }}'),
        ("segmentBulkDelete", f'mutation {{ segmentBulkDelete(ids: ["{seg}"]) {{ count }} }}'),
        ("segmentRefresh", f'mutation {{ segmentRefresh(id: "{seg}") {{ refresh {{ id }} }} }}'),
        ("contentBlocks", "{ contentBlocks { name } }"),
        ("relatedProductRules", "{ relatedProductRules { name } }"),
        ("contentBlockCreate", 'mutation { contentBlockCreate(input: {name: "x", '
                               'placement: "p"}) { errors { field } } }'),
        ("contentBlockDelete", f'mutation {{ contentBlockDelete(id: "{gid("ContentBlock", 1)}") '
                               "{ errors { field } } }"),
        ("relatedProductRuleCreate", 'mutation { relatedProductRuleCreate(input: {name: "x"}) '
                                     "{ errors { field } } }"),
    ]


def discount_operations(segment_id):
    seg, promo = gid("Segment", segment_id), gid("Promotion", "0" * 8 + "-0000-0000-0000-" + "0" * 12)
    return [
        ("promotionSegmentsSet", f'mutation {{ promotionSegmentsSet(promotion: "{promo}", '
                                 f'segments: ["{seg}"]) {{ restricted }} }}'),
        ("voucherSegmentsSet", f'mutation {{ voucherSegmentsSet(voucher: "{gid("Voucher", 1)}", '
                               f'segments: ["{seg}"]) {{ restricted }} }}'),
        ("promotionSegments", f'{{ promotionSegments(promotion: "{promo}") {{ name }} }}'),
        ("voucherSegments", f'{{ voucherSegments(voucher: "{gid("Voucher", 1)}") {{ name }} }}'),
        ("discountSegmentDryRun", f'{{ discountSegmentDryRun(promotion: "{promo}") '
                                  "{ share } }"),
    ]


@pytest.fixture
def store(channel):
    user = UserFactory(email="a@shop.com")
    segment = create_segment(name="S", channel_id=channel["id"], conditions=EMAIL_SHOP)
    return segment, channel, user


def assert_denied(body, field, permission="MANAGE_USERS"):
    assert body.get("data") is None or body["data"].get(field) is None, body
    (error,) = body["errors"]
    assert error["extensions"]["exception"]["code"] == "PermissionDenied", error
    assert permission in error["message"]


@pytest.mark.parametrize("token", [None, NO_PERMISSION_TOKEN, USERS_TOKEN])
def test_discount_fields_need_manage_discounts(api, store, token):
    segment, _channel, _user = store
    for field, document in discount_operations(segment.pk):
        status, body = api.post(document, token=token)
        assert_denied(body, field, "MANAGE_DISCOUNTS")
    from saleor_segments.models import DiscountRestriction

    assert not DiscountRestriction.objects.exists()


@pytest.mark.parametrize("token", [None, NO_PERMISSION_TOKEN, DISCOUNTS_TOKEN, "wrong-token"])
def test_http_callers_without_manage_users_are_denied(api, store, token):
    segment, channel, user = store
    for field, document in admin_operations(segment.pk, channel["id"], user["id"]):
        status, body = api.post(document, token=token)
        assert status == 200, body
        assert_denied(body, field)
    assert list(Segment.objects.values_list("name", flat=True)) == ["S"]  # nothing changed


@pytest.mark.parametrize("who", [
    customer(1),
    Requestor(kind="staff", customer_id=1, permissions=frozenset()),
    Requestor(kind="staff", customer_id=1, permissions=frozenset({Permission.MANAGE_DISCOUNTS})),
])
def test_customers_and_staff_without_the_permission_are_denied(api, store, who):
    segment, channel, user = store
    for field, document in admin_operations(segment.pk, channel["id"], user["id"]):
        assert_denied(api.as_requestor(document, requestor=who), field)
    assert list(Segment.objects.values_list("name", flat=True)) == ["S"]


def test_the_admin_token_is_allowed_everywhere(api, store):
    segment, channel, user = store
    for field, document in admin_operations(segment.pk, channel["id"], user["id"]):
        status, body = api.post(document, token="admin-token-0123456789")
        assert "errors" not in body or all(
            e["extensions"]["exception"]["code"] != "PermissionDenied"
            for e in body["errors"]), (field, body)
