"""The plugin's GraphQL API inside Saleor: ``/plugins/global/saleor_segments/graphql/``.

Authenticated exactly like Saleor's API: ``Authorization: Bearer`` with a staff or customer JWT
issued by Saleor (``tokenCreate``) or an app token; permissions are Saleor's (MANAGE_USERS,
MANAGE_DISCOUNTS), checked with Saleor's own rules. A third-party JWT (the token the Dashboard
hands an app, also sent as ``Authorization-Bearer``) is taken only when issued for this plugin's
installed App, with the user's permissions narrowed to its ``permissions`` claim as Saleor
narrows them; one issued for another app is refused."""

from django.http import JsonResponse
from saleor.account.models import User
from saleor.graphql.app.dataloaders.utils import promise_app
from saleor.graphql.context import get_context_value
from saleor.permission.enums import AccountPermissions, DiscountPermissions
from saleor.permission.utils import permission_required

from ..graphql.context import ANONYMOUS, Permission, Requestor, SegmentsContext
from ..graphql.execute import RequestError, execute, parse_body, read_body
from .auth import third_party_refusal

SALEOR_PERMISSIONS = {Permission.MANAGE_USERS: AccountPermissions.MANAGE_USERS,
                      Permission.MANAGE_DISCOUNTS: DiscountPermissions.MANAGE_DISCOUNTS}


def requestor_of(request) -> Requestor:
    """The app (app token) or the user (JWT) behind the request, with their permissions."""
    context = get_context_value(request)
    app = promise_app(context).get()  # Saleor sets request.app only on its own API path
    who = app if app is not None and app.is_active else None
    if who is None:
        user = context.user
        who = user if isinstance(user, User) and user.is_active else None
    if who is None:
        return ANONYMOUS
    permissions = frozenset(p for p, saleor_perm in SALEOR_PERMISSIONS.items()
                            if permission_required(who, [saleor_perm]))
    if isinstance(who, User):
        return Requestor(kind="staff" if who.is_staff else "customer", customer_id=who.pk,
                         permissions=permissions, actor_id=str(who.pk), actor_name=who.email)
    return Requestor(kind="app", permissions=permissions, actor_id=str(who.pk),
                     actor_name=who.name)


def handle(request, real_time: bool) -> JsonResponse:
    if request.method != "POST":
        return JsonResponse({"errors": [{"message": "Send queries with POST."}]}, status=405)
    try:
        data = parse_body(read_body(request))  # 413 before Django's own HTML 400
    except RequestError as exc:
        return JsonResponse({"errors": [{"message": str(exc)}]}, status=exc.status)
    refusal = third_party_refusal(request)
    if refusal is not None:
        return JsonResponse({"errors": [{"message": refusal, "extensions": {
            "exception": {"code": "PermissionDenied"}}}]}, status=403)
    context = SegmentsContext(requestor=requestor_of(request), request=request,
                              real_time=real_time)
    result, status = execute(data, context)
    return JsonResponse(result, status=status)
