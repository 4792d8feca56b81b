"""Refresh tells the rest of the plugin about membership changes through one signal; it never
writes Saleor's checkouts itself (the discounts listen and expire prices)."""

import ast
from pathlib import Path

import pytest
from django.db import connection

from saleor_segments.membership.events import memberships_changed
from saleor_segments.membership.refresh import refresh_segment
from saleor_segments.services.segments import create_segment

from ..factories import UserFactory
from ..helpers import EMAIL_SHOP

MEMBERSHIP = Path(__file__).resolve().parents[2] / "saleor_segments" / "membership"


@pytest.mark.django_db
def test_refresh_sends_who_changed_inside_its_transaction(channel):
    joined = UserFactory(email="a@shop.com")
    UserFactory(email="b@elsewhere.com")
    segment = create_segment(name="Shop", channel_id=channel["id"], conditions=EMAIL_SHOP)
    received = []

    def receiver(sender, *, subject, segment_ids, changed, **kwargs):
        shoppers = changed(segment_ids)
        with connection.cursor() as cursor:  # the rows are there to act on
            cursor.execute(shoppers.sql, list(shoppers.params))
            received.append((subject, list(segment_ids), {r[0] for r in cursor.fetchall()}))

    memberships_changed.connect(receiver, dispatch_uid="test-receiver")
    try:
        refresh_segment(segment)
    finally:
        memberships_changed.disconnect(dispatch_uid="test-receiver")
    assert ("customer", [segment.pk], {joined["id"]}) in received


def test_membership_never_writes_checkouts_nor_imports_discounts():
    for path in MEMBERSHIP.glob("*.py"):
        source = path.read_text()
        assert "checkout_checkout SET" not in source, path.name
        imported = {(n.module or "") + ":" + ",".join(a.name for a in n.names)
                    for n in ast.walk(ast.parse(source)) if isinstance(n, ast.ImportFrom)}
        assert not any("discounts" in i for i in imported), (path.name, imported)


def test_a_shoppers_segments_are_answered_in_one_place():
    paths = sorted((MEMBERSHIP.parent / "targeting").glob("*.py"))
    assert {p.name for p in paths} >= {"discounts.py", "content.py", "related.py"}
    for path in paths:
        source = path.read_text()
        assert "saleor_segments_customermembership" not in source, path.name
        assert "saleor_segments_visitormembership" not in source, path.name


@pytest.mark.django_db
def test_discount_eligibility_and_content_ask_the_same_question(channel):
    from saleor_segments.membership.tables import segments_of
    from saleor_segments.targeting import discounts

    member = UserFactory(email="a@shop.com")
    other = UserFactory(email="b@elsewhere.com")
    segment = create_segment(name="Shop", channel_id=channel["id"], conditions=EMAIL_SHOP)
    refresh_segment(segment)
    assert segments_of(member["id"]) == {segment.pk} and segments_of(other["id"]) == set()
    assert discounts.is_member([segment.pk], member["id"])
    assert not discounts.is_member([segment.pk], other["id"])
    assert not discounts.is_member([], member["id"])
    segment.status = "inactive"
    segment.save()
    assert not discounts.is_member([segment.pk], member["id"]) and not segments_of(member["id"])
