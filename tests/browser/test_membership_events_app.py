"""Membership events in the Dashboard app, clicked through in Chromium against the standalone
server: a subscription to a loopback receiver started by the test, its secret shown once, a
refresh that makes a shopper join and the delivery listed as delivered (Celery is eager in
tests: the refresh's wake-up sends at once); a failing receiver's delivery listed as failed and
sent again with Retry; edit, deactivate, activate, delete; errors at their field; paging."""

import json
import re

import pytest
from django.core.cache import cache

from saleor_segments.models import CustomerField, Segment
from saleor_segments.standalone.rows import truncate_store
from saleor_segments.webhooks import signing
from saleor_segments.webhooks.models import MembershipDelivery, MembershipSubscription
from saleor_segments.webhooks.services import create_subscription

from ..factories import ChannelFactory, UserFactory
from ..loopback import Receiver
from .test_segments_app import TIMEOUT, gid

pytestmark = pytest.mark.django_db(transaction=True)

CREATE = """mutation($c: ID!, $n: String!, $t: JSONString!) {
  segmentCreate(input: {name: $n, channel: $c, conditions: $t}) { errors { message } segment { id } } }"""
DELETE = "mutation($ids: [ID!]!) { segmentBulkDelete(ids: $ids) { errors { message } count } }"
REFRESH = "mutation($id: ID!) { segmentRefresh(id: $id) { errors { message } } }"
GOLD = json.dumps({"conditions": [{"kind": "customer.metadata", "source": "metadata", "key": "tier",
                                   "type": "string", "operator": "is", "value": "gold"}]})


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def gold(dashboard, transactional_db):
    """Segment "Gold" (Ann), not refreshed yet: its first refresh makes Ann join."""
    truncate_store()
    cache.clear()
    channel = ChannelFactory(name="Default channel", slug="default-channel")
    ann = UserFactory(first_name="Ann", email="ann@example.com", metadata={"tier": "gold"})
    UserFactory(first_name="Beth", email="beth@example.com", metadata={"tier": "silver"})
    CustomerField.objects.create(source="metadata", key="tier", label="Tier", value_type="string")
    created = dashboard.api(CREATE, {"c": gid("Channel", channel["id"]), "n": "Gold", "t": GOLD})
    assert created["segmentCreate"]["errors"] == []
    yield created["segmentCreate"]["segment"]["id"], ann
    truncate_store()


def refresh(dashboard, segment_id):
    assert dashboard.api(REFRESH, {"id": segment_id})["segmentRefresh"]["errors"] == []


def open_events(dashboard):
    app = dashboard.open("events")
    app.get_by_role("heading", name="Membership events").wait_for(timeout=TIMEOUT)
    return app


