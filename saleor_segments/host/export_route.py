"""Export downloads inside Saleor: ``/plugins/global/saleor_segments/exports/<id>/<token>``,
authenticated as the plugin's GraphQL API (Saleor's staff JWT, app token, or a third-party
token issued for this plugin's App)."""

from django.http import JsonResponse

from ..graphql.reports.download import serve_path
from .auth import third_party_refusal
from .graphql_route import requestor_of


def handle(request, path: str):
    refusal = third_party_refusal(request)
    if refusal is not None:
        return JsonResponse({"errors": [{"message": refusal}]}, status=403)
    return serve_path(request, requestor_of(request), path)
