"""Membership event subscriptions and their deliveries as the API shows them. A
subscription's secret is never a field: the create (or a rotating update) returns it once."""

import graphene
from graphene import relay

from ...models import Segment as SegmentModel
from ...webhooks.models import MembershipDelivery, MembershipSubscription
from ..core.connection import CountableConnection, paginate_queryset
from ..core.ids import global_id
from ..core.scalars import JSONString
from ..segments.types import Segment


class SegmentMembershipEventEnum(graphene.Enum):
    JOINED = "joined"
    LEFT = "left"


class SegmentDeliveryStatusEnum(graphene.Enum):
    PENDING = "pending"
    SUCCESS = "success"
    FAILED = "failed"


class SegmentSubscriptionErrorCode(graphene.Enum):
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    REQUIRED = "required"


class SegmentSubscriptionError(graphene.ObjectType):
    field = graphene.String()
    code = graphene.Field(SegmentSubscriptionErrorCode, required=True)
    message = graphene.String()


class SegmentMembershipDelivery(graphene.ObjectType):
    """One POST carrying a batch of joins and leaves, and how its attempts went."""

    subscription = graphene.Field(lambda: SegmentSubscription, required=True)
    status = graphene.Field(SegmentDeliveryStatusEnum, required=True)
    attempts = graphene.Int(required=True)
    response_code = graphene.Int(description="The last attempt's HTTP status (none: no "
                                             "response).")
    last_error = graphene.String(description="Why the last attempt failed.")
    change_ids = graphene.List(graphene.NonNull(graphene.Int), required=True,
                               description="The changes' ids (the payload's `changes[].id`).")
    changes = JSONString(required=True, description="The payload's `changes`.")
    created_at = graphene.DateTime(required=True)
    next_attempt_at = graphene.DateTime(description="When a pending delivery is tried next.")
    last_attempt_at = graphene.DateTime()
    delivered_at = graphene.DateTime()

    class Meta:
        interfaces = (relay.Node,)

    @classmethod
    def is_type_of(cls, root, _info):
        return isinstance(root, MembershipDelivery)

    @staticmethod
    def resolve_last_error(root, _info):
        return root.last_error or None

    @staticmethod
    def resolve_next_attempt_at(root, _info):
        return root.next_attempt_at if root.status == MembershipDelivery.Status.PENDING \
            else None


class SegmentMembershipDeliveryCountableConnection(CountableConnection):
    class Meta:
        node = SegmentMembershipDelivery


def deliveries_page(subscription_id=None, status=None, first=None, after=None):
    """Newest first."""
    queryset = MembershipDelivery.objects.all()
    if subscription_id is not None:
        queryset = queryset.filter(subscription_id=subscription_id)
    if status is not None:
        queryset = queryset.filter(status=status)
    return paginate_queryset(queryset, SegmentMembershipDeliveryCountableConnection,
                             sort_field="created_at", descending=True, first=first,
                             after=after)


class SegmentSubscription(graphene.ObjectType):
    """A target URL (or a Saleor App) told about joins and leaves of chosen segments."""

    name = graphene.String(required=True)
    target_url = graphene.String(required=True)
    app_id = graphene.ID(description="The Saleor App it delivers to (Saleor signs them).")
    events = graphene.List(graphene.NonNull(SegmentMembershipEventEnum), required=True)
    segments = graphene.List(graphene.NonNull(Segment), required=True,
                             description="Its segments (a deleted one no longer shows).")
    is_active = graphene.Boolean(required=True)
    has_secret = graphene.Boolean(required=True, description="Deliveries are HMAC-signed "
                                                             "(the secret was shown once).")
    created_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    deliveries = graphene.Field(
        SegmentMembershipDeliveryCountableConnection, status=SegmentDeliveryStatusEnum(),
        first=graphene.Int(), after=graphene.String(), description="Newest first.")

    class Meta:
        interfaces = (relay.Node,)

    @classmethod
    def is_type_of(cls, root, _info):
        return isinstance(root, MembershipSubscription)

    @staticmethod
    def resolve_app_id(root, _info):
        return global_id("App", root.app_id) if root.app_id is not None else None

    @staticmethod
    def resolve_events(root, _info):
        return root.actions

    @staticmethod
    def resolve_segments(root, _info):
        return list(SegmentModel.objects.filter(pk__in=root.segment_ids).order_by("pk"))

    @staticmethod
    def resolve_has_secret(root, _info):
        return bool(root.secret)

    @staticmethod
    def resolve_deliveries(root, _info, status=None, first=None, after=None):
        return deliveries_page(root.pk, status, first, after)


class SegmentSubscriptionCountableConnection(CountableConnection):
    class Meta:
        node = SegmentSubscription
