"""The Dashboard app's manifest (no Saleor needed) and the install command in standalone mode."""

import pytest
from django.core.management import CommandError, call_command

from saleor_segments.dashboard_app.manifest import app_url_for, build_manifest

APP_URL = "https://shop.example.com/plugins/global/saleor_segments/app"


def loaded_url(manifest, extension):
    """The URL the Dashboard loads for an extension: `${appUrl}${url}` for relative urls
    (saleor-dashboard src/extensions/hooks/useExtensions.ts), absolute ones as they are."""
    url = extension["url"]
    return url if url.startswith("http") else manifest["appUrl"] + url


def test_app_url_for_a_base_url():
    assert app_url_for("https://shop.example.com/") == APP_URL
    assert app_url_for("https://shop.example.com") == APP_URL


def test_manifest_declares_the_app_its_permissions_and_extensions():
    manifest = build_manifest(APP_URL + "/")
    assert manifest["id"] == "saleor.segments" and manifest["appUrl"] == APP_URL
    assert manifest["permissions"] == ["MANAGE_USERS", "MANAGE_DISCOUNTS"]
    extensions = {e["mount"]: e for e in manifest["extensions"]}
    assert {m: (e["target"], loaded_url(manifest, e)) for m, e in extensions.items()} == {
        "NAVIGATION_CUSTOMERS": ("APP_PAGE", APP_URL + "/"),
        "CUSTOMER_DETAILS_WIDGETS": ("WIDGET", APP_URL + "/customer-widget"),
        "DISCOUNT_DETAILS_MORE_ACTIONS": ("POPUP", APP_URL + "/discount-segments"),
        "VOUCHER_DETAILS_MORE_ACTIONS": ("POPUP", APP_URL + "/voucher-segments")}
    assert extensions["NAVIGATION_CUSTOMERS"]["url"].startswith("/")  # APP_PAGE must be relative
    for extension in manifest["extensions"]:
        assert set(extension["permissions"]) <= set(manifest["permissions"])
        assert extension["identifier"]
        assert len(loaded_url(manifest, extension)) <= 200  # Saleor's URLField limit
    assert len({e["identifier"] for e in manifest["extensions"]}) == 4


def test_install_command_needs_saleor():
    with pytest.raises(CommandError, match="segments_install_app needs Saleor"):
        call_command("segments_install_app", url="https://shop.example.com")
