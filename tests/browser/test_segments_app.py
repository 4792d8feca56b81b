"""The merchant's path through the Dashboard app, clicking as a merchant does, in Chromium."""

import base64
import json
from urllib.parse import quote

import pytest

from saleor_segments.models import CustomerField, DiscountRestriction, Segment
from saleor_segments.standalone.rows import insert

from .conftest import FIRST_PAINT, app_token

pytestmark = pytest.mark.django_db(transaction=True)
TIMEOUT = 15_000


def gid(kind, pk):
    return base64.b64encode(f"{kind}:{pk}".encode()).decode()


def record_first_paint(dashboard, page):
    dashboard.page.wait_for_function("() => performance.getEntriesByName !== undefined")
    FIRST_PAINT[page] = dashboard.first_paint_ms()


def add_condition(scope, label):
    scope.locator("select[aria-label='Add condition']").last.select_option(label=label)


def test_seed_example_defined_by_clicking_then_refreshed_with_members(dashboard, shop):
    channel, people = shop
    CustomerField.objects.create(source="metadata", key="gender", label="Gender",
                                 value_type="string")
    app = dashboard.open("")
    app.get_by_role("heading", name="Customer segments").wait_for(timeout=TIMEOUT)
    record_first_paint(dashboard, "segment grid")
    app.get_by_role("button", name="Add segment").click()
    app.get_by_label("Segment name").fill("Women in Los Angeles")
    app.get_by_label("Channel").select_option(label="Default channel")
    dashboard.screenshot("segment-general")

    app.get_by_role("tab", name="Conditions").click()
    add_condition(app.locator("[data-group=root]"), "Customer metadata")
    gender = app.locator("[data-kind='customer.metadata']")
    assert gender.get_by_label("Customer field").input_value() == "metadata|gender"
    gender.get_by_label("Value").fill("female")
    add_condition(app.locator("[data-group=root]"), "Customer address")
    address = app.locator("[data-kind=address]")
    add_condition(address, "Address field")
    address.locator("[data-kind='address.field']").nth(0).get_by_label("Field").select_option("city")
    address.locator("[data-kind='address.field']").nth(0).get_by_label("Value").fill("Los Angeles")
    add_condition(address, "Address field")
    state = address.locator("[data-kind='address.field']").nth(1)
    state.get_by_label("Field").select_option("country_area")
    state.get_by_label("Value").fill("CA")
    app.get_by_test_id("preview-size").filter(has_text="1").wait_for(timeout=TIMEOUT)
    dashboard.screenshot("segment-conditions")

    app.get_by_role("button", name="Save").click()
    app.get_by_role("tab", name="Matched Customers").wait_for(timeout=TIMEOUT)
    segment = Segment.objects.get(name="Women in Los Angeles")
    assert segment.channel_id == channel["id"] and segment.apply_to == "customers"
    assert segment.conditions["conditions"][0] == {
        "kind": "customer.metadata", "source": "metadata", "key": "gender", "type": "string",
        "operator": "is", "value": "female"}
    assert [c["field"] for c in segment.conditions["conditions"][1]["conditions"]] == [
        "city", "country_area"]
    assert any(a["payload"].get("status") == "success" for a in dashboard.actions("notification"))

    app.get_by_role("button", name="Refresh segment data").click()
    app.get_by_test_id("refresh-progress").filter(has_text="done").wait_for(timeout=TIMEOUT)
    app.get_by_role("tab", name="Matched Customers").click()
    app.get_by_text("ann@example.com").wait_for(timeout=TIMEOUT)
    for other in ("beth@example.com", "carl@example.com", "dora@example.com"):
        assert app.get_by_text(other).count() == 0
    dashboard.screenshot("matched-customers")
    app.get_by_role("button", name=str(people["Ann"]["id"]), exact=True).click()
    dashboard.page.wait_for_function("window.__actions.some(a => a.type === 'redirect')")
    assert dashboard.actions("redirect")[-1]["payload"]["to"] == f"/customers/{gid('User', people['Ann']['id'])}"

    app.get_by_role("tab", name="Membership history").click()
    app.locator("td", has_text="Joined").first.wait_for(timeout=TIMEOUT)
    dashboard.screenshot("membership-history")
    app.get_by_role("tab", name="Why (not) a member?").click()
    app.get_by_label("Customer ID").fill(str(people["Carl"]["id"]))
    app.get_by_role("button", name="Explain").click()
    app.get_by_test_id("explain-verdict").filter(has_text="Does not match").wait_for(timeout=TIMEOUT)
    assert app.get_by_test_id("explain-mark").filter(has_text="not met").count() >= 1
    dashboard.screenshot("explain")

    app.get_by_role("button", name="Back").click()
    app.get_by_text("Women in Los Angeles").wait_for(timeout=TIMEOUT)
    dashboard.screenshot("segment-grid")
    assert dashboard.real_errors() == []


