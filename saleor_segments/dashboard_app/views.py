"""Serving the Dashboard app: the built bundle (``static/``, committed, shipped in the package),
index.html for every other route below ``<plugin>/app/`` (the app routes by its own path),
and the manifest at ``<plugin>/app/manifest``.

Inside Saleor the plugin's ``webhook()`` calls :func:`serve` for paths under ``app/``;
standalone, ``saleor_segments.standalone.urls`` does."""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path

from django.http import FileResponse, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.views.decorators.http import require_safe

from .manifest import build_manifest

STATIC_DIR = Path(__file__).resolve().parent / "static"
HASHED = re.compile(r"-[A-Za-z0-9_-]{8}\.[a-z0-9]+$")  # Vite's content hash: name-<hash>.ext
CONTENT_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
                 ".woff2": "font/woff2", ".html": "text/html; charset=utf-8",
                 ".svg": "image/svg+xml", ".png": "image/png", ".json": "application/json"}
IMMUTABLE = "public, max-age=31536000, immutable"


def app_root(path: str, subpath: str) -> str:
    """The app's own URL path (``.../app/``) for the request path of ``subpath`` below it."""
    if subpath and path.endswith(subpath):
        path = path[:-len(subpath)]
    return path.rstrip("/") + "/"


def _index_template() -> str:
    # Read on every request (it is tiny): a bundle rebuilt in place (make app, a package upgrade)
    # renames its hashed chunks, and a cached index would name chunks that are gone (blank page).
    return (STATIC_DIR / "index.html").read_text(encoding="utf-8")


def index_html(base: str) -> str:
    """index.html with a <base> so relative asset URLs resolve from any route depth."""
    base = base.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return _index_template().replace("<head>", f'<head>\n    <base href="{base}">', 1)


def _asset(subpath: str) -> Path | None:
    candidate = (STATIC_DIR / subpath).resolve()
    if STATIC_DIR not in candidate.parents or not candidate.is_file():
        return None
    return candidate


def serve(request, subpath: str = "") -> HttpResponse:
    """The response for ``<plugin>/app/<subpath>`` (``subpath`` without a leading slash)."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    subpath = subpath.lstrip("/")
    if subpath == "manifest":
        root = app_root(request.path, subpath)
        response = JsonResponse(build_manifest(request.build_absolute_uri(root.rstrip("/"))))
        response["Access-Control-Allow-Origin"] = "*"  # the Dashboard fetches it from the browser
        response["Cache-Control"] = "no-cache"
        return response
    if subpath.startswith("assets/") or "." in subpath.rsplit("/", 1)[-1]:
        asset = _asset(subpath)
        if asset is None:
            return HttpResponse("Not found", status=404, content_type="text/plain")
        response = FileResponse(asset.open("rb"), content_type=CONTENT_TYPES.get(
            asset.suffix) or mimetypes.guess_type(asset.name)[0] or "application/octet-stream")
        response["Cache-Control"] = IMMUTABLE if HASHED.search(asset.name) else "no-cache"
        response["X-Content-Type-Options"] = "nosniff"
        return response
    if not (STATIC_DIR / "index.html").is_file():
        return HttpResponse("The Dashboard app is not built: run `make app`.", status=503,
                            content_type="text/plain")
    response = HttpResponse(index_html(app_root(request.path, subpath)), content_type=CONTENT_TYPES[".html"])
    response["Cache-Control"] = "no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def standalone_view(request, subpath: str = ""):
    """Django view for the standalone URLconf."""
    return serve(request, subpath)
