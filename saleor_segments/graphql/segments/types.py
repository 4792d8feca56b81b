"""Segment, its refresh runs, and a typed view of its condition tree."""

import graphene
from graphene import relay

from ... import models
from ...conditions import ApplyTo
from ...services.conditions_text import conditions_text
from ..context import Permission, requestor
from ..core.connection import CountableConnection
from ..core.ids import global_id
from ..core.scalars import JSONString
from .dataloaders import (
    ChannelByIdLoader,
    LastRefreshRunBySegmentIdLoader,
    MemberCountBySegmentIdLoader,
)
from .enums import SegmentApplyToEnum, SegmentRefreshStatusEnum, SegmentStatusEnum

GROUP_KEYS = {"kind", "aggregator", "expected", "conditions"}


class ConditionNode(graphene.ObjectType):
    """One node of a condition tree: a group (``kind: "group"``) or a condition of a kind."""

    kind = graphene.String(required=True)
    aggregator = graphene.String(description="Groups and containers: all or any.")
    expected = graphene.Boolean(description="Groups and containers: TRUE or FALSE.")
    field = graphene.String()
    operator = graphene.String()
    value = JSONString()
    params = JSONString(description="Every other parameter of the kind.")
    conditions = graphene.List(graphene.NonNull(lambda: ConditionNode),
                               description="Children (groups and containers).")

    @staticmethod
    def from_json(data: dict) -> "ConditionNode":
        params = {k: v for k, v in data.items()
                  if k not in GROUP_KEYS | {"field", "operator", "value", "version"}}
        children = data.get("conditions")
        return ConditionNode(
            kind=data.get("kind", "group"), aggregator=data.get("aggregator"),
            expected=data.get("expected"), field=data.get("field"),
            operator=data.get("operator"), value=data.get("value"), params=params or None,
            conditions=None if children is None else [ConditionNode.from_json(c)
                                                      for c in children])


class Channel(graphene.ObjectType):
    id = graphene.ID(required=True)
    slug = graphene.String()
    name = graphene.String()


def channel_of(info, channel_id: int):
    """The segment's channel (a Promise: channels of a page are loaded together)."""

    def build(row):
        return Channel(id=global_id("Channel", channel_id), slug=row and row[0],
                       name=row and row[1])

    return ChannelByIdLoader(info.context).load(channel_id).then(build)


class SegmentRefreshRun(graphene.ObjectType):
    """A requested refresh of a segment: follow it with ``segmentRefreshStatus``."""

    id = graphene.ID(required=True)
    status = graphene.Field(SegmentRefreshStatusEnum, required=True)
    parts = graphene.Int(required=True)
    parts_done = graphene.Int(required=True)
    joined = graphene.Int()
    left = graphene.Int()
    error = graphene.String()
    requested_at = graphene.DateTime(required=True)
    finished_at = graphene.DateTime()

    @staticmethod
    def resolve_id(root: models.RefreshRun, _info):
        return global_id("SegmentRefreshRun", root.pk)

    @staticmethod
    def resolve_parts_done(root: models.RefreshRun, _info):
        if root.status == models.RefreshRun.Status.DONE:
            return root.parts
        done = getattr(root, "done_parts", None)  # counted by LastRefreshRunBySegmentIdLoader
        return root.parts_done if done is None else done

    @staticmethod
    def resolve_error(root: models.RefreshRun, _info):
        return root.error or None


class Segment(graphene.ObjectType):
    name = graphene.String(required=True)
    description = graphene.String(required=True)
    channel = graphene.Field(Channel, required=True)
    status = graphene.Field(SegmentStatusEnum, required=True)
    apply_to = graphene.Field(SegmentApplyToEnum, required=True)
    conditions_text = graphene.String(
        description="The condition tree in the segment query language (README); null for a "
                    "kind the text cannot write.")
    conditions = JSONString(required=True, description="The condition tree as JSON (format "
                                                         "version 1, see README).")
    condition_tree = graphene.Field(ConditionNode, required=True,
                                    description="The same tree, typed.")
    definition_version = graphene.Int(required=True)
    member_count = graphene.Int(required=True, description="Customers and visitors now in it.")
    last_refreshed_at = graphene.DateTime()
    last_refresh_mode = graphene.String(
        description='How the last refresh evaluated it: "full: <why>" or "incremental: <n> '
                    'shoppers"; null before its first refresh.')
    last_full_refresh_at = graphene.DateTime(
        description="When it was last evaluated fully (every shopper).")
    last_refresh = graphene.Field(SegmentRefreshRun, description="The latest requested refresh.")
    created_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)

    class Meta:
        interfaces = (relay.Node,)
        description = "A rule-based group of shoppers of one channel."

    @classmethod
    def get_node(cls, info, pk):
        if not requestor(info).has(Permission.MANAGE_USERS):
            return None
        try:
            return models.Segment.objects.filter(pk=int(pk)).first()
        except ValueError:
            return None

    @classmethod
    def is_type_of(cls, root, _info):
        return isinstance(root, models.Segment)

    @staticmethod
    def resolve_channel(root: models.Segment, info):
        return channel_of(info, root.channel_id)

    @staticmethod
    def resolve_condition_tree(root: models.Segment, _info):
        return ConditionNode.from_json(root.conditions)

    @staticmethod
    def resolve_conditions_text(root: models.Segment, _info):
        return conditions_text(root.conditions, ApplyTo(root.apply_to))

    @staticmethod
    def resolve_member_count(root: models.Segment, info):
        return MemberCountBySegmentIdLoader(info.context).load(root.pk)

    @staticmethod
    def resolve_last_refresh_mode(root: models.Segment, _info):
        return root.last_refresh_mode or None

    @staticmethod
    def resolve_last_refresh(root: models.Segment, info):
        return LastRefreshRunBySegmentIdLoader(info.context).load(root.pk)



class SegmentCountableConnection(CountableConnection):
    class Meta:
        node = Segment
