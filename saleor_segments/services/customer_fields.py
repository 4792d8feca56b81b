"""Customer fields for segments: Saleor's customer attributes and the metadata keys in use, and
declaring one "for use in customer segments" (its type and label) or withdrawing it.

Validation lives here, not in the API: every check runs before anything is written, and a field
that a segment's conditions use is never withdrawn (or retyped) silently."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction

from ..conditions import ApplyTo, ConditionValidationError, ValidationContext, parse_tree, walk
from ..conditions.customer import DeclaredFieldCondition, metadata_value
from ..models import CustomerField, Segment
from .problems import Problem, ProblemsError

TYPES = tuple(CustomerField.ValueType.values)  # string, number, date, boolean
SOURCES = tuple(CustomerField.Source.values)  # attribute, metadata, private_metadata
METADATA_SOURCES = ("metadata", "private_metadata")
# Saleor attribute input types -> the types its values can be compared as (the condition
# reads AttributeValue.name / numeric / boolean / date_time); files and references: none
ATTRIBUTE_INPUT_TYPES = {
    "dropdown": ("string",), "multiselect": ("string",), "swatch": ("string",),
    "plain-text": ("string",), "rich-text": ("string",), "numeric": ("number",),
    "boolean": ("boolean",), "date": ("date",), "date-time": ("date",),
}
CUSTOMER_ATTRIBUTE_TYPE = "customer-type"  # Saleor's AttributeType for customers' attributes
MAX_KEY = 255
MAX_CHOICES = 100
MAX_METADATA_KEYS = 500  # distinct keys listed per metadata column
SAMPLE_VALUES = 50  # values sampled per metadata key to suggest its type


class CustomerFieldError(ProblemsError):
    """A declaration refused (nothing written)."""


@dataclass
class FieldInfo:
    """One customer attribute or metadata key, declared or not."""

    source: str
    key: str
    name: str
    attribute_id: int | None = None
    input_type: str | None = None
    customers: int = 0
    allowed_types: tuple = TYPES
    suggested_type: str = "string"
    declared: CustomerField | None = None
    values: list = field(default_factory=list)  # attribute value names (choices)
    used_by: list = field(default_factory=list)  # Segment rows

    @property
    def choices(self) -> list | None:
        if self.declared is not None and self.declared.choices:
            return list(self.declared.choices)
        return self.values or None


# --- reading --------------------------------------------------------------------------------

def customer_attributes(slug: str | None = None) -> list[FieldInfo]:
    """Saleor's customer attributes (type customer-type, or assigned to some user), with how
    many customers (not staff) have a value."""
    where, params = ("WHERE a.slug = %s", [slug]) if slug is not None else ("", [])
    with connection.cursor() as cursor:
        cursor.execute(f"""
            SELECT a.id, a.slug, a.name, a.input_type, COUNT(DISTINCT c.id),
                   (ARRAY_AGG(DISTINCT v.name) FILTER (WHERE v.name IS NOT NULL))[1:%s]
            FROM attribute_attribute a
            LEFT JOIN attribute_attributevalue v ON v.attribute_id = a.id
            LEFT JOIN attribute_assigneduserattributevalue u ON u.value_id = v.id
            LEFT JOIN account_user c ON c.id = u.user_id AND NOT c.is_staff
            {where}
            GROUP BY a.id, a.slug, a.name, a.input_type, a.type
            HAVING a.type = %s OR COUNT(u.id) > 0
            ORDER BY a.slug""", [MAX_CHOICES, *params, CUSTOMER_ATTRIBUTE_TYPE])
        rows = cursor.fetchall()
    infos = []
    for pk, key, name, input_type, customers, values in rows:
        allowed = ATTRIBUTE_INPUT_TYPES.get(input_type, ())
        listable = input_type in ("dropdown", "multiselect", "swatch")
        infos.append(FieldInfo(
            source="attribute", key=key, name=name or key, attribute_id=pk,
            input_type=input_type, customers=customers, allowed_types=allowed,
            suggested_type=allowed[0] if allowed else "string",
            values=sorted(values or []) if listable else []))
    return infos


def metadata_keys(source: str) -> list[FieldInfo]:
    """The keys in use in customers' ``source`` (metadata or private_metadata), with how many
    customers have each and a type suggested from a sample of their values. Staff users are
    never segment members: their keys (the Dashboard's own, for one) are not listed."""
    assert source in METADATA_SOURCES
    with connection.cursor() as cursor:
        cursor.execute(f"""
            SELECT k.key, COUNT(*),
                   (ARRAY_AGG(DISTINCT k.value #>> '{{}}'))[1:%s]
            FROM account_user u, jsonb_each(u.{source}) k
            WHERE NOT u.is_staff AND jsonb_typeof(u.{source}) = 'object'
            GROUP BY k.key ORDER BY COUNT(*) DESC, k.key LIMIT %s""",
                       [SAMPLE_VALUES, MAX_METADATA_KEYS])
        rows = cursor.fetchall()
    return [FieldInfo(source=source, key=key, name=key, customers=customers,
                      suggested_type=suggest_type(values or []))
            for key, customers, values in sorted(rows)]


def suggest_type(values: list) -> str:
    """The narrowest type every sampled value reads as (as the conditions will read it)."""
    present = [v for v in values if v not in (None, "")]
    for type_name in ("boolean", "number", "date"):
        if present and all(metadata_value(v, type_name) is not None for v in present):
            return type_name
    return "string"


def segments_using() -> dict[tuple[str, str], list[Segment]]:
    """(source, key) -> the segments whose conditions use that declared field."""
    usage: dict[tuple[str, str], list[Segment]] = defaultdict(list)
    for segment in Segment.objects.order_by("name", "pk"):
        try:
            tree = parse_tree(segment.conditions, ValidationContext(
                apply_to=ApplyTo(segment.apply_to), declared_fields=None))
        except (ConditionValidationError, ValueError):
            continue  # a stored tree that no longer parses uses nothing we can name
        seen = set()
        for node in walk(tree):
            if isinstance(node, DeclaredFieldCondition):
                ref = (node.source, node.key)
                if ref not in seen:
                    seen.add(ref)
                    usage[ref].append(segment)
    return usage


def list_fields(search: str | None = None) -> list[FieldInfo]:
    """Customer attributes, then metadata keys, then private metadata keys, with what is
    declared (declared fields not present in the data are listed too)."""
    infos = customer_attributes() + metadata_keys("metadata") + metadata_keys("private_metadata")
    by_ref = {(i.source, i.key): i for i in infos}
    for declared in CustomerField.objects.order_by("source", "key"):
        info = by_ref.get((declared.source, declared.key))
        if info is None:
            info = by_ref[(declared.source, declared.key)] = FieldInfo(
                source=declared.source, key=declared.key, name=declared.key,
                allowed_types=() if declared.source == "attribute" else TYPES,
                suggested_type=declared.value_type)
            infos.append(info)
        info.declared = declared
    for ref, segments in segments_using().items():
        if ref in by_ref:
            by_ref[ref].used_by = segments
    if search:
        needle = search.strip().lower()
        infos = [i for i in infos if needle in i.key.lower() or needle in i.name.lower()
                 or (i.declared is not None and needle in i.declared.label.lower())]
    order = {s: n for n, s in enumerate(SOURCES)}
    return sorted(infos, key=lambda i: (order[i.source], i.key))


def field_info(source: str, key: str) -> FieldInfo | None:
    return next((i for i in list_fields() if (i.source, i.key) == (source, key)), None)


# --- declaring and withdrawing -------------------------------------------------------------

def _names(segments) -> str:
    """``the segment 'A'`` / ``the segments 'A', 'B'``."""
    return (f"the segment{'s' if len(segments) > 1 else ''} "
            + ", ".join(f"{s.name!r}" for s in segments))


def declare_field(*, source: str, key: str, value_type: str, label: str | None = None,
                  choices: list | None = None) -> CustomerField:
    """Declare (or re-declare) a field for use in customer segments; CustomerFieldError when
    anything is wrong (nothing is saved then)."""
    key = key.strip() if isinstance(key, str) else ""
    problems = _check_input(source, key, value_type, label, choices)
    if not problems and source == "attribute":
        problems = _check_attribute(key, value_type)
    if problems:
        raise CustomerFieldError(problems)
    with transaction.atomic():
        existing = CustomerField.objects.select_for_update().filter(source=source,
                                                                     key=key).first()
        if existing is not None and existing.value_type != value_type:
            used = segments_using().get((source, key), [])
            if used:
                raise CustomerFieldError([Problem(
                    "type", "in_use",
                    f"{key!r} is declared as {existing.value_type} and used by "
                    f"{_names(used)}: change their conditions before changing its type.",
                    tuple(s.pk for s in used))])
        declared = existing or CustomerField(source=source, key=key)
        declared.value_type = value_type
        if label is not None or existing is None:
            declared.label = (label or "").strip() or _default_label(source, key)
        if choices is not None:
            declared.choices = [c.strip() for c in choices]
        declared.save()
    return declared


def withdraw_field(*, source: str, key: str) -> CustomerField:
    """Withdraw a declared field; refused while a segment's conditions use it. Returns the
    withdrawn declaration (no longer saved)."""
    key = key.strip() if isinstance(key, str) else ""
    problems = []
    if source not in SOURCES:
        problems.append(Problem("source", "invalid", f"Expected one of {', '.join(SOURCES)}."))
    if not key:
        problems.append(Problem("key", "required", "This field is required."))
    if problems:
        raise CustomerFieldError(problems)
    with transaction.atomic():
        declared = CustomerField.objects.select_for_update().filter(source=source,
                                                                     key=key).first()
        if declared is None:
            raise CustomerFieldError([Problem(
                "key", "not_found", f"{key!r} ({source}) is not declared for use in customer "
                                    "segments.")])
        used = segments_using().get((source, key), [])
        if used:
            raise CustomerFieldError([Problem(
                "key", "in_use",
                f"{key!r} is used by {_names(used)}: remove it from "
                f"{'their' if len(used) > 1 else 'its'} conditions before withdrawing it.",
                tuple(s.pk for s in used))])
        pk = declared.pk
        declared.delete()
        declared.pk = pk
    return declared


def _default_label(source: str, key: str) -> str:
    if source == "attribute":
        found = customer_attributes(key)
        if found:
            return found[0].name
    return key


def _check_input(source, key, value_type, label, choices) -> list[Problem]:
    problems = []
    if source not in SOURCES:
        problems.append(Problem("source", "invalid", f"Expected one of {', '.join(SOURCES)}."))
    if not key:
        problems.append(Problem("key", "required", "This field is required."))
    elif len(key) > MAX_KEY:
        problems.append(Problem("key", "invalid", f"At most {MAX_KEY} characters."))
    if value_type not in TYPES:
        problems.append(Problem("type", "invalid", f"Expected one of {', '.join(TYPES)}."))
    if label is not None and len(label.strip()) > MAX_KEY:
        problems.append(Problem("label", "invalid", f"At most {MAX_KEY} characters."))
    if choices is not None:
        cleaned = [c.strip() if isinstance(c, str) else "" for c in choices]
        if choices and value_type != "string":
            problems.append(Problem("choices", "invalid", "Only text fields have choices."))
        elif len(choices) > MAX_CHOICES:
            problems.append(Problem("choices", "invalid", f"At most {MAX_CHOICES} choices."))
        elif not all(cleaned):
            problems.append(Problem("choices", "invalid", "A choice cannot be empty."))
        elif any(n > 1 for n in Counter(cleaned).values()):
            problems.append(Problem("choices", "invalid", "Choices must be distinct."))
    return problems


def _check_attribute(slug: str, value_type: str) -> list[Problem]:
    found = customer_attributes(slug)
    if not found:
        return [Problem("key", "not_found", f"There is no customer attribute {slug!r}.")]
    attribute = found[0]
    if value_type not in attribute.allowed_types:
        allowed = ", ".join(attribute.allowed_types) or "no type (its values cannot be compared)"
        return [Problem("type", "incompatible_type",
                        f"The attribute {slug!r} ({attribute.input_type}) can be declared as: "
                        f"{allowed}.")]
    return []
