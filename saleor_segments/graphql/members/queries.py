"""Who is in a segment, which segments a customer is in, and the history (MANAGE_USERS)."""

import graphene

from ... import models
from ...membership.members import MemberFilter, matched_customers
from ..context import Permission, permission_required
from ..core.connection import check_first, connection_from_page, paginate_queryset
from ..core.errors import InputError
from ..core.ids import decode
from ..segments.enums import OrderDirection
from .types import (
    CustomerSegment,
    SegmentMember,
    SegmentMemberCountableConnection,
    SegmentMembershipEventCountableConnection,
)


class SegmentMemberSortField(graphene.Enum):
    CUSTOMER_ID = "id"
    EMAIL = "email"
    LAST_NAME = "last_name"
    CUSTOMER_SINCE = "date_joined"
    JOINED_AT = "joined_at"


class SegmentMemberSortingInput(graphene.InputObjectType):
    field = graphene.Field(SegmentMemberSortField, required=True)
    direction = graphene.Field(OrderDirection, required=True)


class DateTimeRangeInput(graphene.InputObjectType):
    gte = graphene.DateTime()
    lte = graphene.DateTime()


class SegmentMemberFilterInput(graphene.InputObjectType):
    search = graphene.String(description="Part of the email, first or last name.")
    countries = graphene.List(graphene.NonNull(graphene.String))
    joined_at = graphene.Field(DateTimeRangeInput)


def member_criteria(filter) -> MemberFilter:
    filter = filter or {}
    joined = filter.get("joined_at") or {}
    return MemberFilter(search=filter.get("search") or None,
                        countries=tuple(c.upper() for c in filter.get("countries") or ()),
                        joined_from=joined.get("gte"), joined_to=joined.get("lte"))


def members_page(segment_pk, first, after, filter, sort_by, source=None):
    """A page of the Matched Customers grid of a segment (or of ``source``'s rows)."""
    first = check_first(first)
    sort = sort_by or {"field": "id", "direction": "asc"}
    try:
        page = matched_customers(segment_pk, first=first, after=after, sort=sort["field"],
                                 descending=sort["direction"] == "desc",
                                 filter=member_criteria(filter), source=source)
    except ValueError as exc:
        raise InputError.one("after", "invalid", str(exc)) from None
    return connection_from_page(SegmentMemberCountableConnection,
                                [SegmentMember.from_row(r) for r in page.rows],
                                page.cursors, page.total_count, page.has_next_page,
                                after is not None)


class MemberQueries(graphene.ObjectType):
    segment_members = graphene.Field(
        SegmentMemberCountableConnection, segment=graphene.ID(required=True),
        filter=SegmentMemberFilterInput(), sort_by=SegmentMemberSortingInput(),
        first=graphene.Int(), after=graphene.String(),
        description="The Matched Customers grid of a segment. Requires MANAGE_USERS.")
    customer_segments = graphene.List(
        graphene.NonNull(CustomerSegment), required=False, customer_id=graphene.ID(required=True),
        description="The segments a customer is in now. Requires MANAGE_USERS.")
    segment_membership_history = graphene.Field(
        SegmentMembershipEventCountableConnection, segment=graphene.ID(),
        customer=graphene.ID(), period=DateTimeRangeInput(), first=graphene.Int(),
        after=graphene.String(),
        description="Joins and leaves, newest first, of a segment and/or a customer. "
                    "Requires MANAGE_USERS.")

    @staticmethod
    @permission_required(Permission.MANAGE_USERS)
    def resolve_segment_members(_root, info, segment, first=None, after=None, filter=None,
                                sort_by=None):
        pk = decode(segment, "Segment", "segment")
        return members_page(pk, first, after, filter, sort_by)

    @staticmethod
    @permission_required(Permission.MANAGE_USERS)
    def resolve_customer_segments(_root, info, customer_id):
        pk = decode(customer_id, "User", "customerId")
        memberships = (models.CustomerMembership.objects.filter(customer_id=pk)
                       .select_related("segment").order_by("segment__name", "segment_id"))
        return [CustomerSegment(segment=m.segment, joined_at=m.joined_at) for m in memberships]

    @staticmethod
    @permission_required(Permission.MANAGE_USERS)
    def resolve_segment_membership_history(_root, info, segment=None, customer=None,
                                           period=None, first=None, after=None):
        if segment is None and customer is None:
            raise InputError.one("segment", "required", "Give a segment, a customer or both.")
        queryset = models.MembershipLog.objects.all()
        if segment is not None:
            queryset = queryset.filter(segment_id=decode(segment, "Segment", "segment"))
        if customer is not None:
            queryset = queryset.filter(customer_id=decode(customer, "User", "customer"))
        period = period or {}
        if period.get("gte"):
            queryset = queryset.filter(at__gte=period["gte"])
        if period.get("lte"):
            queryset = queryset.filter(at__lte=period["lte"])
        return paginate_queryset(queryset, SegmentMembershipEventCountableConnection,
                                 sort_field="at", descending=True, first=first, after=after)
