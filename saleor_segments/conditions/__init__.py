"""Condition kinds and the condition tree. Importing this package registers the built-in kinds;
third-party kinds register from an installed app's ``segments_hooks`` module."""

from . import address, cart, customer, orders, products, segments  # noqa: F401  (registration)
from .ast import (
    FORMAT_VERSION,
    Group,
    ValidationContext,
    node_json,
    parse_tree,
    tree_events,
    tree_json,
    walk,
)
from .base import ApplyTo, Condition, Event, Scope
from .errors import ConditionError, ConditionErrorCode, ConditionValidationError
from .operators import Comparison
from .registry import all_kinds, get, register, temporarily

__all__ = [
    "FORMAT_VERSION", "ApplyTo", "Comparison", "Condition", "ConditionError",
    "ConditionErrorCode", "ConditionValidationError", "Event", "Group", "Scope",
    "ValidationContext", "all_kinds", "get", "node_json", "parse_tree", "register",
    "temporarily", "tree_events", "tree_json", "walk",
]
