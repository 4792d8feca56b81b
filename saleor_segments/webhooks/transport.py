"""How deliveries leave: the boundary between the engine and its host.

The engine calls ``get_host().post(...)`` and, for a Saleor App target, ``app_headers``. The
default sends with the standard library (no redirects followed) and knows no Apps; inside
Saleor, ``saleor_segments.host.webhook_transport`` installs Saleor's outgoing HTTP client (its
IP filter applies) and Saleor's JWS signing."""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol

RESPONSE_EXCERPT = 500  # characters of a failed response's body kept in the delivery


@dataclass(frozen=True)
class Response:
    status_code: int | None  # None: no response (refused, timed out, blocked)
    error: str = ""  # why it failed

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class AppUnavailable(Exception):
    """The subscription's App is missing, inactive, or Apps are unknown here."""


class Host(Protocol):
    def post(self, url: str, body: bytes, headers: dict[str, str],
             timeout: float) -> Response: ...

    def app_headers(self, app_id: int, body: bytes) -> dict[str, str]:
        """Headers that sign ``body`` as the host signs its webhooks to Apps."""
        ...

    def app_name(self, app_id: int) -> str | None:
        """An active App's name (None: no such active App)."""
        ...


def failed(status_code: int | None, text: str) -> Response:
    if status_code is None:
        return Response(None, text[:RESPONSE_EXCERPT])
    return Response(status_code, f"HTTP {status_code}: {text[:RESPONSE_EXCERPT]}".rstrip(": "))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # a 3xx is the answer (as Saleor's client: never_redirect)


class StandaloneHost:
    """Plain HTTP(S) with the standard library; Apps need Saleor."""

    _opener = urllib.request.build_opener(_NoRedirects)

    def post(self, url: str, body: bytes, headers: dict[str, str],
             timeout: float) -> Response:
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with self._opener.open(request, timeout=timeout) as response:
                return Response(response.status)
        except urllib.error.HTTPError as exc:
            text = exc.read(RESPONSE_EXCERPT).decode("utf-8", "replace")
            return Response(exc.code) if 200 <= exc.code < 300 else failed(exc.code, text)
        except (OSError, ValueError) as exc:  # refused, timed out, DNS, a malformed URL
            return failed(None, f"{type(exc).__name__}: {exc}")

    def app_headers(self, app_id: int, body: bytes) -> dict[str, str]:
        raise AppUnavailable("Saleor Apps are only known inside Saleor.")

    def app_name(self, app_id: int) -> str | None:
        return None


_host: Host = StandaloneHost()


def set_host(host: Host) -> None:
    global _host
    _host = host


def get_host() -> Host:
    return _host
