"""Report queries (MANAGE_USERS)."""

import graphene

from ...reports import history
from ...reports.models import AdminEvent, ExportFile
from ..context import Permission, permission_required
from ..core.connection import paginate_queryset
from ..core.errors import InputError
from ..core.ids import decode
from ..segments.mutations import get_segment, segment_pks
from .inputs import SegmentDateRangeInput, SegmentReportInput, report_spec
from .types import (
    OBJECT_NODES,
    SegmentAdminActionEnum,
    SegmentAdminEventCountableConnection,
    SegmentAdminObjectEnum,
    SegmentExportFile,
    SegmentHistoryIntervalEnum,
    SegmentOverlapCell,
    SegmentReport,
    SegmentSizePoint,
)


class ReportQueries(graphene.ObjectType):
    segment_export_file = graphene.Field(
        SegmentExportFile, id=graphene.ID(required=True),
        description="An export's status, progress and link. Requires MANAGE_USERS.")
    segment_report = graphene.Field(
        SegmentReport, report=SegmentReportInput(required=True),
        description="Segments of one channel combined (ANY, ALL, less excluded ones): the "
                    "count and the grid. Requires MANAGE_USERS.")
    segment_size_history = graphene.List(
        graphene.NonNull(SegmentSizePoint), segment=graphene.ID(required=True),
        period=SegmentDateRangeInput(required=True), interval=SegmentHistoryIntervalEnum(),
        description=f"Members at the end of each day (or week) of the period, with joins and "
                    f"leaves, from the join/leave log (at most {history.MAX_POINTS} points). "
                    "Requires MANAGE_USERS.")
    segment_overlap = graphene.List(
        graphene.NonNull(SegmentOverlapCell),
        segments=graphene.List(graphene.NonNull(graphene.ID), required=True),
        description=f"Customers shared by each pair of up to {history.MAX_OVERLAP} segments, "
                    "with percentages (the diagonal: each segment's customers). "
                    "Requires MANAGE_USERS.")
    segment_admin_events = graphene.Field(
        SegmentAdminEventCountableConnection, object_type=SegmentAdminObjectEnum(),
        object_id=graphene.ID(description="With objectType: one object's log."),
        action=SegmentAdminActionEnum(), first=graphene.Int(), after=graphene.String(),
        description="The action log of administrative changes, newest first. "
                    "Requires MANAGE_USERS.")

    @staticmethod
    @permission_required(Permission.MANAGE_USERS)
    def resolve_segment_export_file(_root, info, id):
        return ExportFile.objects.filter(pk=decode(id, "SegmentExportFile", "id")).first()

    @staticmethod
    @permission_required(Permission.MANAGE_USERS)
    def resolve_segment_report(_root, info, report):
        return report_spec(report)

    @staticmethod
    @permission_required(Permission.MANAGE_USERS)
    def resolve_segment_size_history(_root, info, segment, period, interval=None):
        found = get_segment(segment, "segment")
        try:
            points = history.size_history(found.pk, period["gte"], period["lte"],
                                          interval or "day")
        except ValueError as exc:
            raise InputError.one("period", "invalid", str(exc).capitalize() + ".") from None
        return [SegmentSizePoint(start=p.start, end=p.end, members=p.members, joined=p.joined,
                                 left=p.left) for p in points]

    @staticmethod
    @permission_required(Permission.MANAGE_USERS)
    def resolve_segment_overlap(_root, info, segments):
        if not 1 <= len(segments) <= history.MAX_OVERLAP:
            raise InputError.one("segments", "invalid",
                                 f"Give 1 to {history.MAX_OVERLAP} segments.")
        return history.overlap_matrix(segment_pks(segments, limit=history.MAX_OVERLAP))

    @staticmethod
    @permission_required(Permission.MANAGE_USERS)
    def resolve_segment_admin_events(_root, info, object_type=None, object_id=None,
                                     action=None, first=None, after=None):
        queryset = AdminEvent.objects.all()
        if object_id is not None:
            if object_type is None:
                raise InputError.one("objectType", "required", "Give the object's type.")
            node = OBJECT_NODES.get(object_type)
            key = str(decode(object_id, node, "objectId")) if node else object_id
            queryset = queryset.filter(object_id=key)
        if object_type is not None:
            queryset = queryset.filter(object_type=object_type)
        if action is not None:
            queryset = queryset.filter(action=action)
        return paginate_queryset(queryset, SegmentAdminEventCountableConnection,
                                 sort_field="at", descending=True, first=first, after=after)
