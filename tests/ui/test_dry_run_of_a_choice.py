"""The "Limit to segments" popup shows the dry run of the segments the merchant ticks, before
saving: discountSegmentDryRun(..., segments: [...]) counts as if limited to them, saves nothing."""

import uuid

import pytest

from saleor_segments.membership.refresh import refresh_segment
from saleor_segments.models import DiscountRestriction
from saleor_segments.services.segments import create_segment
from saleor_segments.standalone.rows import insert
from saleor_segments.targeting import discounts

from ..factories import ChannelFactory, UserFactory
from ..graphql.conftest import DISCOUNTS_TOKEN, gid
from ..helpers import EMAIL_SHOP

pytestmark = pytest.mark.django_db
DRY_RUN = """query($p: ID, $v: ID, $s: [ID!]) { discountSegmentDryRun(promotion: $p, voucher: $v,
  segments: $s) { restricted eligibleCustomers customers share } }"""


@pytest.fixture(autouse=True)
def tokens(settings):
    from django.core.cache import cache

    settings.SEGMENTS_API_TOKENS = {DISCOUNTS_TOKEN: ["MANAGE_DISCOUNTS"]}
    cache.delete(discounts.CACHE_KEY)


def dry(client, variables):
    import json

    response = client.post("/graphql/", json.dumps({"query": DRY_RUN, "variables": variables}),
                           content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {DISCOUNTS_TOKEN}")
    return response.json()


def test_dry_run_of_ticked_segments_saves_nothing(client):
    channel = ChannelFactory()
    for i in range(3):
        UserFactory(email=f"m{i}@shop.com")
    for i in range(5):
        UserFactory(email=f"o{i}@else.com")
    segment = create_segment(name="Shop", channel_id=channel["id"], conditions=EMAIL_SHOP)
    refresh_segment(segment)
    voucher = insert("discount_voucher", name="WELCOME")
    promotion = insert("discount_promotion", id=uuid.uuid4(), name="10% off", type="order")
    v, p, s = gid("Voucher", voucher["id"]), gid("Promotion", promotion["id"]), gid("Segment", segment.pk)

    body = dry(client, {"v": v, "s": [s]})
    assert body["data"]["discountSegmentDryRun"] == {
        "restricted": True, "eligibleCustomers": 3, "customers": 8, "share": 0.375}, body
    assert dry(client, {"p": p, "s": [s]})["data"]["discountSegmentDryRun"]["eligibleCustomers"] == 3
    assert dry(client, {"v": v, "s": []})["data"]["discountSegmentDryRun"] == {
        "restricted": False, "eligibleCustomers": 8, "customers": 8, "share": 1.0}
    assert dry(client, {"v": v})["data"]["discountSegmentDryRun"]["restricted"] is False  # saved
    assert not DiscountRestriction.objects.exists()

    unknown = dry(client, {"v": v, "s": [gid("Segment", segment.pk + 99)]})
    assert "errors" in unknown and "not exist" in unknown["errors"][0]["message"]
