"""What the content mutations share: input decoding and the services' errors as API errors."""

from django.db import connection

from ....conditions import ConditionValidationError
from ...context import Permission
from ...core.errors import InputError
from ...core.ids import decode
from ...core.mutations import BaseMutation
from ...segments.mutations import channel_id, segment_pks

REQUIRES = "Requires MANAGE_USERS."
API_NAMES = {"ends_at": "endsAt", "starts_at": "startsAt", "applies_to": "appliesTo",
             "page_id": "page"}


class ContentMutation(BaseMutation):
    permissions = (Permission.MANAGE_USERS,)

    class Meta:
        abstract = True


def get_object(model, type_name: str, value, label: str, field: str = "id"):
    found = model.objects.filter(pk=decode(value, type_name, field)).first()
    if found is None:
        raise InputError.one(field, "not_found", f"The {label} does not exist.")
    return found


def api_errors(exc: ConditionValidationError) -> InputError:
    """A service's errors (model field names, tree paths after them) with the API's names."""
    errors = []
    for e in exc.errors:
        head, dot, rest = e.path.partition(".")
        errors.append({"field": API_NAMES.get(head, head) + dot + rest, "code": e.code.value,
                       "message": e.message})
    return InputError(errors)


def segments_of_input(data) -> list[int] | None:
    return None if data.get("segments") is None else segment_pks(data["segments"])


def page_of_input(data) -> int | None:
    """The Saleor page a block shows (InputError when it does not exist)."""
    if data.get("page") is None:
        return None
    page_id = decode(data["page"], "Page", "page")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM page_page WHERE id = %s", [page_id])
        if cursor.fetchone() is None:
            raise InputError.one("page", "not_found", "The page does not exist.")
    return page_id


def channel_of_input(data) -> int | None:
    return None if data.get("channel") is None else channel_id(data["channel"])
