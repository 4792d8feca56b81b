"""Admin mutations on segments (MANAGE_USERS)."""

import graphene

from ... import models
from ...conditions import ApplyTo, ConditionValidationError
from ...services.conditions_text import conditions_from_text
from ...services.segments import create_segment, delete_segment, update_segment
from ...worker.tasks import QueueUnavailable, request_refresh
from ..context import Permission
from ..core.errors import InputError, SegmentError, check_lengths
from ..core.ids import decode, saleor_row
from ..core.mutations import BaseMutation
from ..core.scalars import JSONString
from .enums import SegmentApplyToEnum, SegmentStatusEnum
from .types import Segment, SegmentRefreshRun

MAX_BULK = 100
MAX_PARTS = 64


class SegmentInput(graphene.InputObjectType):
    name = graphene.String()
    description = graphene.String()
    status = graphene.Field(SegmentStatusEnum)
    conditions = JSONString(description="The condition tree (JSON, see README).")
    conditions_text = graphene.String(
        description="The condition tree in the segment query language (README), instead of "
                    "`conditions`; errors give its line and column.")


class SegmentCreateInput(SegmentInput):
    name = graphene.String(required=True)
    channel = graphene.ID(required=True, description="The channel's ID (fixed once saved).")
    apply_to = graphene.Field(SegmentApplyToEnum, description="Who the segment applies to "
                                                              "(fixed once saved).")
    conditions = JSONString(description="The condition tree (JSON, see README); this or "
                                        "`conditionsText` is required.")


class SegmentMutation(BaseMutation):
    permissions = (Permission.MANAGE_USERS,)
    error_type = SegmentError
    errors = graphene.List(graphene.NonNull(SegmentError), required=True)

    class Meta:
        abstract = True


def channel_id(value, field="channel") -> int:
    pk = decode(value, "Channel", field)
    saleor_row("channel_channel", pk, field, f"Channel {value!r}")
    return pk


def get_segment(value, field="id") -> models.Segment:
    segment = models.Segment.objects.filter(pk=decode(value, "Segment", field)).first()
    if segment is None:
        raise InputError.one(field, "not_found", f"Segment {value!r} does not exist.")
    return segment


def segment_pks(values, field="segments", limit: int = 50) -> list[int]:
    """Primary keys of existing segments named by global IDs (InputError otherwise)."""
    if len(values) > limit:
        raise InputError.one(field, "invalid", f"At most {limit} segments.")
    ids = [decode(v, "Segment", field) for v in values]
    found = set(models.Segment.objects.filter(pk__in=ids).values_list("pk", flat=True))
    missing = [v for v, pk in zip(values, ids) if pk not in found]
    if missing:
        raise InputError.one(field, "not_found", f"Segments do not exist: {missing}.")
    return ids


def tree_input(input, apply_to: str, segment_id: int | None = None, required: bool = True):
    """The tree of ``conditions`` or of ``conditionsText`` (one of them; None: neither and
    not required)."""
    text, tree = input.get("conditions_text"), input.get("conditions")
    if text is not None and tree is not None:
        raise InputError.one("conditionsText", "invalid",
                             "Give conditions or conditionsText, not both.")
    if text is not None:
        return conditions_errors(lambda: conditions_from_text(
            text, ApplyTo(apply_to), segment_id), field="conditionsText")
    if tree is None and required:
        raise InputError.one("conditions", "required", "Give conditions or conditionsText.")
    return tree


def conditions_errors(call, field="conditions"):
    try:
        return call()
    except ConditionValidationError as exc:
        raise InputError.from_conditions(exc, field) from None


class SegmentCreate(SegmentMutation):
    segment = graphene.Field(Segment)

    class Arguments:
        input = SegmentCreateInput(required=True)

    class Meta:
        description = "Create a segment. Requires MANAGE_USERS."

    @classmethod
    def perform(cls, info, input):
        check_lengths(models.Segment, {"name": input["name"]})
        apply_to = input.get("apply_to") or "customers"
        conditions = tree_input(input, apply_to)
        segment = conditions_errors(lambda: create_segment(
            name=input["name"], channel_id=channel_id(input["channel"], "channel"),
            conditions=conditions, description=input.get("description") or "",
            apply_to=apply_to,
            status=input.get("status") or "active"))
        return cls(segment=segment, errors=[])


