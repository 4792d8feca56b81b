"""Who is calling: a Saleor customer token (JWT) on the request, as Saleor's API reads it."""

from saleor.core.auth import get_token_from_request
from saleor.core.jwt import get_user_from_access_payload, jwt_decode_with_exception_handler


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
