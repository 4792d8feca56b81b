"""Export mutations: a file record now, the file written by a Celery task (MANAGE_USERS)."""

import logging

import graphene
from django.db import transaction

from ...reports.export import create_export, filter_json
from ...reports.models import ExportFile
from ..context import Permission, requestor
from ..core.errors import SegmentError
from ..core.mutations import BaseMutation
from ..members.queries import SegmentMemberFilterInput, SegmentMemberSortingInput, member_criteria
from ..segments.mutations import get_segment
from .inputs import SegmentReportInput, report_spec
from .types import SegmentExportFile, SegmentExportFormatEnum

logger = logging.getLogger(__name__)


def queue(export: ExportFile) -> None:
    """Queue the export's task once the record is committed; a broker that refuses it
    fails the export (with its message) rather than the request."""
    from ...reports.tasks import export_customers_task

    def publish():
        try:
            export_customers_task.delay(export.pk)
        except Exception as exc:  # noqa: BLE001  (kombu's OperationalError, a timeout, ...)
            logger.error("export %s could not be queued: %s", export.pk, exc)
            ExportFile.objects.filter(pk=export.pk).update(
                status=ExportFile.Status.FAILED,
                message=f"Could not be queued: the task broker is unreachable "
                        f"({type(exc).__name__}).")

    transaction.on_commit(publish)


class ExportMutation(BaseMutation):
    permissions = (Permission.MANAGE_USERS,)
    error_type = SegmentError
    errors = graphene.List(graphene.NonNull(SegmentError), required=True)
    export_file = graphene.Field(SegmentExportFile, description="Follow it with "
                                                                "segmentExportFile(id).")

    class Meta:
        abstract = True

    @classmethod
    def start(cls, info, kind, file_format, params, filter, sort_by):
        sort = sort_by or {"field": "id", "direction": "asc"}
        params = {**params, "filter": filter_json(member_criteria(filter)),
                  "sort": sort["field"], "descending": sort["direction"] == "desc"}
        export = create_export(kind=kind, file_format=file_format, params=params,
                               requestor=requestor(info))
        queue(export)
        return cls(export_file=export, errors=[])


class ExportArguments:
    file_format = SegmentExportFormatEnum(required=True)
    filter = SegmentMemberFilterInput()
    sort_by = SegmentMemberSortingInput()


class SegmentMembersExport(ExportMutation):
    class Arguments(ExportArguments):
        segment = graphene.ID(required=True)

    class Meta:
        description = ("Export a segment's Matched Customers (the grid's columns, filter and "
                       "sort) to CSV or XLSX, as a Celery task. Requires MANAGE_USERS.")

    @classmethod
    def perform(cls, info, segment, file_format, filter=None, sort_by=None):
        found = get_segment(segment, "segment")
        return cls.start(info, ExportFile.Kind.MEMBERS, file_format,
                         {"segment": found.pk}, filter, sort_by)


class SegmentReportExport(ExportMutation):
    class Arguments(ExportArguments):
        report = SegmentReportInput(required=True)

    class Meta:
        description = ("Export a segment report's customers (the grid's columns, filter and "
                       "sort) to CSV or XLSX, as a Celery task. Requires MANAGE_USERS.")

    @classmethod
    def perform(cls, info, report, file_format, filter=None, sort_by=None):
        spec = report_spec(report)
        return cls.start(info, ExportFile.Kind.REPORT, file_format,
                         {"report": spec.as_json()}, filter, sort_by)


class ReportMutations(graphene.ObjectType):
    segment_members_export = SegmentMembersExport.Field()
    segment_report_export = SegmentReportExport.Field()
