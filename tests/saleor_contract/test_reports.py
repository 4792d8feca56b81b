"""Reports and exports inside real Saleor: a staff user (Saleor's JWT, MANAGE_USERS) exports
a segment's customers and a segment report, downloads the files by the plugin's link, reads
the report and the action log; staff without the permission is refused the link."""

import csv
import io
import json

import graphene
import openpyxl
import pytest

from .test_graphql_api import EVERYONE, PLUGIN_PATH, post, saleor_token

pytestmark = [pytest.mark.saleor_contract, pytest.mark.django_db]

CREATE = """mutation($input: SegmentCreateInput!) { segmentCreate(input: $input) {
  segment { id } errors { field code message } } }"""
REFRESH = """mutation($id: ID!) { segmentRefresh(id: $id) { errors { code } } }"""
MEMBERS_EXPORT = """mutation($id: ID!, $format: SegmentExportFormatEnum!) {
  segmentMembersExport(segment: $id, fileFormat: $format) {
    exportFile { id status } errors { field code message } } }"""
REPORT_EXPORT = """mutation($report: SegmentReportInput!, $format: SegmentExportFormatEnum!) {
  segmentReportExport(report: $report, fileFormat: $format) {
    exportFile { id status } errors { field code message } } }"""
FILE = """query($id: ID!) { segmentExportFile(id: $id) { status progress rowsWritten url
  requestedBy } }"""
REPORT = """query($report: SegmentReportInput!) { segmentReport(report: $report) { count
  members(first: 10) { totalCount edges { node { email } } } } }"""
EVENTS = """query { segmentAdminEvents(first: 20) { edges { node { objectType action
  actorKind actorName userId } } } }"""
NOBODY = json.dumps({"conditions": [{"kind": "customer.field", "field": "email",
                                     "operator": "contains", "value": "@nobody.invalid"}]})


def export(client, token, capture, query, variables):
    with capture(execute=True):  # Saleor's Celery runs the task eagerly here
        status, body = post(client, query, variables, token)
    payload = next(iter(body["data"].values()))
    assert status == 200 and payload["errors"] == [], body
    status, body = post(client, FILE, {"id": payload["exportFile"]["id"]}, token)
    return body["data"]["segmentExportFile"]


def download(client, url, token):
    response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
    return response, (b"".join(response.streaming_content) if response.status_code == 200
                      else response.content)


def test_export_and_report_inside_saleor(settings, tmp_path, client, api_client, staff_user,
                                         staff_users, permission_manage_users, customer_user,
                                         channel_USD, django_capture_on_commit_callbacks):
    settings.PLUGINS = [PLUGIN_PATH]
    settings.SEGMENTS_EXPORT_DIR = str(tmp_path)
    staff_user.user_permissions.add(permission_manage_users)
    token = saleor_token(api_client, staff_user.email, "password")
    channel = graphene.Node.to_global_id("Channel", channel_USD.pk)
    ids = []
    for name, conditions in (("Everyone", EVERYONE), ("Nobody", NOBODY)):
        status, body = post(client, CREATE, {"input": {"name": name, "channel": channel,
                                                       "conditions": conditions}}, token)
        ids.append(body["data"]["segmentCreate"]["segment"]["id"])
        with django_capture_on_commit_callbacks(execute=True):
            post(client, REFRESH, {"id": ids[-1]}, token)

    done = export(client, token, django_capture_on_commit_callbacks, MEMBERS_EXPORT,
                  {"id": ids[0], "format": "CSV"})
    assert (done["status"], done["progress"]) == ("SUCCESS", 100.0), done
    assert done["requestedBy"] == staff_user.email
    assert "/plugins/global/saleor_segments/exports/" in done["url"]
    response, content = download(client, done["url"], token)
    assert response.status_code == 200, content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["ID", "First name", "Last name", "Email"]
    assert customer_user.email in [r[3] for r in rows[1:]]
    assert len(rows) - 1 == done["rowsWritten"] >= 1

    other = staff_users[1]  # staff without MANAGE_USERS: the link is refused
    other.set_password("password")
    other.save(update_fields=["password"])
    other_token = saleor_token(api_client, other.email, "password")
    response, content = download(client, done["url"], other_token)
    assert response.status_code == 403 and customer_user.email.encode() not in content
    assert client.get(done["url"]).status_code == 403

    report = {"segments": [ids[0]], "exclude": [ids[1]]}
    status, body = post(client, REPORT, {"report": report}, token)
    result = body["data"]["segmentReport"]
    assert result["count"] == result["members"]["totalCount"] == done["rowsWritten"]
    status, body = post(client, REPORT, {"report": {"segments": ids, "mode": "ALL"}}, token)
    assert body["data"]["segmentReport"]["count"] == 0

    done = export(client, token, django_capture_on_commit_callbacks, REPORT_EXPORT,
                  {"report": report, "format": "XLSX"})
    response, content = download(client, done["url"], token)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert customer_user.email in [r[3] for r in sheet.iter_rows(min_row=2, values_only=True)]

    status, body = post(client, EVENTS, {}, token)
    events = [e["node"] for e in body["data"]["segmentAdminEvents"]["edges"]]
    assert {(e["action"], e["actorKind"], e["actorName"], e["userId"]) for e in events} == {
        (action, "STAFF", staff_user.email, graphene.Node.to_global_id("User", staff_user.pk))
        for action in ("CREATED", "REFRESHED")}
