"""Reports and exports through the API: exports to CSV and XLSX (read back: exactly the grid's
rows and columns, non-ASCII names, formula-looking values that never run), download links
(permission, expiry), segment reports, size history, overlap and the action log."""

import csv
import datetime as dt
import io
import json

import openpyxl
import pytest
from django.utils import timezone
from openpyxl.utils.escape import unescape

from saleor_segments.membership.members import matched_customers
from saleor_segments.models import CustomerMembership, MembershipLog
from saleor_segments.reports.export import HEADERS, delete_expired, export_dir
from saleor_segments.reports.models import AdminEvent, ExportFile
from saleor_segments.services.segments import create_segment

from ..factories import AddressFactory, CustomerTypeFactory, UserFactory
from ..helpers import EMAIL_SHOP
from .conftest import ADMIN_TOKEN, DISCOUNTS_TOKEN, NO_PERMISSION_TOKEN, USERS_TOKEN, gid

pytestmark = pytest.mark.django_db

EXPORT = """mutation($segment: ID!, $format: SegmentExportFormatEnum!,
                     $filter: SegmentMemberFilterInput, $sortBy: SegmentMemberSortingInput) {
  segmentMembersExport(segment: $segment, fileFormat: $format, filter: $filter,
                       sortBy: $sortBy) {
    errors { field code message } exportFile { id status }
  }
}"""
FILE = """query($id: ID!) { segmentExportFile(id: $id) {
  id kind fileFormat status progress rowsWritten rowsTotal message url requestedBy expiresAt } }"""
REPORT_EXPORT = """mutation($report: SegmentReportInput!, $format: SegmentExportFormatEnum!) {
  segmentReportExport(report: $report, fileFormat: $format) {
    errors { field code message } exportFile { id status }
  }
}"""
REPORT = """query($report: SegmentReportInput!, $first: Int, $sortBy: SegmentMemberSortingInput) {
  segmentReport(report: $report) { count
    members(first: $first, sortBy: $sortBy) { totalCount edges { node { customerId email } } } }
}"""

PEOPLE = [  # first name, last name, email, country
    ("Zoë", "Łukasiewicz", "zoe@shop.com", "PL"),
    ("=1+1", "+SUM(A1:A2)", "formula@shop.com", "US"),
    ("@cmd", "-2+3", "at@shop.com", "DE"),
    ("\tTab", "\rReturn", "tab@shop.com", "US"),
    ("東京", "Ünïcödé", "tokyo@shop.com", "JP"),
    ("Plain", "Person", "plain@else.com", "US"),  # not a member
]


@pytest.fixture(autouse=True)
def exports_folder(settings, tmp_path):
    settings.SEGMENTS_EXPORT_DIR = str(tmp_path / "exports")
    return tmp_path / "exports"


@pytest.fixture
def shop(channel):
    vip = CustomerTypeFactory(name="VIP \"gold\", =HYPERLINK()")
    users = []
    for i, (first, last, email, country) in enumerate(PEOPLE):
        address = AddressFactory(country=country, postal_code=f"0{i}-1", phone=f"+4930123{i}",
                                 country_area="=cmd|' /C calc'!A0" if i == 1 else "")
        users.append(UserFactory(first_name=first, last_name=last, email=email,
                                 default_billing_address_id=address["id"],
                                 customer_type_id=vip["id"] if i < 2 else None))
    segment = create_segment(name="Shop", channel_id=channel["id"], conditions=EMAIL_SHOP)
    from saleor_segments.membership.refresh import refresh_segment

    refresh_segment(segment)
    return segment, users


def run_export(api, capture, query, variables):
    with capture(execute=True):
        data = api.admin(query, variables)
    payload = next(iter(data.values()))
    assert payload["errors"] == []
    return api.admin(FILE, {"id": payload["exportFile"]["id"]})["segmentExportFile"]


def download(client, url, token=ADMIN_TOKEN):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get(url, **headers)


def grid(segment, sort="id", descending=False):
    return matched_customers(segment.pk, first=500, sort=sort, descending=descending).rows


def as_text(value):
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return str(value)


def excel_text(value):
    """A cell's text as Excel shows it: XLSX escapes control characters as _xHHHH_ (and a
    literal _xHHHH_ as _x005F_xHHHH_), which openpyxl leaves escaped in inline strings."""
    return unescape(value) if isinstance(value, str) else value


