"""Reports and exports in the Dashboard app, clicked through in Chromium against the standalone
server with real segments: Export (CSV, XLSX) with progress, the link and the downloaded file;
a report (ANY, ALL, exclusions) with the right count; the size and joins/leaves charts; the
overlap heat map; the action log."""

import csv
import datetime as dt
import io
import json

import openpyxl
import pytest
from django.core.cache import cache
from django.utils import timezone

from saleor_segments.models import CustomerField, MembershipLog
from saleor_segments.standalone.rows import insert, truncate_store

from ..factories import AddressFactory, ChannelFactory, UserFactory
from .test_segments_app import TIMEOUT, gid

pytestmark = pytest.mark.django_db(transaction=True)

# first name, gender, tier, region
PEOPLE = [("Ann", "female", "gold", "west"), ("Beth", "female", "silver", "west"),
          ("Carl", "male", "gold", "east"), ("Dora", "female", "gold", "east"),
          ("Zoë", "female", "none", "east"), ("Finn", "male", "silver", "west")]
CREATE = """mutation($c: ID!, $n: String!, $t: JSONString!) {
  segmentCreate(input: {name: $n, channel: $c, conditions: $t}) { errors { message } segment { id } } }"""
REFRESH = "mutation($id: ID!) { segmentRefresh(id: $id) { errors { message } } }"


def metadata_is(key, value):
    return json.dumps({"conditions": [{"kind": "customer.metadata", "source": "metadata",
                                       "key": key, "type": "string", "operator": "is",
                                       "value": value}]})


@pytest.fixture
def segments(dashboard, transactional_db, settings, tmp_path):
    """Gold = Ann, Carl, Dora; Women = Ann, Beth, Dora, Zoë; West = Ann, Beth, Finn; made and
    refreshed through the API (so the action log has them)."""
    settings.SEGMENTS_EXPORT_DIR = str(tmp_path / "exports")
    truncate_store()
    cache.clear()
    channel = ChannelFactory(name="Default channel", slug="default-channel")
    people = {}
    for name, gender, tier, region in PEOPLE:
        address = AddressFactory(first_name=name, country="DE" if name in ("Dora", "Zoë") else "US")
        user = UserFactory(first_name=name, last_name="Doe", email=f"{name.lower()}@example.com",
                           metadata={"gender": gender, "tier": tier, "region": region},
                           default_billing_address_id=address["id"])
        insert("account_user_addresses", user_id=user["id"], address_id=address["id"])
        people[name] = user["id"]
    for key in ("gender", "tier", "region"):
        CustomerField.objects.create(source="metadata", key=key, label=key.title(),
                                     value_type="string")
    ids = {}
    for name, key, value in (("Gold", "tier", "gold"), ("Women", "gender", "female"),
                             ("West", "region", "west")):
        created = dashboard.api(CREATE, {"c": gid("Channel", channel["id"]), "n": name,
                                         "t": metadata_is(key, value)})["segmentCreate"]
        assert created["errors"] == [], created
        ids[name] = created["segment"]["id"]
        assert dashboard.api(REFRESH, {"id": ids[name]})["segmentRefresh"]["errors"] == []
    yield ids, people
    truncate_store()


def pk(global_id):
    import base64

    return int(base64.b64decode(global_id).decode().split(":")[1])


def test_export_matched_customers_to_csv_shows_progress_link_and_file(dashboard, segments):
    ids, people = segments
    app = dashboard.open(f"segments/{ids['Women']}")
    app.get_by_role("tab", name="Matched Customers").click()
    app.get_by_text("zoë@example.com").wait_for(timeout=TIMEOUT)
    app.get_by_label("Country code").fill("de")  # the export follows the grid's filter: Dora, Zoë
    app.get_by_text("ann@example.com").wait_for(state="detached", timeout=TIMEOUT)
    # the tests run Celery tasks eagerly (the file is written at once): the first answers are
    # held at PENDING, half done, as a worker's would be, to see the progress and the polling
    hold = {"on": True, "polls": 0}

    def as_if_running(route):
        body = route.request.post_data or ""
        if not hold["on"] or not ("segmentMembersExport" in body or "segmentExportFile" in body):
            return route.continue_()
        response = route.fetch()
        data = response.json()
        if "segmentExportFile" in body:
            hold["polls"] += 1
            file = data["data"]["segmentExportFile"]
        else:
            file = data["data"]["segmentMembersExport"]["exportFile"]
        file.update(status="PENDING", progress=50.0, rowsWritten=1, rowsTotal=2, url=None)
        route.fulfill(response=response, json=data)

    dashboard.page.route("**/graphql/", as_if_running)
    app.get_by_role("button", name="Export matched customers to CSV").click()
    status = app.get_by_test_id("export-status")
    status.filter(has_text="Exporting CSV… 50% (1 of 2 rows)").wait_for(timeout=TIMEOUT)
    assert app.get_by_label("Export progress").get_attribute("value") == "50"
    assert app.get_by_role("button", name="Export matched customers to XLSX").is_disabled()
    for _ in range(100):  # the app keeps polling while the file is written
        if hold["polls"] >= 2:
            break
        dashboard.page.wait_for_timeout(100)
    assert hold["polls"] >= 2
    dashboard.screenshot("export-progress")
    assert app.get_by_test_id("export-link").count() == 0
    hold["on"] = False  # the next poll reads the real record: written, with its link
    link = app.get_by_test_id("export-link")
    link.wait_for(timeout=TIMEOUT)
    assert status.inner_text() == "CSV file ready: 2 rows", status.inner_text()
    dashboard.screenshot("export-matched-customers")
    with dashboard.page.expect_download(timeout=TIMEOUT) as done:
        link.click()
    download = done.value
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(open(download.path(), encoding="utf-8-sig").read())))
    emails = sorted(r[3] for r in rows[1:])
    assert emails == ["dora@example.com", "zoë@example.com"], rows
    assert dashboard.real_errors() == []


