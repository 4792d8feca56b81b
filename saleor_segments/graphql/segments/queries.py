"""Admin queries on segments (MANAGE_USERS)."""

import graphene

from ... import models
from ..context import Permission, permission_required
from ..core.connection import paginate_queryset
from ..core.ids import decode
from .filters import SegmentFilterInput, SegmentSortingInput, filter_segments
from .types import Segment, SegmentCountableConnection, SegmentRefreshRun


class SegmentQueries(graphene.ObjectType):
    segments = graphene.Field(
        SegmentCountableConnection, filter=SegmentFilterInput(), sort_by=SegmentSortingInput(),
        first=graphene.Int(), after=graphene.String(),
        description="Segments, filtered and sorted. Requires MANAGE_USERS.")
    segment = graphene.Field(Segment, id=graphene.ID(required=True),
                             description="A segment by ID. Requires MANAGE_USERS.")
    segment_refresh_run = graphene.Field(
        SegmentRefreshRun, id=graphene.ID(required=True),
        description="A requested refresh: progress and result. Requires MANAGE_USERS.")

    @staticmethod
    @permission_required(Permission.MANAGE_USERS)
    def resolve_segments(_root, info, first=None, after=None, filter=None, sort_by=None):
        queryset = filter_segments(models.Segment.objects.all(), filter)
        sort = sort_by or {"field": "name", "direction": "asc"}
        return paginate_queryset(queryset, SegmentCountableConnection,
                                 sort_field=sort["field"], descending=sort["direction"] == "desc",
                                 first=first, after=after)

    @staticmethod
    @permission_required(Permission.MANAGE_USERS)
    def resolve_segment(_root, info, id):
        return models.Segment.objects.filter(pk=decode(id, "Segment", "id")).first()

    @staticmethod
    @permission_required(Permission.MANAGE_USERS)
    def resolve_segment_refresh_run(_root, info, id):
        return models.RefreshRun.objects.filter(pk=decode(id, "SegmentRefreshRun", "id")).first()

