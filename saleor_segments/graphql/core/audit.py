"""The action log: every admin mutation on a segment, a discount limit, a content block, a
related product rule or a membership event subscription records who did what (with the
definition before and after; never a subscription's secret).

``BaseMutation`` calls ``start`` before ``perform`` and ``finish`` with its payload, inside the
mutation's transaction: nothing is logged when the change fails. Logging never breaks the
change itself (a failure to log is logged and skipped)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db import transaction

from ... import models
from ...reports.models import AdminEvent
from ...webhooks.models import MembershipSubscription

logger = logging.getLogger(__name__)
Action = AdminEvent.Action
ObjectType = AdminEvent.ObjectType


def _json(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def snapshot(obj) -> dict:
    """The fields an admin sets, as JSON (segments ids for m2m)."""
    if isinstance(obj, models.Segment):
        fields = ("name", "description", "channel_id", "status", "apply_to", "conditions",
                  "definition_version")
    elif isinstance(obj, MembershipSubscription):  # never its secret
        fields = ("name", "target_url", "app_id", "segment_ids", "on_join", "on_leave",
                  "is_active")
    elif isinstance(obj, models.ContentBlock):
        fields = ("name", "placement", "content", "page_id", "priority", "starts_at",
                  "ends_at", "status")
    else:
        fields = ("name", "channel_id", "status", "priority", "applies_to", "show", "limit")
    data = {name: _json(getattr(obj, name)) for name in fields}
    if isinstance(obj, models.ContentBlock | models.RelatedProductRule) and obj.pk:
        data["segments"] = sorted(obj.segments.values_list("pk", flat=True))
    return data


@dataclass
class Recording:
    kind: str  # ObjectType
    verb: str  # create, update, delete, refresh, limit
    actor: tuple[str, str, str]
    before: dict = field(default_factory=dict)  # object id -> snapshot (or None)
    names: dict = field(default_factory=dict)


# mutation class name -> (object type, verb, model)
AUDITED = {
    "SegmentCreate": (ObjectType.SEGMENT, "create", models.Segment),
    "SegmentUpdate": (ObjectType.SEGMENT, "update", models.Segment),
    "SegmentDelete": (ObjectType.SEGMENT, "delete", models.Segment),
    "SegmentBulkDelete": (ObjectType.SEGMENT, "delete", models.Segment),
    "SegmentRefresh": (ObjectType.SEGMENT, "refresh", models.Segment),
    "ContentBlockCreate": (ObjectType.CONTENT_BLOCK, "create", models.ContentBlock),
    "ContentBlockUpdate": (ObjectType.CONTENT_BLOCK, "update", models.ContentBlock),
    "ContentBlockDelete": (ObjectType.CONTENT_BLOCK, "delete", models.ContentBlock),
    "RelatedProductRuleCreate": (ObjectType.RELATED_PRODUCT_RULE, "create",
                                 models.RelatedProductRule),
    "RelatedProductRuleUpdate": (ObjectType.RELATED_PRODUCT_RULE, "update",
                                 models.RelatedProductRule),
    "RelatedProductRuleDelete": (ObjectType.RELATED_PRODUCT_RULE, "delete",
                                 models.RelatedProductRule),
    "SegmentSubscriptionCreate": (ObjectType.SEGMENT_SUBSCRIPTION, "create",
                                  MembershipSubscription),
    "SegmentSubscriptionUpdate": (ObjectType.SEGMENT_SUBSCRIPTION, "update",
                                  MembershipSubscription),
    "SegmentSubscriptionDelete": (ObjectType.SEGMENT_SUBSCRIPTION, "delete",
                                  MembershipSubscription),
    "PromotionSegmentsSet": (ObjectType.DISCOUNT_LIMIT, "limit", None),
    "VoucherSegmentsSet": (ObjectType.DISCOUNT_LIMIT, "limit", None),
}
NODE_TYPES = {models.Segment: "Segment", models.ContentBlock: "ContentBlock",
              models.RelatedProductRule: "RelatedProductRule",
              MembershipSubscription: "SegmentSubscription"}


def actor_of(info) -> tuple[str, str, str]:
    from ..context import requestor

    who = requestor(info)
    kind = "token" if who.actor_id.startswith("token:") else who.kind
    return kind, who.actor_id, who.actor_name


def _pk(model, value):
    from .ids import decode

    return decode(value, NODE_TYPES[model], "id")


def _discount(mutation_name: str, data: dict) -> tuple[str, list | None]:
    from ...targeting import discounts
    from ..discounts import schema

    if mutation_name == "PromotionSegmentsSet":
        kind, discount_id = discounts.PROMOTION, schema.promotion_id(data["promotion"])
    else:
        kind, discount_id = discounts.VOUCHER, schema.voucher_id(data["voucher"])
    row = models.DiscountRestriction.objects.filter(kind=kind, discount_id=str(discount_id)
                                                    ).first()  # (not the cache: this change)
    ids = None if row is None else list(row.segments.values_list("pk", flat=True))
    return f"{kind}:{discount_id}", ids


def start(mutation_name: str, info, data: dict) -> Recording | None:
    spec = AUDITED.get(mutation_name)
    if spec is None:
        return None
    kind, verb, model = spec
    recording = Recording(kind, verb, actor_of(info))
    try:
        if model is None:
            key, ids = _discount(mutation_name, data)
            recording.before[key] = None if ids is None else {"segments": sorted(ids)}
        elif verb != "create":
            values = data["ids"] if "ids" in data else [data["id"]]
            for obj in model.objects.filter(pk__in=[_pk(model, v) for v in values]):
                recording.before[str(obj.pk)] = snapshot(obj)
                recording.names[str(obj.pk)] = obj.name
    except Exception:  # (a bad argument: perform refuses it with its own error)
        return None
    return recording


def finish(recording: Recording | None, mutation_name: str, data: dict, payload) -> None:
    if recording is None or getattr(payload, "errors", None):
        return
    try:
        with transaction.atomic():
            AdminEvent.objects.bulk_create(_events(recording, mutation_name, data, payload))
    except Exception:
        logger.exception("Could not log %s", mutation_name)


def _events(recording: Recording, mutation_name: str, data: dict, payload) -> list[AdminEvent]:
    kind, actor = recording.kind, recording.actor

    def event(object_id, name, action, before=None, after=None):
        return AdminEvent(object_type=kind, object_id=str(object_id), object_name=name[:255],
                          action=action, before=before, after=after, actor_kind=actor[0],
                          actor_id=actor[1], actor_name=actor[2][:255])

    if recording.verb == "limit":
        key, ids = _discount(mutation_name, data)
        before = recording.before.get(key)
        after = None if ids is None else {"segments": sorted(ids)}
        action = (Action.CREATED if before is None else
                  Action.DELETED if after is None or not ids else Action.UPDATED)
        return [event(key, key, action, before, after)]
    if recording.verb == "delete":
        return [event(pk, recording.names[pk], Action.DELETED, before=snap)
                for pk, snap in recording.before.items()]
    obj = next(value for value in vars(payload).values() if isinstance(value, tuple(NODE_TYPES)))
    if recording.verb == "create":
        return [event(obj.pk, obj.name, Action.CREATED, after=snapshot(obj))]
    if recording.verb == "refresh":
        run = getattr(payload, "refresh", None)
        return [event(obj.pk, obj.name, Action.REFRESHED, after={
            "definition_version": obj.definition_version,
            "refresh_run": run.pk if run is not None else None})]
    before, after = recording.before.get(str(obj.pk)), snapshot(obj)
    switch = "is_active" if isinstance(obj, MembershipSubscription) else "status"
    events = []
    if before is not None and before.get(switch) != after.get(switch):
        on = after[switch] is True or after[switch] == "active"
        events.append(event(obj.pk, obj.name, Action.ACTIVATED if on else Action.DEACTIVATED,
                            {switch: before[switch]}, {switch: after[switch]}))
    changed = {k for k in after if before is None or before.get(k) != after[k]} - {switch}
    if changed or not events:
        events.append(event(obj.pk, obj.name, Action.UPDATED, before, after))
    return events
