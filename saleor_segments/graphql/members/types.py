"""Members of a segment (the Matched Customers grid) and the join/leave history."""

import graphene
from graphene import relay

from ... import models
from ..core.connection import CountableConnection
from ..core.ids import global_id


class SegmentMember(graphene.ObjectType):
    """One row of the Matched Customers grid."""

    customer_id = graphene.ID(required=True, description="The Saleor customer's ID (User).")
    first_name = graphene.String()
    last_name = graphene.String()
    email = graphene.String()
    customer_type = graphene.String(description="Saleor customer type (the Adobe 'group').")
    phone = graphene.String()
    postal_code = graphene.String()
    country = graphene.String()
    country_area = graphene.String(description="State / province.")
    customer_since = graphene.DateTime()
    joined_at = graphene.DateTime(required=True, description="When they joined the segment.")

    @staticmethod
    def from_row(row: dict) -> "SegmentMember":
        return SegmentMember(
            customer_id=global_id("User", row["id"]), first_name=row["first_name"],
            last_name=row["last_name"], email=row["email"], customer_type=row["customer_type"],
            phone=row["phone"], postal_code=row["postal_code"], country=row["country"],
            country_area=row["country_area"], customer_since=row["date_joined"],
            joined_at=row["joined_at"])


class SegmentMemberCountableConnection(CountableConnection):
    class Meta:
        node = SegmentMember


class MembershipActionEnum(graphene.Enum):
    JOINED = "joined"
    LEFT = "left"


class SegmentMembershipEvent(graphene.ObjectType):
    """A customer or visitor joined or left a segment."""

    segment_id = graphene.ID(required=True, description="Kept after the segment is deleted.")
    segment = graphene.Field("saleor_segments.graphql.segments.types.Segment")
    customer_id = graphene.ID()
    checkout_token = graphene.UUID(description="Visitors: their checkout.")
    action = graphene.Field(MembershipActionEnum, required=True)
    at = graphene.DateTime(required=True)
    reason = graphene.String(required=True, description="refresh, event:<name>, "
                                                        "segment_deleted, ...")
    definition_version = graphene.Int(required=True)

    class Meta:
        interfaces = (relay.Node,)

    @classmethod
    def is_type_of(cls, root, _info):
        return isinstance(root, models.MembershipLog)

    @staticmethod
    def resolve_segment_id(root, _info):
        return global_id("Segment", root.segment_id)

    @staticmethod
    def resolve_segment(root, _info):
        return models.Segment.objects.filter(pk=root.segment_id).first()

    @staticmethod
    def resolve_customer_id(root, _info):
        return global_id("User", root.customer_id) if root.customer_id else None


class SegmentMembershipEventCountableConnection(CountableConnection):
    class Meta:
        node = SegmentMembershipEvent


class CustomerSegment(graphene.ObjectType):
    segment = graphene.Field("saleor_segments.graphql.segments.types.Segment", required=True)
    joined_at = graphene.DateTime(required=True)
