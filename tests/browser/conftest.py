"""Browser tests of the Dashboard app: Debian's chromium driven by Playwright, the standalone
server on 127.0.0.1 (Django's live server thread over the test database), and a host page on
another origin that embeds the app and speaks AppBridge as the Saleor Dashboard does."""

import base64
import functools
import http.server
import json
import os
import shutil
import threading
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("SEGMENTS_CHROMIUM", "/usr/bin/chromium")
HERE = Path(__file__).resolve().parent
SCREENSHOTS = HERE.parents[1] / "docs" / "screenshots"
PLUGIN = "/plugins/global/saleor_segments/"

try:
    import playwright.sync_api  # noqa: F401
    _missing = None if Path(CHROMIUM).exists() or shutil.which("chromium") else (
        f"chromium not found at {CHROMIUM} (apt-get install chromium)")
except ImportError:
    _missing = "the playwright package is missing (pip install playwright)"


def pytest_collection_modifyitems(config, items):
    if _missing:
        skip = pytest.mark.skip(reason=f"browser tests skipped: {_missing}")
        for item in items:
            if "tests/browser" in str(item.fspath):
                item.add_marker(skip)


def app_token(permissions=("MANAGE_USERS", "MANAGE_DISCOUNTS"), email="staff@example.com"):
    """A token shaped like the one the Dashboard hands (a thirdparty JWT: AppBridge decodes its
    claims); standalone, SEGMENTS_API_TOKENS decides what it may do."""
    def part(data):
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    claims = {"email": email, "type": "thirdparty", "app": "QXBwOjE=", "is_staff": True,
              "permissions": list(permissions), "user_permissions": list(permissions)}
    return f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJl"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def host_server():
    """The host page on its own origin (127.0.0.1, another port), as the Dashboard is."""
    handler = functools.partial(_Quiet, directory=str(HERE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class _QuietWSGI:
    @staticmethod
    def handler():
        from django.core.servers.basehttp import WSGIRequestHandler

        class Handler(WSGIRequestHandler):
            def log_message(self, *args):
                pass
        return Handler


@pytest.fixture
def app_server(transactional_db, settings):
    """The standalone server (segments API, the app, the Saleor-shaped picker API) on
    127.0.0.1, in a thread of this process over the test database."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer

    server = ThreadedWSGIServer(("127.0.0.1", 0), _QuietWSGI.handler(), allow_reuse_address=False)
    server.set_app(WSGIHandler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on this thread; the tests' own database calls
    # (factories, assertions) stay synchronous and are safe here
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists()
                                    else shutil.which("chromium"),
                                    args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        yield browser
        browser.close()


class Dashboard:
    """A page of the host with the app inside; ``app`` is the iframe's frame locator."""

    def __init__(self, browser, host, server, token, tmp):
        self.browser, self.host, self.server, self.token, self.tmp = browser, host, server, token, tmp
        self.context = browser.new_context(viewport={"width": 1280, "height": 860})
        self.page = self.context.new_page()
        self.errors = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, route="", theme="light", **mount):
        from urllib.parse import urlencode

        query = {"domain": "127.0.0.1", "saleorApiUrl": f"{self.server}{PLUGIN}standalone/saleor-api/",
                 "id": "QXBwOjE=", "theme": theme, **mount}
        app = f"{self.server}{PLUGIN}app/{route}?{urlencode(query)}"
        self.page.goto(f"{self.host}/host.html?{urlencode({'app': app, 'token': self.token})}")
        self.app = self.page.frame_locator("#app")
        return self.app

    def frame(self):
        return next(f for f in self.page.frames if f.name == "" and f != self.page.main_frame)

    def actions(self, kind=None):
        actions = self.page.evaluate("window.__actions")
        return [a for a in actions if kind is None or a["type"] == kind]

    def first_paint_ms(self):
        """First contentful paint of the app's document, measured inside the iframe."""
        return self.page.frames[1].evaluate(
            "() => { const e = performance.getEntriesByName('first-contentful-paint')[0];"
            " return e ? Math.round(e.startTime) : null; }")

    def screenshot(self, name):
        """docs/screenshots/<name>.png when SEGMENTS_SCREENSHOTS=1 (README's pictures), else a
        throwaway file (a test run leaves the repository unchanged)."""
        folder = SCREENSHOTS if os.environ.get("SEGMENTS_SCREENSHOTS") == "1" else self.tmp
        folder.mkdir(parents=True, exist_ok=True)
        self.page.wait_for_timeout(300)  # let fonts and the last render settle
        self.page.screenshot(path=str(folder / f"{name}.png"), full_page=False)

    def close(self):
        self.context.close()


    def api(self, query, variables=None):
        """The plugin's GraphQL API of the running server, with the app's token."""
        from urllib.request import Request, urlopen

        request = Request(f"{self.server}{PLUGIN}graphql/", json.dumps(
            {"query": query, "variables": variables or {}}).encode(),
            {"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"})
        with urlopen(request, timeout=30) as response:
            body = json.loads(response.read())
        assert "errors" not in body, body
        return body["data"]

    def real_errors(self):
        return [e for e in self.errors if "favicon" not in e and "404 (File not found)" not in e]


FIRST_PAINT: dict[str, int] = {}


@pytest.fixture
def dashboard(browser, host_server, app_server, settings, tmp_path):
    token = app_token()
    settings.SEGMENTS_API_TOKENS = {token: ["MANAGE_USERS", "MANAGE_DISCOUNTS"]}
    board = Dashboard(browser, host_server, app_server, token, tmp_path)
    yield board
    board.close()


def pytest_terminal_summary(terminalreporter):
    if _missing:
        terminalreporter.write_line(f"SKIPPED browser tests: {_missing}")
    if FIRST_PAINT:
        terminalreporter.write_line("Dashboard app, first contentful paint in chromium (ms): " + ", ".join(
            f"{page} {ms}" for page, ms in FIRST_PAINT.items()))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing browser test leaves a screenshot of what the merchant saw (in its tmp dir)."""
    outcome = yield
    report = outcome.get_result()
    board = item.funcargs.get("dashboard") if hasattr(item, "funcargs") else None
    if report.when == "call" and report.failed and board is not None:
        path = board.tmp / "failure.png"
        try:
            board.page.screenshot(path=str(path))
            report.sections.append(("browser", f"screenshot: {path}; console: {board.errors}"))
        except Exception:  # noqa: BLE001 - the report matters more than the picture
            pass


@pytest.fixture
def shop(transactional_db):
    """Ann, Beth, Carl and Dora Doe of a default channel (gender in metadata, an address in
    Los Angeles, San Francisco, CA or NY)."""
    from django.core.cache import cache

    from saleor_segments.standalone.rows import insert, truncate_store

    from ..factories import AddressFactory, ChannelFactory, UserFactory

    truncate_store()  # Saleor's standalone tables are not Django models: no flush empties them
    cache.clear()  # cached discount restrictions of an earlier test's database
    channel = ChannelFactory(name="Default channel", slug="default-channel")
    people = {}
    for name, gender, city, area in [("Ann", "female", "Los Angeles", "CA"),
                                     ("Beth", "female", "San Francisco", "CA"),
                                     ("Carl", "male", "Los Angeles", "CA"),
                                     ("Dora", "female", "Los Angeles", "NY")]:
        address = AddressFactory(first_name=name, city=city, country_area=area)
        user = UserFactory(first_name=name, last_name="Doe", email=f"{name.lower()}@example.com",
                           metadata={"gender": gender}, default_billing_address_id=address["id"])
        insert("account_user_addresses", user_id=user["id"], address_id=address["id"])
        people[name] = user
    yield channel, people
    truncate_store()
