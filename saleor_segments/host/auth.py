"""Who is calling: a Saleor JWT on the request, as Saleor's API reads it; and whether a
third-party token (the one the Dashboard hands an app) was issued for this plugin's App."""

import graphene
from saleor.core.auth import get_token_from_request
from saleor.core.jwt import (
    APP_KEY_FIELD,
    JWT_THIRDPARTY_ACCESS_TYPE,
    get_user_from_access_payload,
    jwt_decode_with_exception_handler,
)

APP_EXTENSION_FIELD = "app_extension"  # the claim extension tokens carry (saleor.core.jwt)


def customer_id_from_request(request) -> int | None:
    token = get_token_from_request(request)
    payload = jwt_decode_with_exception_handler(token) if token else None
    if not payload:
        return None
    try:
        user = get_user_from_access_payload(payload, request)
    except Exception:  # noqa: BLE001  (an invalid token is simply no customer)
        return None
    return user.pk if user and user.is_active else None


def third_party_refusal(request) -> str | None:
    """Why a third-party JWT on the request must be refused, or None (no such token, or one
    issued for the installed segments App). Saleor narrows the user's permissions to the
    token's ``permissions`` claim; the ``app`` claim says which app it was issued for, and the
    plugin only takes tokens issued for its own App (and for that App's extensions)."""
    token = get_token_from_request(request)
    payload = jwt_decode_with_exception_handler(token) if token else None
    if not payload or payload.get("type") != JWT_THIRDPARTY_ACCESS_TYPE:
        return None
    from saleor.app.models import AppExtension

    from .app_install import installed_app_id

    app_id = installed_app_id()
    if app_id is None:
        return ("This token was issued for an app, and the segments app is not installed "
                "(or is deactivated).")
    if payload.get(APP_KEY_FIELD) != graphene.Node.to_global_id("App", app_id):
        return "This token was issued for another app."
    extension = payload.get(APP_EXTENSION_FIELD)
    if extension is not None:
        try:
            kind, pk = graphene.Node.from_global_id(extension)
            ours = kind == "AppExtension" and AppExtension.objects.filter(
                pk=int(pk), app_id=app_id).exists()
        except (ValueError, TypeError, UnicodeDecodeError):
            ours = False
        if not ours:
            return "This token was issued for another app's extension."
    return None