def test_an_invalid_value_shows_its_error_at_its_node(dashboard, shop):
    app = dashboard.open("")
    app.get_by_role("button", name="Add segment").click()
    app.get_by_label("Segment name").fill("Big gift cards")
    app.get_by_role("tab", name="Conditions").click()
    add_condition(app.locator("[data-group=root]"), "Condition group (ALL/ANY)")
    nested = app.locator("[data-group=root] [data-group]").first
    add_condition(nested, "Gift card balance")
    add_condition(nested, "Gift card balance")
    balance = nested.locator("[data-kind='customer.gift_card_balance']").nth(1)
    other = nested.locator("[data-kind='customer.gift_card_balance']").nth(0)
    other.get_by_label("Value").fill("many")
    balance.get_by_label("Value").fill("lots")
    error = balance.get_by_test_id("node-error").filter(has_text="expected a number")
    error.wait_for(timeout=TIMEOUT)
    assert balance.get_by_label("Value").get_attribute("aria-invalid") == "true"
    other.get_by_test_id("node-error").wait_for(timeout=TIMEOUT)  # its own error, at its node
    dashboard.screenshot("invalid-value")

    app.get_by_role("button", name="Save").click()
    dashboard.page.wait_for_function("window.__actions.some(a => a.type === 'notification')")
    assert dashboard.actions("notification")[-1]["payload"]["status"] == "error"
    assert not Segment.objects.exists()
    balance.get_by_label("Value").fill("50")
    other.get_by_role("button", name="Remove condition").click()
    nested.get_by_test_id("node-error").first.wait_for(state="detached", timeout=TIMEOUT)


def test_kinds_on_customer_fields_wait_for_a_declared_field(dashboard, shop):
    """Customer metadata/attribute are not offered (they could only be added with an empty field
    picker and an error) until a field is declared; the builder says where to declare one."""
    app = dashboard.open("")
    app.get_by_role("button", name="Add segment").click()
    app.get_by_role("tab", name="Conditions").click()
    picker = app.locator("[data-group=root] select[aria-label='Add condition']").last
    picker.wait_for(timeout=TIMEOUT)
    offered = picker.locator("option").all_inner_texts()
    assert "Customer address" in offered
    assert "Customer metadata" not in offered and "Customer attribute" not in offered
    hint = app.get_by_test_id("declare-first")
    assert "Customer fields for segments" in hint.inner_text() and "Customer metadata" in hint.inner_text()
    CustomerField.objects.create(source="metadata", key="gender", label="Gender", value_type="string")
    app = dashboard.open("")
    app.get_by_role("button", name="Add segment").click()
    app.get_by_role("tab", name="Conditions").click()
    picker = app.locator("[data-group=root] select[aria-label='Add condition']").last
    picker.wait_for(timeout=TIMEOUT)
    assert "Customer metadata" in picker.locator("option").all_inner_texts()
    assert app.get_by_test_id("declare-first").inner_text().startswith("Customer attribute:")


def test_declare_a_customer_field(dashboard, shop):
    _channel, people = shop
    insert("account_user", email="eve@example.com", first_name="Eve", is_staff=False,
           is_active=True, metadata={"loyalty": "gold"})
    app = dashboard.open("")
    app.get_by_role("tab", name="Customer fields for segments").click()
    row = app.locator("tr", has_text="loyalty")
    row.wait_for(timeout=TIMEOUT)
    record_first_paint(dashboard, "customer fields (app load)")
    row.get_by_role("button", name="Declare").click()
    app.get_by_label("Label in the condition builder").fill("Loyalty tier")
    dashboard.screenshot("customer-fields")
    app.get_by_role("button", name="Use in segments").click()
    app.locator("tr", has_text="loyalty").filter(has_text="Loyalty tier").wait_for(timeout=TIMEOUT)
    field = CustomerField.objects.get(key="loyalty")
    assert (field.source, field.value_type, field.label) == ("metadata", "string", "Loyalty tier")
    assert CustomerField.objects.count() == 1


