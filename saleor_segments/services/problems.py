"""What a service refuses, in the shape GraphQL's ``errors`` take (field, code, message):
raised before anything is written, so a refused call changes nothing."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    field: str
    code: str  # required, invalid, not_found, incompatible_type, in_use
    message: str
    segments: tuple = ()  # primary keys of the segments concerned (in_use)


class ProblemsError(Exception):
    """A service call refused, with every problem found (not only the first)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems
