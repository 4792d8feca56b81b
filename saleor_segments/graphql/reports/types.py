"""Types of reports and exports."""

import graphene
from graphene import relay

from ...reports.models import AdminEvent, ExportFile
from ..core.connection import CountableConnection
from ..core.ids import global_id
from ..core.scalars import JSONString
from ..members.types import SegmentMemberCountableConnection
from .download import link_path

PLUGIN_PATH = "/plugins/global/saleor_segments/"


class SegmentExportStatusEnum(graphene.Enum):
    PENDING = "pending"
    SUCCESS = "success"
    FAILED = "failed"
    EXPIRED = "expired"


class SegmentExportFormatEnum(graphene.Enum):
    CSV = "csv"
    XLSX = "xlsx"


class SegmentExportKindEnum(graphene.Enum):
    MEMBERS = "members"
    REPORT = "report"


class SegmentExportFile(graphene.ObjectType):
    """A file of customers written by a Celery task (as Saleor's ExportFile)."""

    kind = graphene.Field(SegmentExportKindEnum, required=True)
    file_format = graphene.Field(SegmentExportFormatEnum, required=True)
    status = graphene.Field(SegmentExportStatusEnum, required=True)
    progress = graphene.Float(required=True, description="Percent of the rows written.")
    rows_written = graphene.Int(required=True)
    rows_total = graphene.Int(description="Rows to write (known once the task started).")
    message = graphene.String(description="Why it failed.")
    created_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    expires_at = graphene.DateTime(required=True, description="The link is refused after.")
    requested_by = graphene.String(description="The staff user's email, the app's name or "
                                               "the API token's fingerprint.")
    url = graphene.String(description="The download link, once the file is written (send "
                                      "the same Authorization header; MANAGE_USERS).")

    class Meta:
        interfaces = (relay.Node,)

    @classmethod
    def is_type_of(cls, root, _info):
        return isinstance(root, ExportFile)

    @staticmethod
    def resolve_status(root, _info):
        return ExportFile.Status.EXPIRED if root.expired else root.status

    @staticmethod
    def resolve_message(root, _info):
        return root.message or None

    @staticmethod
    def resolve_url(root, info):
        if root.status != ExportFile.Status.SUCCESS or root.expired:
            return None
        path = PLUGIN_PATH + link_path(root)
        request = getattr(info.context, "request", None)
        return request.build_absolute_uri(path) if request is not None else path


class SegmentReportModeEnum(graphene.Enum):
    ANY = "any"
    ALL = "all"


class SegmentReport(graphene.ObjectType):
    """Customers in the combination of segments."""

    count = graphene.Int(required=True, description="Customers in the combination.")
    members = graphene.Field(
        SegmentMemberCountableConnection, first=graphene.Int(), after=graphene.String(),
        filter=graphene.Argument("saleor_segments.graphql.members.queries."
                                 "SegmentMemberFilterInput"),
        sort_by=graphene.Argument("saleor_segments.graphql.members.queries."
                                  "SegmentMemberSortingInput"),
        description="The grid (the Matched Customers columns) of the combination.")

    @staticmethod
    def resolve_count(root, _info):
        from ...reports.sets import report_count

        return report_count(root)

    @staticmethod
    def resolve_members(root, info, first=None, after=None, filter=None, sort_by=None):
        from ...reports.sets import report_cursor
        from ..members.queries import members_page

        with report_cursor():
            return members_page(None, first, after, filter, sort_by, source=root.source())


class SegmentHistoryIntervalEnum(graphene.Enum):
    DAY = "day"
    WEEK = "week"


class SegmentSizePoint(graphene.ObjectType):
    start = graphene.DateTime(required=True, description="The day (or week) from...")
    end = graphene.DateTime(required=True, description="...to (excluded).")
    members = graphene.Int(required=True, description="Members at the end of it.")
    joined = graphene.Int(required=True)
    left = graphene.Int(required=True)


class SegmentOverlapCell(graphene.ObjectType):
    segment_id = graphene.ID(required=True)
    other_segment_id = graphene.ID(required=True)
    shared = graphene.Int(required=True, description="Customers in both (on the diagonal: "
                                                     "the segment's customers).")
    percent = graphene.Float(required=True, description="Of the segment's customers.")
    other_percent = graphene.Float(required=True, description="Of the other's customers.")

    @staticmethod
    def resolve_segment_id(root, _info):
        return global_id("Segment", root.segment_id)

    @staticmethod
    def resolve_other_segment_id(root, _info):
        return global_id("Segment", root.other_id)


class SegmentAdminObjectEnum(graphene.Enum):
    SEGMENT = "segment"
    DISCOUNT_LIMIT = "discount_limit"
    CONTENT_BLOCK = "content_block"
    RELATED_PRODUCT_RULE = "related_product_rule"
    SEGMENT_SUBSCRIPTION = "segment_subscription"


class SegmentAdminActionEnum(graphene.Enum):
    CREATED = "created"
    UPDATED = "updated"
    REFRESHED = "refreshed"
    ACTIVATED = "activated"
    DEACTIVATED = "deactivated"
    DELETED = "deleted"


class SegmentAdminActorEnum(graphene.Enum):
    STAFF = "staff"
    APP = "app"
    TOKEN = "token"


OBJECT_NODES = {"segment": "Segment", "content_block": "ContentBlock",
                "related_product_rule": "RelatedProductRule",
                "segment_subscription": "SegmentSubscription"}


class SegmentAdminEvent(graphene.ObjectType):
    """An administrative change: who did what to which object, and when (kept after the
    object is deleted)."""

    object_type = graphene.Field(SegmentAdminObjectEnum, required=True)
    object_id = graphene.ID(required=True, description="The object's ID; discount limits: "
                                                       "promotion:<id> or voucher:<id>.")
    object_name = graphene.String(required=True)
    action = graphene.Field(SegmentAdminActionEnum, required=True)
    before = JSONString(description="The definition before (changes, deletions).")
    after = JSONString(description="The definition after (creations, changes).")
    actor_kind = graphene.Field(SegmentAdminActorEnum)
    user_id = graphene.ID(description="The Saleor staff user (User ID).")
    app_id = graphene.ID(description="The Saleor app (App ID).")
    actor_name = graphene.String(description="Email, app name or API token fingerprint.")
    at = graphene.DateTime(required=True)

    class Meta:
        interfaces = (relay.Node,)

    @classmethod
    def is_type_of(cls, root, _info):
        return isinstance(root, AdminEvent)

    @staticmethod
    def resolve_object_id(root, _info):
        node = OBJECT_NODES.get(root.object_type)
        return global_id(node, root.object_id) if node else root.object_id

    @staticmethod
    def resolve_actor_kind(root, _info):
        return root.actor_kind if root.actor_kind in ("staff", "app", "token") else None

    @staticmethod
    def resolve_user_id(root, _info):
        return global_id("User", root.actor_id) if root.actor_kind == "staff" else None

    @staticmethod
    def resolve_app_id(root, _info):
        return global_id("App", root.actor_id) if root.actor_kind == "app" \
            and root.actor_id.isdigit() else None


class SegmentAdminEventCountableConnection(CountableConnection):
    class Meta:
        node = SegmentAdminEvent
