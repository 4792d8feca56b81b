"""Creating, changing and deleting segments: validation first, then one transaction."""

from django.db import transaction

from ..conditions import (
    ApplyTo,
    ConditionError,
    ConditionErrorCode,
    ConditionValidationError,
    ValidationContext,
    parse_tree,
    tree_json,
    walk,
)
from ..conditions.segments import SegmentMember
from ..conditions.sql import sql, value
from ..membership.events import segment_withdrawn
from ..membership.refresh import lock_segments
from ..membership.tables import CUSTOMERS, VISITORS, end_memberships
from ..models import CustomerField, Segment


def validation_context(apply_to: ApplyTo, segment_id: int | None = None) -> ValidationContext:
    """A context that checks declared fields and referenced segments against the database."""
    declared = {(f.source, f.key): f.value_type for f in CustomerField.objects.all()}

    def dependencies(pk, seen=None):
        seen = set() if seen is None else seen
        segment = Segment.objects.filter(pk=pk).first()
        if segment is None or pk in seen:
            return seen
        seen.add(pk)
        for node in walk(parse_tree(segment.conditions, ValidationContext(
                apply_to=ApplyTo(segment.apply_to), declared_fields=None))):
            if isinstance(node, SegmentMember):
                for dep in node.segment_ids():
                    seen.add(dep)
                    dependencies(dep, seen)
        return seen

    return ValidationContext(
        apply_to=apply_to, declared_fields=declared,
        segment_exists=lambda pk: Segment.objects.filter(pk=pk).exists(),
        segment_dependencies=dependencies, segment_id=segment_id)


def validate_conditions(data, apply_to: ApplyTo, segment_id: int | None = None) -> dict:
    """Normalised JSON of a valid tree, or ConditionValidationError with every problem."""
    return tree_json(parse_tree(data, validation_context(apply_to, segment_id)))


def create_segment(*, name: str, channel_id: int, conditions: dict,
                   apply_to: str = ApplyTo.CUSTOMERS.value, description: str = "",
                   status: str = str(Segment.Status.ACTIVE)) -> Segment:
    errors = _check_fields(name=name, apply_to=apply_to, status=status)
    if errors:
        raise ConditionValidationError(errors)
    normalized = validate_conditions(conditions, ApplyTo(apply_to))
    return Segment.objects.create(name=name.strip(), description=description,
                                  channel_id=channel_id, apply_to=apply_to, status=status,
                                  conditions=normalized)


def update_segment(segment: Segment, **changes) -> Segment:
    """Change a segment; new conditions bump its definition version. apply_to is fixed."""
    if "apply_to" in changes and changes["apply_to"] != segment.apply_to:
        raise ConditionValidationError([ConditionError(
            "apply_to", "cannot change after the segment is saved", ConditionErrorCode.INVALID)])
    errors = _check_fields(name=changes.get("name", segment.name),
                           status=changes.get("status", segment.status))
    if errors:
        raise ConditionValidationError(errors)
    with transaction.atomic():
        segment = Segment.objects.select_for_update().get(pk=segment.pk)
        if "conditions" in changes:
            normalized = validate_conditions(changes.pop("conditions"),
                                             ApplyTo(segment.apply_to), segment.pk)
            if normalized != segment.conditions:
                segment.conditions = normalized
                segment.definition_version += 1
        deactivated = changes.get("status", segment.status) != segment.status
        for key in ("name", "description", "status", "channel_id"):
            if key in changes:
                setattr(segment, key, changes[key])
        segment.save()
        if deactivated:
            segment_withdrawn.send(sender=Segment, segment=segment)
    return segment


def delete_segment(segment: Segment, reason: str = "segment_deleted") -> None:
    """Delete a segment and its memberships (logged as left). Customers are never touched.
    Takes the segment's refresh lock: a refresh under way finishes first (its leaves are
    logged once, by it), and one that starts later finds the segment gone."""
    segment_withdrawn.send(sender=Segment, segment=segment)
    with transaction.atomic():
        lock_segments([segment.pk])
        for table in (CUSTOMERS, VISITORS):
            end_memberships(table, sql("m.segment_id = {}", value(segment.pk)), reason)
        segment.delete()


def _check_fields(*, name, status, apply_to=None) -> list[ConditionError]:
    errors = []
    if not isinstance(name, str) or not name.strip():
        errors.append(ConditionError("name", "this field is required",
                                     ConditionErrorCode.REQUIRED))
    if status not in Segment.Status.values:
        errors.append(ConditionError("status", "expected active or inactive"))
    if apply_to is not None and apply_to not in [a.value for a in ApplyTo]:
        errors.append(ConditionError("apply_to", "expected one of " +
                                     ", ".join(a.value for a in ApplyTo)))
    return errors