def test_limit_a_voucher_to_a_segment_from_its_popup(dashboard, shop):
    channel, people = shop
    voucher = insert("discount_voucher", name="WELCOME10")
    created = dashboard.api("""mutation($c: ID!) { segmentCreate(input: {name: "Californians",
        channel: $c, conditions: "{\\"conditions\\": [{\\"kind\\": \\"address\\", \\"conditions\\": [{\\"kind\\": \\"address.field\\", \\"field\\": \\"country_area\\", \\"operator\\": \\"is\\", \\"value\\": \\"CA\\"}]}]}"})
        { errors { message } segment { id } } }""", {"c": gid("Channel", channel["id"])})
    segment_id = created["segmentCreate"]["segment"]["id"]
    dashboard.api("mutation($id: ID!) { segmentRefresh(id: $id) { errors { message } } }",
                  {"id": segment_id})
    app = dashboard.open("voucher-segments", voucherId=gid("Voucher", voucher["id"]))
    app.get_by_test_id("dry-run").filter(has_text="Saved: no limit").wait_for(timeout=TIMEOUT)
    record_first_paint(dashboard, "voucher popup")
    # the Dashboard's popup frame shows the title: the app does not repeat it
    assert app.get_by_text("Limit to segments").count() == 0
    app.get_by_label("Californians").check()
    # the dry run of the ticked segments, before saving
    app.get_by_test_id("dry-run").filter(has_text="Not saved yet: 3 of 4 customers").wait_for(timeout=TIMEOUT)
    assert not DiscountRestriction.objects.exists()
    app.get_by_role("button", name="Save").click()
    app.get_by_test_id("dry-run").filter(has_text="Saved: 3 of 4 customers").wait_for(timeout=TIMEOUT)
    dashboard.screenshot("voucher-popup")
    restriction = DiscountRestriction.objects.get()
    assert str(restriction.discount_id) == str(voucher["id"])
    assert list(restriction.segments.values_list("name", flat=True)) == ["Californians"]
    app.get_by_role("button", name="Close").click()
    dashboard.page.wait_for_function("window.__actions.some(a => a.type === 'popupClose')")


def test_customer_widget_lists_segments_and_explains(dashboard, shop):
    channel, people = shop
    created = dashboard.api("""mutation($c: ID!) { segmentCreate(input: {name: "Angelenos",
        channel: $c, conditions: "{\\"conditions\\": [{\\"kind\\": \\"address\\", \\"conditions\\": [{\\"kind\\": \\"address.field\\", \\"field\\": \\"city\\", \\"operator\\": \\"is\\", \\"value\\": \\"Los Angeles\\"}]}]}"})
        { segment { id } } }""", {"c": gid("Channel", channel["id"])})
    dashboard.api("mutation($id: ID!) { segmentRefresh(id: $id) { errors { message } } }",
                  {"id": created["segmentCreate"]["segment"]["id"]})
    app = dashboard.open("customer-widget", customerId=gid("User", people["Ann"]["id"]))
    app.get_by_test_id("customer-segment").filter(has_text="Angelenos").wait_for(timeout=TIMEOUT)
    record_first_paint(dashboard, "customer widget")
    app.get_by_label("Segment to explain").select_option(label="Angelenos")
    app.get_by_role("button", name="Explain").click()
    explained = app.get_by_test_id("widget-explain")
    explained.filter(has_text="Matches").wait_for(timeout=TIMEOUT)
    # named as the builder names them, never the raw kind names
    assert "Customer address" in explained.inner_text() and "City is Los Angeles" in explained.inner_text()
    assert "City is Los Angeles (found: Los Angeles)" in explained.inner_text()
    assert "address.field" not in explained.inner_text()
    # the Dashboard's card around the widget shows the title: the app does not repeat it
    assert app.get_by_text("Customer segments", exact=True).count() == 0
    dashboard.screenshot("customer-widget")
    heights = [a["payload"]["height"] for a in dashboard.actions("widgetResize")]
    assert heights and len(heights) == len(set(heights))  # only when the height changes


