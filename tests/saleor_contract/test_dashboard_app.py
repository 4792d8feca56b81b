"""The Dashboard app inside real Saleor: ``segments_install_app`` creates an App and extensions
Saleor accepts (its own validation, its own GraphQL as the Dashboard reads it), idempotently, and
uninstalls; tokens Saleor issues for the app reach the plugin API with the user's permissions
narrowed as Saleor narrows them, tokens for another app are refused; the manifest and the pages
are served under /plugins/global/saleor_segments/app/."""

import io
import json

import graphene
import pytest
from django.core.management import CommandError, call_command

pytestmark = [pytest.mark.saleor_contract, pytest.mark.django_db]
PLUGIN_PATH = "saleor_segments.host.plugin.CustomerSegmentsPlugin"
BASE = "http://shop.example.com"
APP_URL = BASE + "/plugins/global/saleor_segments/app"
API = "/plugins/global/saleor_segments/graphql/"
SEGMENTS = "{ segments(first: 5) { totalCount } }"
SET_VOUCHER = """mutation($v: ID!) { voucherSegmentsSet(voucher: $v, segments: []) {
    restricted errors { code } } }"""
EXTENSIONS_QUERY = """query($mounts: [String!]) {
  appExtensions(first: 20, filter: {mountName: $mounts}) { edges { node {
    id identifier label url mountName targetName settings accessToken
    permissions { code } app { id appUrl } } } } }"""
APP_TOKEN_QUERY = "query($id: ID!) { app(id: $id) { id accessToken } }"


@pytest.fixture(autouse=True)
def plugin(settings):
    settings.PLUGINS = [PLUGIN_PATH]


def install(*args, **options) -> str:
    out = io.StringIO()
    call_command("segments_install_app", *args, stdout=out, **options)
    return out.getvalue()


def codes(permissions) -> set[str]:
    from saleor.permission.enums import get_permission_names

    return set(get_permission_names(permissions.all()))


def ours():
    from saleor.app.models import App

    return App.objects.not_removed().get(identifier="saleor.segments")


def graphql(api_client, query, variables=None):
    from saleor.graphql.tests.utils import get_graphql_content

    return get_graphql_content(api_client.post_graphql(query, variables or {}))["data"]


def post(client, query, variables=None, token=None, header="HTTP_AUTHORIZATION_BEARER"):
    headers = {}
    if token:
        headers = ({header: token} if header == "HTTP_AUTHORIZATION_BEARER"
                   else {header: f"Bearer {token}"})
    response = client.post(API, data=json.dumps({"query": query, "variables": variables or {}}),
                           content_type="application/json", **headers)
    return response.status_code, response.json()


def test_install_creates_a_third_party_app_with_its_extensions():
    out = install(url=BASE + "/")
    assert "Installed the app 'Customer segments'" in out
    app = ours()
    assert (app.type, app.is_active, app.is_installed) == ("thirdparty", True, True)
    assert app.app_url == APP_URL
    assert app.manifest_url == APP_URL + "/manifest"
    assert codes(app.permissions) == {"MANAGE_USERS", "MANAGE_DISCOUNTS"}
    extensions = {e.identifier: (e.mount, e.target, e.url, codes(e.permissions))
                  for e in app.extensions.all()}
    both = {"MANAGE_USERS", "MANAGE_DISCOUNTS"}
    assert extensions == {  # stored as Saleor's own install stores them (lower case)
        "segments": ("navigation_customers", "app_page", "/", {"MANAGE_USERS"}),
        "customer-widget": ("customer_details_widgets", "widget", "/customer-widget",
                            {"MANAGE_USERS"}),
        "discount-segments": ("discount_details_more_actions", "popup",
                              APP_URL + "/discount-segments", both),
        "voucher-segments": ("voucher_details_more_actions", "popup",
                             APP_URL + "/voucher-segments", both)}


def test_saleor_graphql_shows_the_extensions_as_the_dashboard_reads_them(
        staff_api_client, staff_user, permission_manage_users, permission_manage_discounts):
    install(url=BASE)
    staff_user.user_permissions.add(permission_manage_users, permission_manage_discounts)
    data = graphql(staff_api_client, EXTENSIONS_QUERY, {"mounts": [
        "NAVIGATION_CUSTOMERS", "CUSTOMER_DETAILS_WIDGETS", "DISCOUNT_DETAILS_MORE_ACTIONS",
        "VOUCHER_DETAILS_MORE_ACTIONS"]})
    nodes = {e["node"]["identifier"]: e["node"] for e in data["appExtensions"]["edges"]}
    assert {k: (n["mountName"], n["targetName"]) for k, n in nodes.items()} == {
        "segments": ("NAVIGATION_CUSTOMERS", "APP_PAGE"),
        "customer-widget": ("CUSTOMER_DETAILS_WIDGETS", "WIDGET"),
        "discount-segments": ("DISCOUNT_DETAILS_MORE_ACTIONS", "POPUP"),
        "voucher-segments": ("VOUCHER_DETAILS_MORE_ACTIONS", "POPUP")}
    # the urls the Dashboard loads: `${appUrl}${url}` for relative ones, Saleor's for popups
    loaded = {k: n["url"] if n["url"].startswith("http") else n["app"]["appUrl"] + n["url"]
              for k, n in nodes.items()}
    assert loaded == {"segments": APP_URL + "/", "customer-widget": APP_URL + "/customer-widget",
                      "discount-segments": APP_URL + "/discount-segments",
                      "voucher-segments": APP_URL + "/voucher-segments"}
    assert nodes["customer-widget"]["settings"] == {"widgetTarget": {"method": "GET"}}
    assert all(n["accessToken"] for n in nodes.values())


