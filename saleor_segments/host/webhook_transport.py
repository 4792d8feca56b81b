"""Membership event deliveries inside Saleor: POSTed through Saleor's outgoing HTTP client (its
IP filter, timeouts and no-redirect rule apply), and to an App signed as Saleor signs its own
webhooks to Apps (a detached JWS in Saleor-Signature, checked against Saleor's JWKS)."""

from django.urls import reverse
from requests import RequestException
from requests_hardened.ip_filter import InvalidIPAddress
from saleor.app.headers import AppHeaders
from saleor.app.models import App
from saleor.core import http_client
from saleor.core.utils import build_absolute_uri, get_domain
from saleor.webhook.transport import signature_for_payload

from ..webhooks import signing, transport


class SaleorHost:
    def post(self, url: str, body: bytes, headers: dict[str, str],
             timeout: float) -> transport.Response:
        try:
            response = http_client.HTTPClient.send_request(
                "POST", url, data=body, headers=headers, timeout=timeout,
                allow_redirects=False)
        except InvalidIPAddress:
            return transport.failed(None, "Invalid IP address")  # as Saleor records it
        except RequestException as exc:
            if exc.response is not None:
                return transport.failed(exc.response.status_code, exc.response.text)
            return transport.failed(None, f"{type(exc).__name__}: {exc}")
        if 200 <= response.status_code < 300:
            return transport.Response(response.status_code)
        return transport.failed(response.status_code, response.text)

    def app_headers(self, app_id: int, body: bytes) -> dict[str, str]:
        if self.app_name(app_id) is None:
            raise transport.AppUnavailable(f"The Saleor App {app_id} is gone or inactive.")
        domain = get_domain()
        return {AppHeaders.SIGNATURE: signature_for_payload(body, None),  # Saleor's JWS
                AppHeaders.DOMAIN: domain, AppHeaders.EVENT_TYPE: signing.EVENT,
                AppHeaders.API_URL: build_absolute_uri(reverse("api"), domain)}

    def app_name(self, app_id: int) -> str | None:
        return (App.objects.filter(pk=app_id, is_active=True, removed_at__isnull=True)
                .values_list("name", flat=True).first())


def install() -> None:
    transport.set_host(SaleorHost())
