"""Serving an export's file: to users and apps with MANAGE_USERS, by the link the API gives
(``.../exports/<id>/<token>``), until the export expires. Hosts authenticate the request
(Saleor's tokens inside Saleor, the API tokens standalone) and call ``serve``."""

import hmac
import mimetypes

from django.http import FileResponse, JsonResponse

from ...reports.export import file_path
from ...reports.models import ExportFile
from ..context import Permission, Requestor

PATH_PREFIX = "exports/"


def link_path(export: ExportFile) -> str:
    """The link's path under the plugin's URL."""
    return f"{PATH_PREFIX}{export.pk}/{export.token}"


def _refuse(message: str, status: int) -> JsonResponse:
    return JsonResponse({"errors": [{"message": message}]}, status=status)


def serve(request, requestor: Requestor, export_id, token: str):
    if request.method not in ("GET", "HEAD"):
        return _refuse("Download exports with GET.", 405)
    if not requestor.has(Permission.MANAGE_USERS):
        return _refuse("You need the MANAGE_USERS permission.", 403)
    export = ExportFile.objects.filter(pk=export_id).first() if str(export_id).isdigit() \
        else None
    if export is None or not hmac.compare_digest(export.token.encode(), token.encode()):
        return _refuse("No such export.", 404)
    if export.expired:
        return _refuse("This export has expired.", 410)
    path = file_path(export)
    if export.status != ExportFile.Status.SUCCESS or path is None or not path.exists():
        return _refuse("The export's file is not ready.", 404)
    response = FileResponse(open(path, "rb"), as_attachment=True, filename=path.name,
                            content_type=mimetypes.guess_type(path.name)[0]
                            or "application/octet-stream")
    response["Cache-Control"] = "private, no-store"
    return response


def serve_path(request, requestor: Requestor, path: str):
    """``exports/<id>/<token>`` (the plugin route's path)."""
    parts = path.strip("/").split("/")
    if len(parts) != 3 or parts[0] + "/" != PATH_PREFIX:
        return _refuse("No such export.", 404)
    return serve(request, requestor, parts[1], parts[2])