def test_the_manifest_passes_saleors_own_validation_and_a_bad_one_is_refused(monkeypatch):
    from saleor.app.manifest_validations import clean_manifest_data
    from saleor.app.models import App

    from saleor_segments.dashboard_app import manifest

    clean_manifest_data(manifest.build_manifest(APP_URL), raise_for_saleor_version=True)

    def with_manage_apps(app_url):
        data = manifest.build_manifest(app_url)
        data["extensions"][0]["permissions"] = ["MANAGE_APPS"]
        return data

    monkeypatch.setattr("saleor_segments.host.app_install.build_manifest", with_manage_apps)
    with pytest.raises(CommandError, match="Saleor refused the app's manifest"):
        install(url=BASE)
    assert not App.objects.exists()


def test_reinstall_updates_in_place_and_uninstall_removes(staff_api_client, staff_user,
                                                          permission_manage_users):
    from saleor.app.models import App, AppExtension

    install(url=BASE)
    app = ours()
    extension_ids = set(app.extensions.values_list("pk", flat=True))
    app.app_url = "http://stale.example.com/x"
    app.save()
    out = install(url="https://shop2.example.com")
    assert "Updated the app" in out
    assert App.objects.count() == 1 and AppExtension.objects.count() == 4
    assert ours().pk == app.pk
    assert set(ours().extensions.values_list("pk", flat=True)) == extension_ids
    assert ours().app_url == "https://shop2.example.com/plugins/global/saleor_segments/app"

    out = install(uninstall=True)
    assert "Uninstalled the app" in out
    app.refresh_from_db()
    assert app.removed_at is not None and not app.is_active
    staff_user.user_permissions.add(permission_manage_users)
    data = graphql(staff_api_client, EXTENSIONS_QUERY, {"mounts": ["NAVIGATION_CUSTOMERS"]})
    assert data["appExtensions"]["edges"] == []  # gone from the Dashboard
    assert "not installed" in install(uninstall=True)
    assert "Installed the app" in install(url=BASE)  # a fresh install after removal
    assert App.objects.not_removed().count() == 1


def test_install_refuses_a_url_without_scheme():
    with pytest.raises(CommandError, match="must start with http"):
        install(url="shop.example.com")


# --- tokens -----------------------------------------------------------------------------------

def extension_tokens(staff_api_client):
    """Tokens as the Dashboard gets them: AppExtension.accessToken and App.accessToken,
    fetched by the logged-in staff user through Saleor's GraphQL."""
    data = graphql(staff_api_client, EXTENSIONS_QUERY, {"mounts": [
        "NAVIGATION_CUSTOMERS", "CUSTOMER_DETAILS_WIDGETS", "VOUCHER_DETAILS_MORE_ACTIONS"]})
    nodes = {e["node"]["identifier"]: e["node"] for e in data["appExtensions"]["edges"]}
    app_id = nodes["segments"]["app"]["id"]
    page = graphql(staff_api_client, APP_TOKEN_QUERY, {"id": app_id})["app"]["accessToken"]
    return page, {k: n["accessToken"] for k, n in nodes.items()}


def claims(token):
    from saleor.core.jwt import jwt_decode

    return jwt_decode(token)


def test_app_and_extension_tokens_reach_the_api_with_narrowed_permissions(
        client, staff_api_client, staff_user, permission_manage_users,
        permission_manage_discounts, permission_manage_orders, voucher):
    install(url=BASE)
    staff_user.user_permissions.add(permission_manage_users, permission_manage_discounts,
                                    permission_manage_orders)
    page, tokens = extension_tokens(staff_api_client)
    widget, popup = tokens["customer-widget"], tokens["voucher-segments"]
    app_gid = graphene.Node.to_global_id("App", ours().pk)
    assert claims(page)["app"] == app_gid and claims(page)["type"] == "thirdparty"
    assert set(claims(page)["permissions"]) == {"MANAGE_USERS", "MANAGE_DISCOUNTS"}
    assert claims(widget)["permissions"] == ["MANAGE_USERS"]  # the widget's own permissions

    for token in (page, widget, popup):
        for header in ("HTTP_AUTHORIZATION_BEARER", "HTTP_AUTHORIZATION"):
            status, body = post(client, SEGMENTS, token=token, header=header)
            assert (status, body) == (200, {"data": {"segments": {"totalCount": 0}}})
    voucher_id = graphene.Node.to_global_id("Voucher", voucher.pk)
    status, body = post(client, SET_VOUCHER, {"v": voucher_id}, token=popup)
    assert body["data"]["voucherSegmentsSet"]["errors"] == [], body
    # the widget's token carries MANAGE_USERS only, though the user has MANAGE_DISCOUNTS
    status, body = post(client, SET_VOUCHER, {"v": voucher_id}, token=widget)
    assert body["data"]["voucherSegmentsSet"] is None
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


