"""Standalone mode: the schema served by graphene-django's view, with a token for access.

``SEGMENTS_API_TOKENS`` maps bearer tokens to what they may do: ``{"<token>": ["MANAGE_USERS",
"MANAGE_DISCOUNTS"]}`` (staff-like access); without a token, only the storefront API with a
visitor's checkout token works. Inside Saleor the plugin serves the same schema with Saleor's
own authentication instead (``saleor_segments.host.graphql_route``)."""

import hashlib
import hmac

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView

from ..conf import app_settings
from .context import ANONYMOUS, Permission, Requestor, SegmentsContext
from .execute import RequestError, execute, parse_body, parse_query_string, read_body


def requestor_from_token(request) -> Requestor:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return ANONYMOUS
    for known, permissions in app_settings.API_TOKENS.items():
        if hmac.compare_digest(known.encode(), token.encode()):
            fingerprint = hashlib.sha256(known.encode()).hexdigest()[:12]
            return Requestor(kind="app", permissions=frozenset(Permission(p)
                                                               for p in permissions),
                             actor_id=f"token:{fingerprint}",
                             actor_name=f"API token {fingerprint}")
    return ANONYMOUS


class SegmentsGraphQLView(GraphQLView):
    """graphene-django's view for GraphiQL (a browser's GET), every query executing through
    the same limits and error format as the plugin inside Saleor (GET: queries only)."""

    def dispatch(self, request, *args, **kwargs):
        try:
            if request.method == "POST":
                return self.run(request, parse_body(read_body(request)))
            if request.method != "GET":
                return JsonResponse({"errors": [{"message": "Send queries with GET or POST."}]},
                                    status=405)
            if self.graphiql and self.can_display_graphiql(request, {}):
                return super().dispatch(request, *args, **kwargs)  # the GraphiQL page only
            return self.run(request, parse_query_string(request.GET), allow_mutations=False)
        except RequestError as exc:
            return JsonResponse({"errors": [{"message": str(exc)}]}, status=exc.status)

    @staticmethod
    def run(request, data, allow_mutations=True):
        context = SegmentsContext(requestor=requestor_from_token(request), request=request)
        result, status = execute(data, context, allow_mutations=allow_mutations)
        return JsonResponse(result, status=status)


def graphql_view():
    from .schema import schema

    return csrf_exempt(SegmentsGraphQLView.as_view(schema=schema, graphiql=True))


def export_download_view(request, export_id, token):
    """Standalone export downloads (``.../exports/<id>/<token>``), with an API token."""
    from .reports.download import serve

    return serve(request, requestor_from_token(request), export_id, token)