def test_subscribe_see_the_secret_once_and_the_join_delivered(dashboard, gold, receiver):
    segment_id, ann = gold
    gone = dashboard.api(CREATE, {"c": gid("Channel", Segment.objects.get().channel_id), "n": "Gone soon", "t": GOLD})
    assert gone["segmentCreate"]["errors"] == []
    app = open_events(dashboard)
    app.get_by_text("No subscription yet.").wait_for(timeout=TIMEOUT)
    assert app.get_by_role("tab", name="Membership events").get_attribute("aria-selected") == "true"
    app.get_by_role("button", name="Add subscription").click()

    # the form's own checks: each problem at its field, nothing sent
    app.get_by_role("button", name="Create subscription").click()
    errors = app.get_by_test_id("node-error")
    errors.first.wait_for(timeout=TIMEOUT)
    assert errors.all_inner_texts() == ["Give the subscription a name.", "Give the URL deliveries are POSTed to.",
                                        "Choose at least one segment."]
    assert app.get_by_label("Name").get_attribute("aria-invalid") == "true"
    app.get_by_label("Name").fill("CRM")
    app.get_by_label("Target URL").fill("https://user:pw@crm.example.com/hooks")
    app.get_by_label("Joins (a shopper enters a segment)").uncheck()
    app.get_by_label("Leaves (a shopper leaves a segment)").uncheck()
    app.get_by_role("button", name="Create subscription").click()
    app.get_by_text("No credentials in the URL (the deliveries are signed).").wait_for(timeout=TIMEOUT)
    app.get_by_text("Choose joins, leaves or both.").wait_for(timeout=TIMEOUT)
    assert not MembershipSubscription.objects.exists()

    # the API's errors stand at their field too: a segment deleted while the form is open
    app.get_by_label("Target URL").fill(receiver.url)
    app.get_by_label("Joins (a shopper enters a segment)").check()
    app.get_by_label("Gone soon · Default channel").check()
    deleted = dashboard.api(DELETE, {"ids": [gone["segmentCreate"]["segment"]["id"]]})
    assert deleted["segmentBulkDelete"]["count"] == 1
    app.get_by_role("button", name="Create subscription").click()
    segment_error = app.get_by_test_id("node-error")
    segment_error.filter(has_text="do not exist").wait_for(timeout=TIMEOUT)
    assert segment_error.count() == 1
    assert app.locator("fieldset", has_text="Segments (1 chosen)").get_attribute("aria-invalid") == "true"
    assert not MembershipSubscription.objects.exists()
    app.get_by_label("Gone soon · Default channel").uncheck()
    app.get_by_label("Gold · Default channel").check()
    dashboard.screenshot("membership-events-new")
    app.get_by_role("button", name="Create subscription").click()

    # the secret, once, with a Copy button and what it is for
    shown = app.get_by_test_id("secret-once")
    shown.wait_for(timeout=TIMEOUT)
    stored = MembershipSubscription.objects.get()
    secret = app.get_by_label("Secret").input_value()
    assert secret == stored.secret and len(secret) >= 32
    assert "shown only once" in shown.inner_text()
    assert (stored.name, stored.target_url, stored.actions, stored.segment_ids) == (
        "CRM", receiver.url, ["joined"], [Segment.objects.get(name="Gold").pk])
    app.get_by_role("button", name="Copy secret").click()
    copied = app.get_by_test_id("secret-copied")
    copied.wait_for(timeout=TIMEOUT)
    assert copied.inner_text() in ("Copied to the clipboard.", "Selected: press Ctrl+C (⌘C) to copy.")
    row = app.locator("tr", has_text="CRM")
    assert row.get_by_test_id("subscription-status").inner_text() == "Active"
    assert "Joins" in row.inner_text() and "Gold" in row.inner_text()
    dashboard.screenshot("membership-events-secret")
    app.get_by_role("button", name="I have stored it").click()
    shown.wait_for(state="detached", timeout=TIMEOUT)
    assert secret not in app.locator("body").inner_html()
    dashboard.page.reload()
    dashboard.app.get_by_text("1 in total").wait_for(timeout=TIMEOUT)
    assert secret not in dashboard.app.locator("body").inner_html()

    # Ann joins Gold: the refresh's wake-up delivers to the receiver, signed with that secret
    refresh(dashboard, segment_id)
    assert len(receiver.received) == 1
    headers, body = receiver.received[0]
    assert signing.verify(secret, headers, body, now=int(headers["X-Segments-Timestamp"]))
    changes = json.loads(body)["changes"]
    assert [(c["action"], c["customer"]["email"]) for c in changes] == [("joined", "ann@example.com")]

    app = dashboard.app
    app.get_by_role("button", name="Deliveries of CRM").click()
    app.get_by_role("heading", name="Deliveries of “CRM”").wait_for(timeout=TIMEOUT)
    delivered = app.locator("tbody tr").first
    delivered.get_by_test_id("delivery-status").filter(has_text="Delivered").wait_for(timeout=TIMEOUT)
    cells = delivered.locator("td").all_inner_texts()
    assert cells[:6] == ["Delivered", "Delivered (HTTP 200)", "1", "HTTP 200", "—", "1 change"], cells
    assert delivered.get_by_role("button", name="Retry").count() == 0
    app.get_by_text("1 in total").first.wait_for(timeout=TIMEOUT)
    # the subscription's action log, below its deliveries: created from this page, no secret
    logged = app.get_by_test_id("admin-event")
    logged.first.wait_for(timeout=TIMEOUT)
    assert [e.get_attribute("data-action") for e in logged.all()] == ["CREATED"]
    assert secret not in app.locator("body").inner_html()
    dashboard.screenshot("membership-events-deliveries")
    app.get_by_label("Status").select_option("FAILED")
    app.get_by_text("No failed delivery.").wait_for(timeout=TIMEOUT)
    assert dashboard.real_errors() == []


def test_a_failing_receiver_shows_failed_and_retry_sends_it(dashboard, gold, receiver, settings):
    segment_id, ann = gold
    settings.SEGMENTS_WEBHOOK_MAX_ATTEMPTS = 1  # the first 500 is final: no back-off to wait for
    receiver.statuses = [500]
    create_subscription(name="Mailer", target_url=receiver.url,
                        segment_ids=[Segment.objects.get(name="Gold").pk])
    refresh(dashboard, segment_id)
    assert len(receiver.received) == 1
    delivery = MembershipDelivery.objects.get()
    assert (delivery.status, delivery.response_code) == ("failed", 500)

    app = open_events(dashboard)
    row = app.locator("tr", has_text="Mailer")
    row.wait_for(timeout=TIMEOUT)
    assert row.locator("td").nth(5).inner_text() == "1"  # failed deliveries
    dashboard.screenshot("membership-events")
    app.get_by_role("button", name="Deliveries of Mailer").click()
    app.get_by_label("Status").select_option("FAILED")
    failed = app.locator("tbody tr").first
    failed.get_by_test_id("delivery-status").filter(has_text="Failed").wait_for(timeout=TIMEOUT)
    cells = failed.locator("td").all_inner_texts()
    assert cells[:6] == ["Failed", "Failed after 1 attempt", "1", "HTTP 500", delivery.last_error, "1 change"], cells
    dashboard.screenshot("membership-events-failed")

    # Retry: the same changes go again (the receiver answers 200 now) and the delivery succeeds
    failed.get_by_role("button", name="Retry").click()
    app.get_by_text("No failed delivery.").wait_for(timeout=TIMEOUT)
    assert [a["payload"]["title"] for a in dashboard.actions("notification")] == ["Delivery queued again"]
    assert len(receiver.received) == 2
    assert receiver.payloads()[1]["changes"] == receiver.payloads()[0]["changes"]
    app.get_by_label("Status").select_option("")
    app.locator("tbody tr").first.get_by_test_id("delivery-status").filter(has_text="Delivered").wait_for(timeout=TIMEOUT)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("success", 1, 200)
    assert dashboard.real_errors() == []


