"""Subscribing to membership events: validation first, then one write. A new (or re-activated)
subscription hears of changes from now on, not of the log's history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from ..models import Segment
from ..services.problems import Problem, ProblemsError
from .models import URL_MAX_LENGTH, MembershipDelivery, MembershipSubscription, new_secret
from .outbox import horizon
from .transport import get_host

ACTIONS = ("joined", "left")
NAME_MAX_LENGTH = MembershipSubscription._meta.get_field("name").max_length


class SubscriptionError(ProblemsError):
    """A subscription change refused (nothing written)."""


@dataclass
class Created:
    subscription: MembershipSubscription
    secret: str  # shown once ("" for an App: Saleor signs)


def create_subscription(*, name: str, target_url: str, segment_ids: list[int],
                        actions: tuple[str, ...] | list[str] = ACTIONS,
                        app_id: int | None = None, is_active: bool = True) -> Created:
    actions = list(actions)
    problems = _check(name=name, target_url=target_url, segment_ids=segment_ids,
                      actions=actions, app_id=app_id)
    if problems:
        raise SubscriptionError(problems)
    secret = "" if app_id is not None else new_secret()
    subscription = MembershipSubscription.objects.create(
        name=name.strip(), target_url=target_url, app_id=app_id, secret=secret,
        segment_ids=sorted(set(segment_ids)), on_join="joined" in actions,
        on_leave="left" in actions, is_active=is_active, position=horizon(include_own=True))
    return Created(subscription, secret)


def update_subscription(subscription: MembershipSubscription, *, rotate_secret: bool = False,
                        **changes) -> Created:
    """Changes given fields (``name``, ``target_url``, ``segment_ids``, ``actions``,
    ``is_active``); ``rotate_secret`` makes a new secret, returned once."""
    current = {"name": subscription.name, "target_url": subscription.target_url,
               "actions": subscription.actions, "app_id": subscription.app_id,
               "segment_ids": None}  # kept ones are not checked (one may be deleted since)
    given = {k: v for k, v in changes.items() if v is not None}
    problems = _check(**{**current, **{k: v for k, v in given.items() if k != "is_active"}})
    if rotate_secret and subscription.app_id is not None:
        problems.append(Problem("rotateSecret", "invalid",
                                "An App's deliveries are signed by Saleor: no secret."))
    if problems:
        raise SubscriptionError(problems)
    secret = ""
    with transaction.atomic():
        if "name" in given:
            subscription.name = given["name"].strip()
        if "target_url" in given:
            subscription.target_url = given["target_url"]
        if "actions" in given:
            subscription.on_join = "joined" in given["actions"]
            subscription.on_leave = "left" in given["actions"]
        if given.get("is_active") is True and not subscription.is_active:
            subscription.position = horizon(include_own=True)  # what happened while off is not sent
        if "is_active" in given:
            subscription.is_active = given["is_active"]
        if rotate_secret:
            subscription.secret = secret = new_secret()
        if "segment_ids" in given:
            subscription.segment_ids = sorted(set(given["segment_ids"]))
        subscription.save()
    return Created(subscription, secret)


def delete_subscription(subscription: MembershipSubscription) -> None:
    subscription.delete()  # its deliveries go with it


def prune_deliveries(older_than_days: int) -> int:
    """Delete deliveries sent or given up more than ``older_than_days`` ago (pending ones stay,
    however old). Their changes are behind the subscription's position: never sent again."""
    cutoff = timezone.now() - dt.timedelta(days=older_than_days)
    deleted, _ = MembershipDelivery.objects.filter(
        status__in=[MembershipDelivery.Status.SUCCESS, MembershipDelivery.Status.FAILED],
        created_at__lt=cutoff).delete()
    return deleted


def redeliver(delivery: MembershipDelivery) -> MembershipDelivery:
    """A failed delivery goes out again (same changes, attempts from zero)."""
    if delivery.status != MembershipDelivery.Status.FAILED:
        raise SubscriptionError([Problem("id", "invalid",
                                         "Only a failed delivery can be sent again.")])
    MembershipDelivery.objects.filter(pk=delivery.pk).update(
        status=MembershipDelivery.Status.PENDING, attempts=0, last_error="",
        response_code=None, next_attempt_at=delivery.created_at)
    delivery.refresh_from_db()
    return delivery


def _check(*, name: str, target_url: str, segment_ids: list[int] | None, actions: list[str],
           app_id: int | None) -> list[Problem]:
    """Problems of the given values; ``segment_ids`` None: not given (not checked)."""
    problems = []
    if not (name or "").strip():
        problems.append(Problem("name", "required", "Give the subscription a name."))
    elif len(name.strip()) > NAME_MAX_LENGTH or not name.isprintable():
        problems.append(Problem("name", "invalid", f"At most {NAME_MAX_LENGTH} printable "
                                                   "characters."))
    problems += _check_url(target_url)
    if segment_ids is None:
        pass
    elif not segment_ids:
        problems.append(Problem("segments", "required", "Choose at least one segment."))
    else:
        missing = set(segment_ids) - set(Segment.objects.filter(
            pk__in=segment_ids).values_list("pk", flat=True))
        if missing:
            problems.append(Problem("segments", "not_found",
                                    f"No such segment: {sorted(missing)}."))
    if not actions or set(actions) - set(ACTIONS):
        problems.append(Problem("events", "required" if not actions else "invalid",
                                "Choose joins, leaves or both."))
    if app_id is not None and get_host().app_name(app_id) is None:
        problems.append(Problem("app", "not_found", "No such active Saleor App."))
    return problems


def _check_url(url: str) -> list[Problem]:
    if not url:
        return [Problem("targetUrl", "required", "Give the URL deliveries are POSTed to.")]
    try:
        parts = urlsplit(url)
        valid = (parts.scheme in ("http", "https") and bool(parts.hostname)
                 and len(url) <= URL_MAX_LENGTH and url.isprintable() and " " not in url)
        parts.port  # noqa: B018  (a port out of range raises ValueError)
    except ValueError:
        valid = False
    if not valid:
        return [Problem("targetUrl", "invalid",
                        f"An http(s) URL of at most {URL_MAX_LENGTH} characters.")]
    if parts.username or parts.password:
        return [Problem("targetUrl", "invalid", "No credentials in the URL (the deliveries "
                                                "are signed).")]
    return []
