"""The plugin serves the app: bundle files with their content types and cache headers,
index.html (with a <base>) for every route, the manifest, nothing outside the bundle."""

import re

import pytest

from saleor_segments.dashboard_app.views import STATIC_DIR

APP = "/plugins/global/saleor_segments/app/"


def asset(suffix):
    return next(p.name for p in (STATIC_DIR / "assets").iterdir() if p.name.endswith(suffix))


@pytest.mark.parametrize("path", ["", "customer-widget", "voucher-segments", "segments/5/edit"])
def test_every_route_gets_index_html_with_its_base(client, path):
    response = client.get(APP + path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert f'<base href="{APP}">' in body
    assert re.search(r'src="\./assets/index-[\w-]+\.js"', body)


def test_app_url_without_trailing_slash(client):
    response = client.get(APP.rstrip("/"))
    assert response.status_code == 200 and f'<base href="{APP}">' in response.content.decode()


@pytest.mark.parametrize("suffix,content_type", [(".js", "text/javascript; charset=utf-8"),
                                                 (".css", "text/css; charset=utf-8"),
                                                 (".woff2", "font/woff2")])
def test_hashed_assets_are_cached_for_good(client, suffix, content_type):
    response = client.get(APP + "assets/" + asset(suffix))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert b"".join(response.streaming_content)


@pytest.mark.parametrize("path", ["assets/missing-12345678.js", "assets/../../views.py",
                                  "../views.py", "assets/%2e%2e/%2e%2e/views.py"])
def test_nothing_outside_the_bundle(client, path):
    response = client.get(APP + path)
    assert response.status_code in (404, 200)
    assert b"build_manifest" not in (b"".join(response.streaming_content)
                                     if response.streaming else response.content)
    if path.startswith("assets/"):
        assert response.status_code == 404


def test_manifest(client):
    response = client.get(APP + "manifest", HTTP_HOST="shop.example.com")
    assert response.status_code == 200
    manifest = response.json()
    assert manifest["appUrl"] == "http://shop.example.com/plugins/global/saleor_segments/app"
    assert set(manifest["permissions"]) == {"MANAGE_USERS", "MANAGE_DISCOUNTS"}
    assert {e["mount"] for e in manifest["extensions"]} >= {"NAVIGATION_CUSTOMERS",
                                                           "CUSTOMER_DETAILS_WIDGETS"}


def test_only_reads(client):
    assert client.post(APP).status_code == 405


def test_index_is_read_again_after_a_rebuild(client, tmp_path, monkeypatch):
    """A rebuilt bundle (new hashed chunks, old ones gone) is served at once by a running
    server: index.html is not cached in memory (a stale index names deleted chunks)."""
    from saleor_segments.dashboard_app import views

    (tmp_path / "index.html").write_text('<html><head></head><script src="./assets/index-AAAAAAAA.js">')
    monkeypatch.setattr(views, "STATIC_DIR", tmp_path)
    assert "index-AAAAAAAA.js" in client.get(APP).content.decode()
    (tmp_path / "index.html").write_text('<html><head></head><script src="./assets/index-BBBBBBBB.js">')
    body = client.get(APP + "segments/1").content.decode()
    assert "index-BBBBBBBB.js" in body and "index-AAAAAAAA.js" not in body