class SegmentUpdate(SegmentMutation):
    segment = graphene.Field(Segment)

    class Arguments:
        id = graphene.ID(required=True)
        input = SegmentInput(required=True)

    class Meta:
        description = ("Change a segment's name, description, status or conditions (new "
                       "conditions bump its definition version). Requires MANAGE_USERS.")

    @classmethod
    def perform(cls, info, id, input):
        segment = get_segment(id)
        input = {**input, "conditions": tree_input(input, segment.apply_to, segment.pk,
                                                   required=False)}
        input.pop("conditions_text", None)
        changes = {k: v for k, v in input.items() if v is not None}
        check_lengths(models.Segment, {k: v for k, v in changes.items() if k == "name"})
        segment = conditions_errors(lambda: update_segment(segment, **changes))
        return cls(segment=segment, errors=[])


class SegmentDelete(SegmentMutation):
    segment = graphene.Field(Segment, description="The deleted segment, as it was.")

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        description = "Delete a segment; its members leave it (logged). Requires MANAGE_USERS."

    @classmethod
    def perform(cls, info, id):
        segment = get_segment(id)
        pk = segment.pk
        delete_segment(segment)
        segment.pk = pk  # keep the ID readable in the payload
        return cls(segment=segment, errors=[])


class SegmentBulkDelete(SegmentMutation):
    count = graphene.Int(description="How many segments were deleted.")

    class Arguments:
        ids = graphene.List(graphene.NonNull(graphene.ID), required=True)

    class Meta:
        description = "Delete several segments (all or none). Requires MANAGE_USERS."

    @classmethod
    def perform(cls, info, ids):
        if not 1 <= len(ids) <= MAX_BULK:
            raise InputError.one("ids", "invalid", f"Give 1 to {MAX_BULK} IDs.")
        segments = {s.pk: s for s in (get_segment(value, "ids") for value in ids)}
        for segment in segments.values():
            delete_segment(segment)  # (clears segment.pk)
        return cls(count=len(segments), errors=[])


class SegmentRefresh(SegmentMutation):
    refresh = graphene.Field(SegmentRefreshRun, description="Follow it with segmentRefreshRun(id).")
    segment = graphene.Field(Segment)

    class Arguments:
        id = graphene.ID(required=True)
        parts = graphene.Int(description="Split the refresh into this many customer-id ranges "
                                         "run by several workers (default 1).")

    class Meta:
        description = ("Recompute a segment's members now, as a Celery task; returns the "
                       "refresh to follow. Requires MANAGE_USERS.")

    @classmethod
    def perform(cls, info, id, parts=None):
        segment = get_segment(id)
        parts = 1 if parts is None else parts
        if not 1 <= parts <= MAX_PARTS:
            raise InputError.one("parts", "invalid", f"parts must be between 1 and {MAX_PARTS}.")
        if not segment.is_active:
            raise InputError.one("id", "invalid", "An inactive segment is not refreshed.")
        return cls(refresh=request_refresh(segment, parts), segment=segment, errors=[])

    @classmethod
    def mutate(cls, root, info, **data):
        try:
            return super().mutate(root, info, **data)
        except QueueUnavailable as exc:  # raised once the run is committed, and failed
            return cls(refresh=exc.run, segment=exc.run.segment, errors=[SegmentError(
                field=None, code="graphql_error", message=str(exc))])


class SegmentMutations(graphene.ObjectType):
    segment_create = SegmentCreate.Field()
    segment_update = SegmentUpdate.Field()
    segment_delete = SegmentDelete.Field()
    segment_bulk_delete = SegmentBulkDelete.Field()
    segment_refresh = SegmentRefresh.Field()
