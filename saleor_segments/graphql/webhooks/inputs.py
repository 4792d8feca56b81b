import graphene

from .types import SegmentMembershipEventEnum


class SegmentSubscriptionInputBase(graphene.InputObjectType):
    name = graphene.String()
    target_url = graphene.String(description="Where deliveries are POSTed (http or https).")
    segments = graphene.List(graphene.NonNull(graphene.ID),
                             description="The segments whose joins and leaves are sent.")
    events = graphene.List(graphene.NonNull(SegmentMembershipEventEnum),
                           description="Joins, leaves or both (default: both).")
    is_active = graphene.Boolean()


class SegmentSubscriptionCreateInput(SegmentSubscriptionInputBase):
    name = graphene.String(required=True)
    target_url = graphene.String(required=True, description="Where deliveries are POSTed "
                                                            "(http or https).")
    segments = graphene.List(graphene.NonNull(graphene.ID), required=True)
    app = graphene.ID(description="A Saleor App: deliveries are signed with Saleor's JWS "
                                  "(Saleor-Signature) instead of a secret. Inside Saleor only.")


class SegmentSubscriptionUpdateInput(SegmentSubscriptionInputBase):
    rotate_secret = graphene.Boolean(description="Make a new secret (returned once).")