def test_csv_export_holds_the_grid_exactly(api, client, shop,
                                           django_capture_on_commit_callbacks):
    segment, users = shop
    export = run_export(api, django_capture_on_commit_callbacks, EXPORT, {
        "segment": gid("Segment", segment.pk), "format": "CSV",
        "sortBy": {"field": "EMAIL", "direction": "DESC"}})
    assert (export["status"], export["progress"], export["rowsWritten"], export["rowsTotal"],
            export["kind"], export["fileFormat"]) == ("SUCCESS", 100.0, 5, 5, "MEMBERS", "CSV")
    assert export["requestedBy"].startswith("API token ")
    response = download(client, export["url"])
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == list(HEADERS)
    expected = [[as_text(v) for v in row.values()] for row in grid(segment, "email", True)]
    assert rows[1:] == expected and len(expected) == 5
    # nothing a spreadsheet would run: every formula-looking value is quoted
    cells = [cell for row in rows[1:] for cell in row]
    assert "'=1+1" in cells and "'+SUM(A1:A2)" in cells and "'-2+3" in cells
    assert "'@cmd" in cells and "'\tTab" in cells and "'\rReturn" in cells
    assert "'=cmd|' /C calc'!A0" in cells and "'+49301231" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "Zoë" in cells and "東京" in cells and 'VIP "gold", =HYPERLINK()' in cells


def test_xlsx_export_holds_the_grid_exactly_as_text(api, client, shop,
                                                    django_capture_on_commit_callbacks):
    segment, users = shop
    export = run_export(api, django_capture_on_commit_callbacks, EXPORT, {
        "segment": gid("Segment", segment.pk), "format": "XLSX",
        "filter": {"countries": ["US", "PL", "DE", "JP"]}})
    assert export["status"] == "SUCCESS"
    response = download(client, export["url"])
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book["Customers"]
    rows = [[excel_text(c.value) for c in row] for row in sheet.iter_rows()]
    assert rows[0] == list(HEADERS)
    def excel(value):  # an empty text cell is no cell; Excel keeps times to the millisecond
        if isinstance(value, dt.datetime):
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
            return value.replace(microsecond=round(value.microsecond, -3) % 1_000_000)
        return None if value == "" else value

    expected = [[excel(v) for v in row.values()] for row in grid(segment)]
    got = [[excel(v) for v in row] for row in rows[1:]]
    assert got == expected and len(expected) == 5
    kinds = {c.value: c.data_type for row in sheet.iter_rows(min_row=2) for c in row
             if isinstance(c.value, str)}
    assert kinds["=1+1"] == "s" and kinds["=cmd|' /C calc'!A0"] == "s"  # text, never formulas
    assert "f" not in {c.data_type for row in sheet.iter_rows() for c in row}


