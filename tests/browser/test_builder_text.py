"""The builder's Text tab (the segment query language) round-trips with the visual builder, shows
parse problems at their line and column and blocks saving them; the cost warning of
segmentPreview is shown before saving and asked about once more on Save. Chromium against the
standalone server."""

import json

import pytest
from django.db import connection

from saleor_segments.models import CustomerField, Segment

from ..factories import OrderFactory, OrderLineFactory
from .test_segments_app import TIMEOUT, add_condition, gid

pytestmark = pytest.mark.django_db(transaction=True)

WOMEN_IN_LA = ('all {\n  customer.metadata(gender) is "female"\n  address(any) where {\n'
               '    city contains "Los Angeles"\n  }\n}\n')


def test_text_tab_round_trips_with_the_visual_builder(dashboard, shop):
    channel, people = shop
    CustomerField.objects.create(source="metadata", key="gender", label="Gender",
                                 value_type="string")
    app = dashboard.open("")
    app.get_by_role("button", name="Add segment").click()
    app.get_by_label("Segment name").fill("Women in LA, typed")
    app.get_by_label("Channel").select_option(label="Default channel")
    app.get_by_role("tab", name="Conditions").click()
    # visual → text
    add_condition(app.locator("[data-group=root]"), "Customer metadata")
    app.locator("[data-kind='customer.metadata']").get_by_label("Value").fill("female")
    app.get_by_test_id("preview-size").filter(has_text="3").wait_for(timeout=TIMEOUT)
    app.get_by_role("tab", name="Text").click()
    text = app.get_by_label("Conditions as text")
    text.wait_for(timeout=TIMEOUT)
    assert text.input_value() == 'all {\n  customer.metadata(gender) is "female"\n}\n'

    # text → visual: typed, read, the preview follows
    text.fill(WOMEN_IN_LA)
    status = app.get_by_test_id("conditions-text-status")
    status.filter(has_text="Valid").wait_for(timeout=TIMEOUT)
    app.get_by_test_id("preview-size").filter(has_text="2").wait_for(timeout=TIMEOUT)  # Ann, Dora
    dashboard.screenshot("builder-text")
    app.get_by_role("tab", name="Visual").click()
    address = app.locator("[data-kind=address]")
    address.wait_for(timeout=TIMEOUT)
    field = address.locator("[data-kind='address.field']")
    assert field.get_by_label("Field").input_value() == "city"
    assert field.get_by_label("Value").input_value() == "Los Angeles"

    # a syntax error stands at its line and column, and is not saved
    app.get_by_role("tab", name="Text").click()
    assert text.input_value() == WOMEN_IN_LA  # printed back from the visual builder
    text.fill('all {\n  customer.email is\n}')
    problem = app.get_by_test_id("text-problem")
    problem.first.wait_for(timeout=TIMEOUT)
    assert problem.first.inner_text().startswith("Line 2, column 20: ")
    assert problem.first.locator("pre").inner_text() == "  customer.email is\n" + " " * 19 + "^"
    assert text.get_attribute("aria-invalid") == "true"
    dashboard.screenshot("builder-text-error")
    app.get_by_role("button", name="Save").click()
    dashboard.page.wait_for_function(
        "window.__actions.some(a => a.type === 'notification' && a.payload.status === 'error')")
    assert not Segment.objects.exists()

    # fixed (and tidied with Format), then saved: the tree of the text
    text.fill('any{customer.metadata(gender) is "female"; customer.metadata(gender) is "male"}')
    status.filter(has_text="Valid").wait_for(timeout=TIMEOUT)
    app.get_by_role("button", name="Format").click()
    text.filter(has_text="any {\n").wait_for(timeout=TIMEOUT)
    assert text.input_value().startswith('any {\n  customer.metadata(gender) is "female"\n')
    app.get_by_role("button", name="Save").click()
    app.get_by_role("tab", name="Matched Customers").wait_for(timeout=TIMEOUT)
    segment = Segment.objects.get(name="Women in LA, typed")
    assert segment.conditions["aggregator"] == "any"
    assert [c["value"] for c in segment.conditions["conditions"]] == ["female", "male"]
    assert dashboard.real_errors() == []