def test_content_blocks_and_related_product_rules(dashboard, shop):
    insert("product_category", name="Shoes", slug="shoes")
    app = dashboard.open("")
    app.get_by_role("tab", name="Related product rules").click()
    app.get_by_role("button", name="Add").click()
    app.get_by_label("Name").fill("Shoes with shoes")
    add_condition(app.locator("[data-group=root]").first, "Category")
    category = app.locator("[data-kind='product.category']").first
    category.get_by_label("Value").fill("sho")
    app.get_by_role("option", name="Shoes").click()
    add_condition(app.locator("[data-group=root]").nth(1), "Category")
    shown = app.locator("[data-kind='product.category']").nth(1)
    shown.get_by_label("Value").fill("sho")
    app.get_by_role("option", name="Shoes").click()
    dashboard.screenshot("related-product-rule")
    app.get_by_role("button", name="Save").click()
    app.get_by_text("Shoes with shoes").wait_for(timeout=TIMEOUT)
    from saleor_segments.models import RelatedProductRule

    rule = RelatedProductRule.objects.get()
    assert rule.applies_to["conditions"][0]["kind"] == "product.category"
    assert isinstance(rule.applies_to["conditions"][0]["value"], int)
    app.get_by_role("tab", name="Content blocks").click()
    app.get_by_role("button", name="Add").click()
    app.get_by_label("Name").fill("Free shipping banner")
    app.get_by_label("Content").fill(json.dumps({"html": "<b>Free shipping</b>"}))
    app.get_by_role("button", name="Save").click()
    app.get_by_text("Free shipping banner").wait_for(timeout=TIMEOUT)
    dashboard.screenshot("content-blocks")


def test_staff_without_manage_users_see_a_no_permission_page(dashboard, settings, shop):
    dashboard.token = app_token(permissions=["MANAGE_DISCOUNTS"])
    settings.SEGMENTS_API_TOKENS = {dashboard.token: ["MANAGE_DISCOUNTS"]}
    app = dashboard.open("")
    app.get_by_test_id("no-permission").wait_for(timeout=TIMEOUT)
    dashboard.screenshot("no-permission")


def test_token_refresh_is_used_and_nothing_is_stored(dashboard, settings, shop):
    app = dashboard.open("")
    app.get_by_role("heading", name="Customer segments").wait_for(timeout=TIMEOUT)
    fresh = app_token(email="refreshed@example.com")
    settings.SEGMENTS_API_TOKENS = {fresh: ["MANAGE_USERS", "MANAGE_DISCOUNTS"]}  # old one expired
    dashboard.page.evaluate("(t) => window.__tokenRefresh(t)", fresh)
    app.get_by_label("Search").fill("nothing like this")
    app.get_by_text("No segments match").wait_for(timeout=TIMEOUT)
    assert dashboard.real_errors() == []
    frame = dashboard.page.frames[1]
    assert frame.evaluate("() => [localStorage.length, sessionStorage.length]") == [0, 0]


def test_first_paint_of_each_page(dashboard, shop):
    """Measured in Chromium (reported at the end of the run; no time assertion): first
    contentful paint of each document the Dashboard loads, and for the pages inside the app
    page, the time from the click to their content being painted."""
    channel, people = shop
    promotion = insert("discount_promotion", name="Summer sale", type="order")
    voucher = insert("discount_voucher", name="WELCOME10")
    documents = {"segment grid": ("", {}, "Add segment"),
                 "customer widget": ("customer-widget", {"customerId": gid("User", people["Ann"]["id"])}, "Not in any segment."),
                 "voucher popup": ("voucher-segments", {"voucherId": gid("Voucher", voucher["id"])}, "Saved: no limit"),
                 "discount popup": ("discount-segments", {"discountId": gid("Promotion", promotion["id"])}, "Saved: no limit")}
    for page, (route, mount, ready) in documents.items():
        app = dashboard.open(route, **mount)
        app.get_by_text(ready).first.wait_for(timeout=TIMEOUT)
        FIRST_PAINT[page] = dashboard.first_paint_ms()
    app = dashboard.open("")
    app.get_by_role("heading", name="Customer segments").wait_for(timeout=TIMEOUT)
    frame = dashboard.page.frames[1]
    for page, tab, ready in [("segment editor", None, "General Properties"),
                             ("customer fields", "Customer fields for segments", "Customer fields for segments"),
                             ("content blocks", "Content blocks", "No content blocks yet."),
                             ("related product rules", "Related product rules", "No related product rules yet.")]:
        start = frame.evaluate("() => performance.now()")
        if tab:
            app.get_by_role("tab", name=tab).click()
        else:
            app.get_by_role("button", name="Add segment").click()
        app.get_by_text(ready).last.wait_for(timeout=TIMEOUT)
        painted = frame.evaluate("() => new Promise(r => requestAnimationFrame(() => r(performance.now())))")
        FIRST_PAINT[f"{page} (in app)"] = round(painted - start)
        if not tab:
            app.get_by_role("button", name="Back").click()
    assert all(isinstance(v, int) and v >= 0 for v in FIRST_PAINT.values()), FIRST_PAINT


def test_bulk_delete_from_the_grid(dashboard, shop):
    channel, _people = shop
    for name in ("First to go", "Second to go", "Stays"):
        dashboard.api("""mutation($c: ID!, $n: String!) { segmentCreate(input: {name: $n, channel: $c,
            conditions: "{\\"conditions\\": []}"}) { errors { message } } }""",
                      {"c": gid("Channel", channel["id"]), "n": name})
    app = dashboard.open("")
    for name in ("First to go", "Second to go"):
        app.locator("tr", has_text=name).get_by_role("checkbox").check()
    app.get_by_role("button", name="Delete 2 selected").click()
    app.get_by_role("button", name="Yes, delete").click()
    app.locator("tr", has_text="First to go").wait_for(state="detached", timeout=TIMEOUT)
    assert list(Segment.objects.values_list("name", flat=True)) == ["Stays"]
    assert dashboard.actions("notification")[-1]["payload"]["title"] == "Deleted 2 segment(s)"


def test_the_dashboard_keeps_the_open_segment_in_its_url(dashboard, shop):
    channel, _people = shop
    created = dashboard.api("""mutation($c: ID!) { segmentCreate(input: {name: "Deep link",
        channel: $c, conditions: "{\\"conditions\\": []}"}) { segment { id } } }""",
                            {"c": gid("Channel", channel["id"])})
    segment_id = created["segmentCreate"]["segment"]["id"]
    app = dashboard.open("")
    app.locator("tr", has_text="Deep link").click()
    dashboard.page.wait_for_function("window.__actions.some(a => a.type === 'updateRouting')")
    route = f"/segments/{quote(segment_id, safe='')}"
    assert dashboard.actions("updateRouting")[-1]["payload"]["newRoute"] == route
    # what the Dashboard loads for /extensions/app/<app>/segments/<id>: the app's URL + sub path
    app = dashboard.open(route.lstrip("/"))
    app.get_by_role("heading", name="Deep link").wait_for(timeout=TIMEOUT)
    app.get_by_role("button", name="Back").click()
    app.get_by_role("heading", name="Customer segments").wait_for(timeout=TIMEOUT)
    assert dashboard.actions("updateRouting")[-1]["payload"]["newRoute"] == "/"
    assert dashboard.real_errors() == []


def test_the_dashboards_dark_theme_is_followed(dashboard, shop):
    app = dashboard.open("", theme="dark")
    app.get_by_role("heading", name="Customer segments").wait_for(timeout=TIMEOUT)
    shell = app.locator("[data-theme]").first
    assert shell.get_attribute("data-theme") == "dark"
    red, green, blue = map(int, shell.evaluate(
        "e => getComputedStyle(e).backgroundColor.match(/\\d+/g).slice(0, 3)"))
    assert red + green + blue < 3 * 80  # a dark background, as in the Dashboard's dark mode
    dashboard.screenshot("segment-grid-dark")