def test_xlsx_keeps_text_that_looks_like_markup_escapes_or_formulas(tmp_path):
    """Text XlsxWriter could take for something else stays the exact text of a text cell:
    rich-string XML (which would otherwise go into the sheet unescaped), Excel's own _xHHHH_
    escapes, control characters, formulas, numbers and links."""
    from saleor_segments.reports.export import write_xlsx

    tricky = ["<r><t>x</t></r></is></c><c r=\"Z9\"><f>1+1</f></c><c><is><r></r>",
              "<r></r>", "_x0041_ and _x005F_", "a\x01b\x1fc", "=HYPERLINK(\"x\")", "007",
              "1e5", "https://evil.example", "mailto:a@b.c", " spaced ", "東京"]
    when = 46000.5  # an Excel serial number (UTC)
    records = [(n, text, "Last", None, "", None, None, None, None, when, when)
               for n, text in enumerate(tricky, start=1)]
    path = tmp_path / "tricky.xlsx"
    write_xlsx(path, iter(records))
    sheet = openpyxl.load_workbook(path)["Customers"]
    rows = [tuple(excel_text(v) for v in row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADERS
    assert [r[1] for r in rows[1:]] == tricky
    assert [r[0] for r in rows[1:]] == list(range(1, len(tricky) + 1))
    assert {r[9] for r in rows[1:]} == {dt.datetime(2025, 12, 9, 12)}
    assert all(r[3] is None and r[4] is None for r in rows[1:])
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value is not None]
    assert {c.data_type for c in cells if isinstance(c.value, str)} == {"s"}
    assert "f" not in {c.data_type for c in cells} and sheet.max_column == len(HEADERS)


def test_export_follows_the_filter(api, client, shop, django_capture_on_commit_callbacks):
    segment, _users = shop
    export = run_export(api, django_capture_on_commit_callbacks, EXPORT, {
        "segment": gid("Segment", segment.pk), "format": "CSV",
        "filter": {"search": "o", "countries": ["pl", "jp"]}})
    text = b"".join(download(client, export["url"]).streaming_content).decode("utf-8-sig")
    emails = [row[3] for row in csv.reader(io.StringIO(text))][1:]
    assert emails == ["zoe@shop.com", "tokyo@shop.com"]


def test_download_refused_without_permission_wrong_token_and_after_expiry(
        api, client, shop, django_capture_on_commit_callbacks, exports_folder):
    segment, _users = shop
    export = run_export(api, django_capture_on_commit_callbacks, EXPORT, {
        "segment": gid("Segment", segment.pk), "format": "CSV"})
    url = export["url"]
    assert download(client, url).status_code == 200
    for token in (None, NO_PERMISSION_TOKEN, DISCOUNTS_TOKEN, "unknown-token"):
        response = download(client, url, token)
        assert response.status_code == 403, token
        assert b"Zo" not in response.content
    assert download(client, url, USERS_TOKEN).status_code == 200
    assert download(client, url[:-3] + "xyz").status_code == 404  # another token
    assert client.post(url, HTTP_AUTHORIZATION=f"Bearer {ADMIN_TOKEN}").status_code == 405
    record = ExportFile.objects.get()
    ExportFile.objects.filter(pk=record.pk).update(expires_at=timezone.now()
                                                   - dt.timedelta(seconds=1))
    assert download(client, url).status_code == 410
    data = api.admin(FILE, {"id": export["id"]})["segmentExportFile"]
    assert (data["status"], data["url"]) == ("EXPIRED", None)
    path = export_dir() / record.file_name
    assert path.exists()
    assert delete_expired() == 1
    assert not path.exists() and ExportFile.objects.get().status == "expired"
    assert download(client, url).status_code == 410


def test_export_file_is_for_manage_users_only(api, shop, django_capture_on_commit_callbacks):
    segment, _users = shop
    export = run_export(api, django_capture_on_commit_callbacks, EXPORT, {
        "segment": gid("Segment", segment.pk), "format": "CSV"})
    for token in (DISCOUNTS_TOKEN, NO_PERMISSION_TOKEN, None):
        _status, body = api.post(FILE, {"id": export["id"]}, token=token)
        assert body["data"]["segmentExportFile"] is None
        assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


def test_export_of_a_missing_segment_is_an_error_and_records_nothing(api, channel):
    data = api.admin(EXPORT, {"segment": gid("Segment", 999), "format": "CSV"})
    assert data["segmentMembersExport"]["errors"][0]["code"] == "NOT_FOUND"
    assert ExportFile.objects.count() == 0


def member(segment, customer, joined_at=None):
    CustomerMembership.objects.create(segment_id=segment.pk, customer_id=customer,
                                      definition_version=1,
                                      joined_at=joined_at or timezone.now())


@pytest.fixture
def three(channel):
    users = [UserFactory(email=f"u{i}@x.com")["id"] for i in range(6)]
    segments = [create_segment(name=n, channel_id=channel["id"], conditions=EMAIL_SHOP)
                for n in "ABC"]
    for segment, owners in zip(segments, ([0, 1, 2, 3], [1, 2, 3, 4], [3, 5])):
        for i in owners:
            member(segment, users[i])
    return segments, users


def test_report_union_intersection_exclusion(api, three):
    (a, b, c), users = three
    ids = [gid("Segment", s.pk) for s in (a, b, c)]

    def report(**spec):
        data = api.admin(REPORT, {"report": spec, "first": 10,
                                  "sortBy": {"field": "EMAIL", "direction": "ASC"}})
        result = data["segmentReport"]
        assert result["count"] == result["members"]["totalCount"]
        return [e["node"]["email"] for e in result["members"]["edges"]]

    assert report(segments=ids) == ["u0@x.com", "u1@x.com", "u2@x.com", "u3@x.com",
                                    "u4@x.com", "u5@x.com"]
    assert report(segments=ids[:2], mode="ALL") == ["u1@x.com", "u2@x.com", "u3@x.com"]
    assert report(segments=ids[:2], mode="ALL", exclude=ids[2:]) == ["u1@x.com", "u2@x.com"]
    assert report(segments=ids[:1], exclude=ids[1:]) == ["u0@x.com"]


def test_report_refuses_bad_combinations(api, three, channel):
    from ..factories import ChannelFactory

    (a, b, c), _users = three
    other = create_segment(name="Other", channel_id=ChannelFactory()["id"],
                           conditions=EMAIL_SHOP)
    for spec, field in (({"segments": []}, "report.segments"),
                        ({"segments": [gid("Segment", a.pk), gid("Segment", other.pk)]},
                         "report.segments"),
                        ({"segments": [gid("Segment", a.pk)],
                          "exclude": [gid("Segment", a.pk)]}, "report.exclude"),
                        ({"segments": [gid("Segment", 4242)]}, "report.segments")):
        _status, body = api.post(REPORT, {"report": spec}, token=ADMIN_TOKEN)
        assert body["data"]["segmentReport"] is None
        assert body["errors"][0]["extensions"]["errors"][0]["field"] == field, spec


def test_report_export(api, client, three, django_capture_on_commit_callbacks):
    (a, b, c), users = three
    export = run_export(api, django_capture_on_commit_callbacks, REPORT_EXPORT, {
        "report": {"segments": [gid("Segment", a.pk), gid("Segment", b.pk)], "mode": "ALL",
                   "exclude": [gid("Segment", c.pk)]}, "format": "XLSX"})
    assert (export["kind"], export["status"], export["rowsWritten"]) == ("REPORT", "SUCCESS", 2)
    book = openpyxl.load_workbook(io.BytesIO(b"".join(
        download(client, export["url"]).streaming_content)))
    assert [r[3] for r in book.active.iter_rows(min_row=2, values_only=True)] == [
        "u1@x.com", "u2@x.com"]


HISTORY = """query($segment: ID!, $period: SegmentDateRangeInput!,
                   $interval: SegmentHistoryIntervalEnum) {
  segmentSizeHistory(segment: $segment, period: $period, interval: $interval) {
    start end members joined left } }"""


def test_size_history_and_overlap(api, three):
    (a, b, c), users = three
    day = dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC)
    for offset, customer, action in ((-3, 1, "joined"), (0, 2, "joined"), (0, 3, "joined"),
                                     (1, 2, "left"), (3, 4, "joined"), (3, 1, "left")):
        MembershipLog.objects.create(segment_id=a.pk, customer_id=customer, action=action,
                                     at=day + dt.timedelta(days=offset), reason="refresh",
                                     definition_version=1)
    data = api.admin(HISTORY, {"segment": gid("Segment", a.pk),
                               "period": {"gte": "2026-05-01", "lte": "2026-05-04"}})
    points = [(p["members"], p["joined"], p["left"]) for p in data["segmentSizeHistory"]]
    assert points == [(3, 2, 0), (2, 0, 1), (2, 0, 0), (2, 1, 1)]
    assert data["segmentSizeHistory"][0]["start"] == "2026-05-01T00:00:00+00:00"
    weekly = api.admin(HISTORY, {"segment": gid("Segment", a.pk), "interval": "WEEK",
                                 "period": {"gte": "2026-04-27", "lte": "2026-05-04"}})
    assert [p["members"] for p in weekly["segmentSizeHistory"]] == [2, 2]
    _status, body = api.post(HISTORY, {"segment": gid("Segment", a.pk), "period": {
        "gte": "2026-05-04", "lte": "2026-05-01"}}, token=ADMIN_TOKEN)
    assert body["errors"][0]["extensions"]["errors"][0]["field"] == "period"

    overlap = api.admin("""query($s: [ID!]!) { segmentOverlap(segments: $s) {
        segmentId otherSegmentId shared percent otherPercent } }""",
                        {"s": [gid("Segment", s.pk) for s in (a, b, c)]})["segmentOverlap"]
    cells = {(o["segmentId"], o["otherSegmentId"]): (o["shared"], o["percent"],
                                                     o["otherPercent"]) for o in overlap}
    ga, gb, gc = (gid("Segment", s.pk) for s in (a, b, c))
    assert len(cells) == 9
    assert cells[ga, ga] == (4, 100.0, 100.0)
    assert cells[ga, gb] == (3, 75.0, 75.0)
    assert cells[ga, gc] == (1, 25.0, 50.0)
    assert cells[gc, ga] == (1, 50.0, 25.0)
    _status, body = api.post("""query($s: [ID!]!) { segmentOverlap(segments: $s) { shared } }""",
                             {"s": [ga] * 21}, token=ADMIN_TOKEN)
    assert body["errors"][0]["extensions"]["errors"][0]["field"] == "segments"


