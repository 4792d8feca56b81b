"""Condition trees in the segment query language (conditions/text): validated exactly as the
JSON form is, with every problem placed at its line and column."""

from ..conditions import ApplyTo, ConditionValidationError, ValidationContext, parse_tree
from ..conditions.text import UnprintableError, print_tree, read_text
from ..models import CustomerField
from .segments import validate_conditions


def conditions_from_text(text: str, apply_to: ApplyTo, segment_id: int | None = None) -> dict:
    """The normalised JSON of the tree ``text`` writes, or ConditionTextError (line, column)."""
    declared = {(f.source, f.key): f.value_type for f in CustomerField.objects.all()}
    reading = read_text(text, declared=declared)
    try:
        normalized = validate_conditions(reading.data, apply_to, segment_id)
    except ConditionValidationError as exc:
        raise reading.locate(exc) from None
    reading.check_arguments(normalized)
    return normalized


def conditions_text(conditions: dict, apply_to: ApplyTo) -> str | None:
    """A stored tree in the text form (None: a kind the text cannot write, or a tree that no
    longer validates)."""
    try:
        return print_tree(parse_tree(conditions, ValidationContext(apply_to=apply_to)))
    except (ConditionValidationError, UnprintableError):
        return None
