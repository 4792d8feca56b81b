"""Who is asking, as the GraphQL resolvers see it, and the permission checks they use."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from enum import Enum

from graphql import GraphQLError


class Permission(str, Enum):
    """Saleor's permissions the API checks (Saleor codes: account.manage_users, ...)."""

    MANAGE_USERS = "MANAGE_USERS"
    MANAGE_DISCOUNTS = "MANAGE_DISCOUNTS"


@dataclass(frozen=True)
class Requestor:
    """A staff user or app with permissions, a customer, or nobody (``kind``)."""

    kind: str = "anonymous"  # "staff", "app", "customer", "anonymous"
    customer_id: int | None = None  # customers (staff users also have one, unused)
    permissions: frozenset[Permission] = field(default_factory=frozenset)
    # who, for the action log and exports: a user's or app's id and email/name (standalone:
    # a fingerprint of the API token, never the token)
    actor_id: str = ""
    actor_name: str = ""

    def has(self, permission: Permission) -> bool:
        return permission in self.permissions


ANONYMOUS = Requestor()


@dataclass
class SegmentsContext:
    """``info.context`` of every resolver."""

    requestor: Requestor = ANONYMOUS
    request: object = None
    real_time: bool = True  # the plugin's "Real-time check" setting (activity re-checks)


class PermissionDenied(GraphQLError):
    code = "PermissionDenied"


def requestor(info) -> Requestor:
    return getattr(info.context, "requestor", ANONYMOUS)


def check_permissions(info, permissions) -> None:
    """PermissionDenied unless the requestor has one of ``permissions`` (as Saleor)."""
    if permissions and not any(requestor(info).has(p) for p in permissions):
        raise PermissionDenied("You need one of the following permissions: "
                               + ", ".join(p.value for p in permissions))


def permission_required(*permissions: Permission):
    """Resolver decorator: the requestor needs one of ``permissions``."""

    def decorator(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            check_permissions(args[1], permissions)
            return fn(*args, **kwargs)

        return wrapper

    return decorator
