"""Inputs of reports and exports."""

import graphene

from .types import SegmentReportModeEnum


class SegmentReportInput(graphene.InputObjectType):
    segments = graphene.List(graphene.NonNull(graphene.ID), required=True,
                             description="Segments of one channel to combine.")
    mode = graphene.Field(SegmentReportModeEnum, description="ANY (union, the default) or "
                                                             "ALL (intersection).")
    exclude = graphene.List(graphene.NonNull(graphene.ID),
                            description="Less the members of these segments.")


class SegmentDateRangeInput(graphene.InputObjectType):
    gte = graphene.Date(required=True, description="The first day (UTC).")
    lte = graphene.Date(required=True, description="The last day (UTC), included.")


def report_spec(value, field: str = "report"):
    """The engine's ReportSpec of a SegmentReportInput; InputError when malformed."""
    from ...reports.sets import ReportError, ReportSpec
    from ..core.errors import InputError
    from ..core.ids import decode

    def pks(values, name):
        return tuple(decode(v, "Segment", f"{field}.{name}") for v in values or ())

    spec = ReportSpec(include=pks(value.get("segments"), "segments"),
                      mode=value.get("mode") or "any", exclude=pks(value.get("exclude"),
                                                                  "exclude"))
    try:
        spec.check()
    except ReportError as exc:
        raise InputError.one(f"{field}.{exc.field}",
                             "not_found" if "do not exist" in str(exc) else "invalid",
                             str(exc).capitalize() + ".") from None
    return spec