def test_build_a_report_see_the_count_and_export_it_to_xlsx(dashboard, segments):
    ids, people = segments
    app = dashboard.open("reports")
    app.get_by_role("heading", name="Reports").wait_for(timeout=TIMEOUT)
    app.get_by_text("Pick the segments to combine.").wait_for(timeout=TIMEOUT)
    app.get_by_label("Role of Gold").select_option("include")
    app.get_by_label("Role of Women").select_option("include")
    count = app.get_by_test_id("report-count")
    count.filter(has_text="5").wait_for(timeout=TIMEOUT)  # Ann, Beth, Carl, Dora, Zoë
    app.get_by_label("Role of West").select_option("exclude")
    count.filter(has_text="3").wait_for(timeout=TIMEOUT)  # Carl, Dora, Zoë
    assert app.get_by_test_id("report-description").inner_text() == \
        "In any of “Gold” or “Women”, but not in “West”"
    app.get_by_label("In ALL included segments (intersection)").check()
    count.filter(has_text="1").wait_for(timeout=TIMEOUT)  # Dora
    app.get_by_text("dora@example.com").wait_for(timeout=TIMEOUT)
    assert app.get_by_text("ann@example.com").count() == 0
    app.get_by_label("Role of West").select_option("")
    count.filter(has_text="2").wait_for(timeout=TIMEOUT)  # Ann, Dora
    # sort by email, descending, from the grid's header
    app.get_by_role("columnheader", name="Email").click()
    app.get_by_role("columnheader", name="Email").click()
    app.locator("th[aria-sort=descending]", has_text="Email").wait_for(timeout=TIMEOUT)
    first = app.locator("tbody tr[data-row]").filter(has_text="@example.com")
    first.first.filter(has_text="dora@example.com").wait_for(timeout=TIMEOUT)
    # by keyboard: the export button and the link take Enter
    app.get_by_role("button", name="Export report to XLSX").focus()
    dashboard.page.keyboard.press("Enter")
    link = app.get_by_test_id("export-link")
    link.wait_for(timeout=TIMEOUT)
    dashboard.screenshot("report")
    with dashboard.page.expect_download(timeout=TIMEOUT) as done:
        link.focus()
        dashboard.page.keyboard.press("Enter")
    assert done.value.suggested_filename.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(open(done.value.path(), "rb").read()), read_only=True)
    emails = [r[3] for r in book.active.iter_rows(min_row=2, values_only=True)]
    assert emails == ["dora@example.com", "ann@example.com"]  # the grid's sort
    assert dashboard.real_errors() == []


def test_overlap_heat_map_shows_shared_customers_and_percentages(dashboard, segments):
    ids, people = segments
    app = dashboard.open("reports")
    app.get_by_text("Pick two or more segments").wait_for(timeout=TIMEOUT)
    for name in ("Gold", "Women"):
        app.get_by_label(f"Role of {name}").select_option("include")
    app.get_by_label("Role of West").select_option("exclude")
    heat = app.get_by_test_id("heat-map")
    heat.wait_for(timeout=TIMEOUT)
    cells = heat.locator("td[data-shared]")
    cells.nth(8).wait_for(timeout=TIMEOUT)
    grid = [[None] * 3 for _ in range(3)]
    for i in range(cells.count()):
        cell = cells.nth(i)
        grid[int(cell.get_attribute("data-row"))][int(cell.get_attribute("data-col"))] = (
            int(cell.get_attribute("data-shared")), cell.inner_text().split("\n")[-1])
    # rows and columns in the list's order (by name): Gold, West, Women
    assert [h.inner_text() for h in heat.locator("tbody th").all()] == ["Gold", "West", "Women"]
    assert grid == [[(3, "100%"), (1, "33.3%"), (2, "66.7%")],
                    [(1, "33.3%"), (3, "100%"), (2, "66.7%")],
                    [(2, "50%"), (2, "50%"), (4, "100%")]]
    label = heat.locator("td[data-row='2'][data-col='0']").get_attribute("aria-label")
    assert label == "2 customers in both Women and Gold: 50% of Women, 66.7% of Gold"
    # deeper colour for a larger share
    deep = heat.locator("td[data-row='0'][data-col='0']").evaluate("e => getComputedStyle(e).backgroundColor")
    pale = heat.locator("td[data-row='0'][data-col='1']").evaluate("e => getComputedStyle(e).backgroundColor")
    assert deep == "rgb(30, 64, 175)" and pale != deep
    heat.scroll_into_view_if_needed()
    dashboard.screenshot("overlap-heat-map")
    assert dashboard.real_errors() == []