def test_cost_warning_is_shown_and_asked_about_before_saving(dashboard, shop, monkeypatch):
    from saleor_segments.evaluation import cost

    monkeypatch.setattr(cost, "MIN_ROWS", 0)  # a tiny store: any full read counts as slow
    channel, people = shop
    for person in people.values():
        order = OrderFactory(user_id=person["id"], channel_id=channel["id"])
        OrderLineFactory(order_id=order["id"])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the planner's statistics: tiny tables are read whole
    ordered = {"conditions": [
        {"kind": "customer.field", "field": "email", "operator": "contains", "value": "@example.com"},
        {"kind": "products", "source": "ordered", "conditions": [
            {"kind": "product.sku", "operator": "contains", "value": "TEE"}]}]}
    created = dashboard.api("""mutation($c: ID!, $t: JSONString!) { segmentCreate(input: {
        name: "Bought a tee", channel: $c, conditions: $t}) { errors { message } segment { id } } }""",
                            {"c": gid("Channel", channel["id"]), "t": json.dumps(ordered)})
    segment_id = created["segmentCreate"]["segment"]["id"]
    app = dashboard.open(f"segments/{segment_id}")
    app.get_by_role("tab", name="Conditions").click()
    warning = app.get_by_test_id("cost-warning")
    warning.wait_for(timeout=TIMEOUT)
    flagged = warning.locator("[data-path]")
    assert flagged.first.get_attribute("data-path") == "conditions[1]"
    assert "Products in cart, wishlist, viewed or ordered" in warning.inner_text()
    assert "from start to end" in warning.inner_text() and "Add a period" in warning.inner_text()
    dashboard.screenshot("cost-warning")

    app.get_by_role("tab", name="General Properties").click()
    app.get_by_label("Segment name").fill("Bought a tee (slow)")
    app.get_by_role("button", name="Save").click()
    confirm = app.get_by_test_id("cost-confirm")
    confirm.wait_for(timeout=TIMEOUT)
    assert "large table" in confirm.inner_text()
    app.get_by_role("button", name="Review conditions").click()
    warning.wait_for(timeout=TIMEOUT)  # back at the conditions, the warning in view
    assert Segment.objects.get().name == "Bought a tee"
    app.get_by_role("button", name="Save").click()
    app.get_by_role("button", name="Save anyway").click()
    dashboard.page.wait_for_function(
        "window.__actions.some(a => a.type === 'notification' && a.payload.status === 'success')")
    assert Segment.objects.get().name == "Bought a tee (slow)"
    assert dashboard.real_errors() == []


def test_a_cheap_definition_saves_without_a_question(dashboard, shop):
    channel, _people = shop
    created = dashboard.api("""mutation($c: ID!, $t: JSONString!) { segmentCreate(input: {
        name: "Shop", channel: $c, conditions: $t}) { segment { id } } }""", {
        "c": gid("Channel", channel["id"]), "t": json.dumps({"conditions": [
            {"kind": "customer.field", "field": "email", "operator": "contains", "value": "@"}]})})
    app = dashboard.open(f"segments/{created['segmentCreate']['segment']['id']}")
    app.get_by_role("tab", name="Conditions").click()
    app.get_by_test_id("cost").wait_for(timeout=TIMEOUT)  # the estimate, and no warning
    assert app.get_by_test_id("cost-warning").count() == 0
    app.get_by_role("button", name="Save").click()
    dashboard.page.wait_for_function(
        "window.__actions.some(a => a.type === 'notification' && a.payload.status === 'success')")
    assert app.get_by_test_id("cost-confirm").count() == 0


def test_leaving_the_text_tab_with_problems_asks_first(dashboard, shop):
    channel, _people = shop
    CustomerField.objects.create(source="metadata", key="gender", label="Gender",
                                 value_type="string")
    created = dashboard.api("""mutation($c: ID!, $t: JSONString!) { segmentCreate(input: {
        name: "Women", channel: $c, conditions: $t}) { segment { id } } }""", {
        "c": gid("Channel", channel["id"]), "t": json.dumps({"conditions": [
            {"kind": "customer.metadata", "source": "metadata", "key": "gender", "type": "string",
             "operator": "is", "value": "female"}]})})
    app = dashboard.open(f"segments/{created['segmentCreate']['segment']['id']}")
    app.get_by_role("tab", name="Conditions").click()
    app.get_by_role("tab", name="Text").click()
    text = app.get_by_label("Conditions as text")
    text.wait_for(timeout=TIMEOUT)
    printed = text.input_value()

    # typed and left at once (before the pause that reads it): read now, the builder follows
    text.fill('all {\n  customer.metadata(gender) is "male"\n}\n')
    app.get_by_role("tab", name="Visual").click()
    value = app.locator("[data-kind='customer.metadata']").get_by_label("Value")
    value.wait_for(timeout=TIMEOUT)
    assert value.input_value() == "male"

    # with a problem: the merchant stays on the tab, told what leaving would drop
    app.get_by_role("tab", name="Text").click()
    text.fill('all {\n  customer.metadata(gender) is\n}\n')
    app.get_by_role("tab", name="Visual").click()
    warning = app.get_by_test_id("text-leave-warning")
    warning.wait_for(timeout=TIMEOUT)
    assert "1 problem" in warning.inner_text() and "drops what you typed" in warning.inner_text()
    assert app.get_by_role("tab", name="Text").get_attribute("aria-selected") == "true"
    assert text.input_value() == 'all {\n  customer.metadata(gender) is\n}\n'
    dashboard.screenshot("builder-text-leave-warning")
    app.get_by_role("button", name="Stay and fix the text").click()
    warning.wait_for(state="detached", timeout=TIMEOUT)
    app.get_by_role("tab", name="General Properties").click()  # another tab of the page: asked too
    warning.wait_for(timeout=TIMEOUT)
    assert app.get_by_label("Segment name").count() == 0
    app.get_by_role("button", name="Leave and drop the text").click()
    app.get_by_label("Segment name").wait_for(timeout=TIMEOUT)
    app.get_by_role("tab", name="Conditions").click()
    text.wait_for(timeout=TIMEOUT)  # the text of the definition the builder kept
    assert text.input_value() == printed.replace('"female"', '"male"')

    # fixed before leaving: no question
    text.fill('all {\n  customer.metadata(gender) is "female"\n}\n')
    app.get_by_role("tab", name="Visual").click()
    value.wait_for(timeout=TIMEOUT)
    assert value.input_value() == "female"
    assert app.get_by_test_id("text-leave-warning").count() == 0
    assert dashboard.real_errors() == []