EVENTS = """query($type: SegmentAdminObjectEnum, $id: ID) {
  segmentAdminEvents(objectType: $type, objectId: $id, first: 50) { totalCount
    edges { node { objectType objectId objectName action before after actorKind actorName
                   userId appId at } } } }"""


def test_action_log_records_who_changed_what_and_survives_deletion(
        api, channel, django_capture_on_commit_callbacks, store_objects):
    created = api.admin("""mutation($c: ID!, $t: JSONString!) { segmentCreate(input: {
        name: "Logged", channel: $c, conditions: $t}) { segment { id } errors { message } } }""",
                        {"c": gid("Channel", channel["id"]), "t": json.dumps(EMAIL_SHOP)})
    seg = created["segmentCreate"]["segment"]["id"]
    api.admin("""mutation($id: ID!) { segmentUpdate(id: $id, input: {name: "Renamed",
        status: INACTIVE}) { errors { message } } }""", {"id": seg})
    api.admin("""mutation($id: ID!) { segmentUpdate(id: $id, input: {status: ACTIVE}) {
        errors { message } } }""", {"id": seg})
    with django_capture_on_commit_callbacks(execute=True):
        api.admin("""mutation($id: ID!) { segmentRefresh(id: $id) { errors { message } } }""",
                  {"id": seg})
    api.admin("""mutation($p: ID!, $s: [ID!]!) { promotionSegmentsSet(promotion: $p,
        segments: $s) { errors { message } } }""", {"p": store_objects["Promotion"],
                                                    "s": [seg]})
    api.admin("""mutation($id: ID!) { contentBlockDelete(id: $id) { errors { message } } }""",
              {"id": store_objects["ContentBlock"]})
    # a failed change is not logged
    failed = api.admin("""mutation($id: ID!) { segmentUpdate(id: $id, input: {name: " "}) {
        errors { message } } }""", {"id": seg})
    assert failed["segmentUpdate"]["errors"]
    api.admin("""mutation($id: ID!) { segmentDelete(id: $id) { errors { message } } }""",
              {"id": seg})

    data = api.admin(EVENTS, {"type": "SEGMENT", "id": seg})["segmentAdminEvents"]
    events = [e["node"] for e in data["edges"]][::-1]  # oldest first
    for e in events:
        e["before"], e["after"] = (json.loads(e[k]) if e[k] else None
                                   for k in ("before", "after"))
    assert [e["action"] for e in events] == ["CREATED", "DEACTIVATED", "UPDATED", "ACTIVATED",
                                             "REFRESHED", "DELETED"]
    assert all(e["actorKind"] == "TOKEN" and e["actorName"].startswith("API token ")
               and e["userId"] is None for e in events)
    renamed = events[2]
    assert (renamed["before"]["name"], renamed["after"]["name"]) == ("Logged", "Renamed")
    assert renamed["before"]["conditions"] == renamed["after"]["conditions"]
    assert (events[1]["before"], events[1]["after"]) == ({"status": "active"},
                                                         {"status": "inactive"})
    assert events[-1]["before"]["name"] == "Renamed" and events[-1]["after"] is None
    everything = api.admin(EVENTS, {})["segmentAdminEvents"]
    kinds = {(e["node"]["objectType"], e["node"]["action"]) for e in everything["edges"]}
    assert ("DISCOUNT_LIMIT", "CREATED") in kinds and ("CONTENT_BLOCK", "DELETED") in kinds
    limit = next(e["node"] for e in everything["edges"]
                 if e["node"]["objectType"] == "DISCOUNT_LIMIT")
    assert limit["objectId"].startswith("promotion:") and json.loads(limit["after"])["segments"]
    assert AdminEvent.objects.filter(action="deleted", object_type="segment").exists()