def test_size_and_joins_leaves_charts_from_the_log(dashboard, segments):
    ids, people = segments
    gold = pk(ids["Gold"])
    today = timezone.now().date()

    def noon(days_ago):
        return dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(12), tzinfo=dt.UTC)

    # the refresh logged Ann, Carl and Dora joining now: spread them over the week, and add
    # Finn who joined and left again
    for name, days_ago in (("Ann", 6), ("Carl", 4), ("Dora", 2)):
        assert MembershipLog.objects.filter(segment_id=gold, customer_id=people[name],
                                            action="joined").update(at=noon(days_ago)) == 1
    MembershipLog.objects.create(segment_id=gold, customer_id=people["Finn"], action="joined",
                                 at=noon(5), reason="refresh", definition_version=1)
    MembershipLog.objects.create(segment_id=gold, customer_id=people["Finn"], action="left",
                                 at=noon(3), reason="refresh", definition_version=1)
    app = dashboard.open(f"segments/{ids['Gold']}")
    app.get_by_role("tab", name="Size over time").click()
    app.get_by_label("Period", exact=True).select_option(label="Last 7 days")
    chart = app.get_by_test_id("size-chart")
    chart.locator("circle").nth(6).wait_for(timeout=TIMEOUT)
    members = [int(c.get_attribute("data-members")) for c in chart.locator("circle").all()]
    assert members == [1, 2, 3, 2, 3, 3, 3]
    assert chart.get_attribute("aria-label").endswith(": 1 to 3, at most 3.")
    flow = app.get_by_test_id("flow-chart")
    assert [int(r.get_attribute("data-joined")) for r in flow.locator("rect[data-joined]").all()] == [1, 1, 1, 1]
    assert [int(r.get_attribute("data-left")) for r in flow.locator("rect[data-left]").all()] == [1]
    assert flow.get_attribute("aria-label") == "4 joined and 1 left in the period."
    # taller bars and higher points for larger numbers: the scale is right
    heights = [float(r.get_attribute("height")) for r in flow.locator("rect").all()]
    assert len(set(heights)) == 1  # every bar is one customer
    ys = [float(c.get_attribute("cy")) for c in chart.locator("circle").all()]
    assert ys[0] > ys[1] > ys[2] and ys[2] == ys[4] and ys[3] == ys[1]
    dashboard.screenshot("size-over-time")
    app.get_by_text("Show the numbers").click()
    assert app.locator("tbody tr[data-row]").count() >= 7
    assert dashboard.real_errors() == []


def test_action_log_lists_who_created_changed_and_refreshed(dashboard, segments):
    ids, people = segments
    dashboard.api("""mutation($id: ID!) { segmentUpdate(id: $id, input: {name: "Gold tier"}) {
        errors { message } } }""", {"id": ids["Gold"]})
    app = dashboard.open(f"segments/{ids['Gold']}")
    app.get_by_role("tab", name="Action log").click()
    entries = app.get_by_test_id("admin-event")
    entries.nth(2).wait_for(timeout=TIMEOUT)
    texts = [e.inner_text() for e in entries.all()]
    assert [e.get_attribute("data-action") for e in entries.all()] == ["UPDATED", "REFRESHED", "CREATED"]
    assert "Changed Name" in texts[0] and "Refreshed" in texts[1] and "Created" in texts[2]
    assert all("by API token " in t and "API token API token" not in t for t in texts), texts
    entries.first.get_by_text("Before and after").click()
    row = entries.first.locator("tr[data-field=name]")
    assert row.locator("td").nth(1).inner_text() == "Gold"
    assert row.locator("td").nth(2).inner_text() == "Gold tier"
    dashboard.screenshot("action-log")
    app.get_by_label("Action", exact=True).select_option("CREATED")
    entries.nth(1).wait_for(state="detached", timeout=TIMEOUT)
    assert [e.get_attribute("data-action") for e in entries.all()] == ["CREATED"]
    assert dashboard.real_errors() == []


def test_reports_open_on_a_channel_that_has_segments(dashboard, segments):
    ChannelFactory(name="Archive", slug="archive")  # listed first (by name), no segments
    app = dashboard.open("reports")
    app.get_by_label("Role of Gold").wait_for(timeout=TIMEOUT)
    assert app.get_by_label("Channel").input_value() == gid(
        "Channel", pk_of_channel("default-channel"))
    assert dashboard.real_errors() == []


def pk_of_channel(slug):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM channel_channel WHERE slug = %s", [slug])
        return cursor.fetchone()[0]
