"""Filter and sort inputs of ``segments``."""

import graphene
from django.db.models import Q

from ..core.ids import decode
from .enums import OrderDirection, SegmentApplyToEnum, SegmentSortField, SegmentStatusEnum


class SegmentFilterInput(graphene.InputObjectType):
    search = graphene.String(description="Part of the name or description.")
    status = graphene.Field(SegmentStatusEnum)
    apply_to = graphene.Field(SegmentApplyToEnum)
    channels = graphene.List(graphene.NonNull(graphene.ID), description="Channel IDs.")
    ids = graphene.List(graphene.NonNull(graphene.ID))


class SegmentSortingInput(graphene.InputObjectType):
    field = graphene.Field(SegmentSortField, required=True)
    direction = graphene.Field(OrderDirection, required=True)


def filter_segments(queryset, data):
    if not data:
        return queryset
    if data.get("search"):
        queryset = queryset.filter(Q(name__icontains=data["search"])
                                   | Q(description__icontains=data["search"]))
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    if data.get("apply_to"):
        queryset = queryset.filter(apply_to=data["apply_to"])
    if data.get("channels") is not None:
        channels = [decode(c, "Channel", "filter.channels") for c in data["channels"]]
        queryset = queryset.filter(channel_id__in=channels)
    if data.get("ids") is not None:
        ids = [decode(i, "Segment", "filter.ids") for i in data["ids"]]
        queryset = queryset.filter(pk__in=ids)
    return queryset