def test_edit_deactivate_activate_and_delete(dashboard, gold, receiver):
    created = create_subscription(name="CRM", target_url=receiver.url,
                                  segment_ids=[Segment.objects.get(name="Gold").pk])
    app = open_events(dashboard)
    app.get_by_role("button", name="Edit CRM").click()
    name = app.get_by_label("Name")
    assert name.input_value() == "CRM"
    assert app.get_by_label("Gold · Default channel").is_checked()
    assert app.get_by_label("A URL (signed with a secret)").is_disabled()  # the target kind is fixed
    app.get_by_label("Target URL").fill("ftp://crm.example.com")
    app.get_by_role("button", name="Save", exact=True).click()
    app.get_by_text("Only http:// and https:// URLs receive deliveries.").wait_for(timeout=TIMEOUT)
    app.get_by_label("Target URL").fill(receiver.url)
    name.fill("CRM (leaves)")
    app.get_by_label("Joins (a shopper enters a segment)").uncheck()
    app.get_by_role("button", name="Save", exact=True).click()
    row = app.locator("tr", has_text="CRM (leaves)")
    row.wait_for(timeout=TIMEOUT)
    assert "Leaves" in row.inner_text() and "Joins" not in row.inner_text()
    assert app.get_by_test_id("secret-once").count() == 0  # an update shows no secret
    stored = MembershipSubscription.objects.get()
    assert (stored.name, stored.actions, stored.secret) == ("CRM (leaves)", ["left"], created.secret)

    # a new secret on request, shown once as well
    app.get_by_role("button", name="Edit CRM (leaves)").click()
    app.get_by_role("button", name="Save and make a new secret").click()
    app.get_by_test_id("secret-once").wait_for(timeout=TIMEOUT)
    stored.refresh_from_db()
    assert app.get_by_label("Secret").input_value() == stored.secret != created.secret
    app.get_by_role("button", name="I have stored it").click()

    app.get_by_role("button", name="Deactivate CRM (leaves)").click()
    row.get_by_test_id("subscription-status").filter(has_text="Inactive").wait_for(timeout=TIMEOUT)
    assert MembershipSubscription.objects.get().is_active is False
    app.get_by_role("button", name="Activate CRM (leaves)").click()
    row.get_by_test_id("subscription-status").filter(has_text=re.compile("^Active$")).wait_for(timeout=TIMEOUT)
    assert MembershipSubscription.objects.get().is_active is True

    row.get_by_role("button", name="Delete").click()
    dialog = app.get_by_role("alertdialog")
    assert dialog.get_attribute("aria-label") == "Delete “CRM (leaves)” and its deliveries?"
    dialog.get_by_role("button", name="Cancel").click()
    assert MembershipSubscription.objects.exists()
    row.get_by_role("button", name="Delete").click()
    app.get_by_role("button", name="Yes, delete").click()
    app.get_by_text("No subscription yet.").wait_for(timeout=TIMEOUT)
    assert not MembershipSubscription.objects.exists()
    assert dashboard.real_errors() == []


def test_subscriptions_page_through_with_their_total(dashboard, gold, receiver):
    pk = Segment.objects.get(name="Gold").pk
    for n in range(22):
        create_subscription(name=f"Hook {n:02d}", target_url=f"{receiver.url}/{n}", segment_ids=[pk])
    app = open_events(dashboard)
    app.get_by_text("22 in total").wait_for(timeout=TIMEOUT)
    app.get_by_text("Hook 00", exact=True).wait_for(timeout=TIMEOUT)
    assert app.get_by_text("Hook 21", exact=True).count() == 0  # oldest first, 20 a page
    app.get_by_role("button", name="Next").click()
    app.get_by_text("Hook 21", exact=True).wait_for(timeout=TIMEOUT)
    assert app.locator("tbody tr").count() == 2
    app.get_by_role("button", name="Previous").click()
    app.get_by_text("Hook 00", exact=True).wait_for(timeout=TIMEOUT)
    assert dashboard.real_errors() == []