def test_action_log_names_the_staff_user_or_app(channel):
    """Inside Saleor the requestor carries the user's or app's id and name."""
    from saleor_segments.graphql.context import Permission, Requestor, SegmentsContext
    from saleor_segments.graphql.execute import execute

    create = """mutation($c: ID!, $t: JSONString!) { segmentCreate(input: {name: "S",
        channel: $c, conditions: $t}) { errors { message } } }"""
    variables = {"c": gid("Channel", channel["id"]), "t": json.dumps(EMAIL_SHOP)}
    for requestor in (Requestor(kind="staff", permissions=frozenset({Permission.MANAGE_USERS}),
                                actor_id="7", actor_name="admin@example.com"),
                      Requestor(kind="app", permissions=frozenset({Permission.MANAGE_USERS}),
                                actor_id="3", actor_name="Segments app")):
        execute({"query": create, "variables": variables}, SegmentsContext(requestor=requestor))
    result, _ = execute({"query": EVENTS, "variables": {}}, SegmentsContext(
        requestor=Requestor(kind="staff", permissions=frozenset({Permission.MANAGE_USERS}))))
    nodes = [e["node"] for e in result["data"]["segmentAdminEvents"]["edges"]]
    assert [(n["actorKind"], n["actorName"], n["userId"], n["appId"]) for n in nodes] == [
        ("APP", "Segments app", None, gid("App", 3)),
        ("STAFF", "admin@example.com", gid("User", 7), None)]