def test_a_user_without_manage_users_gets_no_usable_token(
        client, staff_api_client, staff_user, permission_manage_discounts):
    install(url=BASE)
    staff_user.user_permissions.add(permission_manage_discounts)
    page, tokens = extension_tokens(staff_api_client)
    assert tokens["customer-widget"] is None  # Saleor withholds it: the Dashboard hides it
    assert tokens["voucher-segments"] is None
    assert claims(page)["permissions"] == ["MANAGE_DISCOUNTS"]
    status, body = post(client, SEGMENTS, token=page)
    assert body["data"]["segments"] is None
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


def test_tokens_for_another_app_are_refused(client, staff_user, permission_manage_users,
                                            external_app, staff_api_client):
    from saleor.app.models import AppExtension
    from saleor.core.jwt import create_access_token_for_app, create_access_token_for_app_extension

    staff_user.user_permissions.add(permission_manage_users)
    external_app.permissions.add(permission_manage_users)
    foreign = create_access_token_for_app(external_app, staff_user)
    status, body = post(client, SEGMENTS, token=foreign)
    assert status == 403 and "not installed" in body["errors"][0]["message"]  # nothing ours yet

    install(url=BASE)
    for header in ("HTTP_AUTHORIZATION_BEARER", "HTTP_AUTHORIZATION"):
        status, body = post(client, SEGMENTS, token=foreign, header=header)
        assert status == 403
        assert body["errors"][0]["message"] == "This token was issued for another app."
    # an extension of another app, claimed for ours, is refused too
    other = AppExtension.objects.create(app=external_app, label="x", url="/x",
                                        mount="customer_details_widgets", target="widget")
    other.permissions.add(permission_manage_users)
    token = create_access_token_for_app_extension(other, other.permissions.all(), staff_user,
                                                  ours())
    status, body = post(client, SEGMENTS, token=token)
    assert status == 403 and "another app's extension" in body["errors"][0]["message"]
    # a deactivated, then an uninstalled app's token stops working
    page, _tokens = extension_tokens(staff_api_client)
    assert post(client, SEGMENTS, token=page)[0] == 200
    ours().__class__.objects.filter(identifier="saleor.segments").update(is_active=False)
    status, body = post(client, SEGMENTS, token=page)
    assert status == 403 and "deactivated" in body["errors"][0]["message"]
    install(url=BASE)  # re-running the install activates it again
    assert post(client, SEGMENTS, token=page)[0] == 200
    install(uninstall=True)
    status, body = post(client, SEGMENTS, token=page)
    assert status == 403


def test_staff_jwts_and_app_tokens_keep_working(client, api_client, staff_user,
                                                 permission_manage_users, app):
    from saleor.app.models import AppToken

    from .test_graphql_api import saleor_token

    install(url=BASE)
    staff_user.user_permissions.add(permission_manage_users)
    token = saleor_token(api_client, staff_user.email, "password")
    assert post(client, SEGMENTS, token=token, header="HTTP_AUTHORIZATION") == (
        200, {"data": {"segments": {"totalCount": 0}}})
    app.permissions.add(permission_manage_users)
    _, raw = AppToken.objects.create(app=app)
    assert post(client, SEGMENTS, token=raw, header="HTTP_AUTHORIZATION") == (
        200, {"data": {"segments": {"totalCount": 0}}})


# --- what the plugin serves -------------------------------------------------------------------

def test_the_manifest_and_the_pages_are_served_under_the_plugin(client, settings):
    from saleor.app.manifest_validations import clean_manifest_data

    settings.ALLOWED_HOSTS = ["shop.example.com"]
    response = client.get("/plugins/global/saleor_segments/app/manifest",
                          HTTP_HOST="shop.example.com")
    assert response.status_code == 200
    served = response.json()
    assert served["appUrl"] == APP_URL
    assert served["id"] == "saleor.segments"
    clean_manifest_data(served, raise_for_saleor_version=True)  # what the Dashboard install does
    for route in ("", "customer-widget", "voucher-segments", "discount-segments"):
        page = client.get(f"/plugins/global/saleor_segments/app/{route}",
                          HTTP_HOST="shop.example.com")
        assert page.status_code == 200, route
        assert b"<html" in page.content.lower(), route
