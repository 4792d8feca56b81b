"""Tables of membership events (imported by ``saleor_segments.models``): who is subscribed to
which segments' joins and leaves, and each delivery with its status."""

import secrets

from django.db import models
from django.utils import timezone

URL_MAX_LENGTH = 2048  # as Saleor's webhook target URLs


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class MembershipSubscription(models.Model):
    """A target URL (HMAC-signed with ``secret``) or a Saleor App (``app_id``: Saleor's JWS)
    told about joins and/or leaves of the segments ``segment_ids``."""

    name = models.CharField(max_length=255)
    target_url = models.URLField(max_length=URL_MAX_LENGTH)
    app_id = models.IntegerField(null=True, blank=True, help_text="Saleor App id")
    secret = models.CharField(max_length=128, blank=True, default="")
    # plain ids, no foreign key: a deleted segment's last leaves are still delivered
    segment_ids = models.JSONField(default=list, help_text="ids of the segments")
    on_join = models.BooleanField(default=True)
    on_leave = models.BooleanField(default=True)
    is_active = models.BooleanField(default=True)
    # the outbox position: every change of the log with a transaction id below it is either
    # in a delivery of this subscription or not for it (PostgreSQL xid8, as a number)
    position = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("pk",)

    def __str__(self):
        return self.name

    @property
    def actions(self) -> list[str]:
        return [a for a, on in (("joined", self.on_join), ("left", self.on_leave)) if on]


class MembershipDelivery(models.Model):
    """One POST carrying a batch of changes, with its attempts' outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCESS = "success", "Success"
        FAILED = "failed", "Failed"

    subscription = models.ForeignKey(MembershipSubscription, on_delete=models.CASCADE,
                                     related_name="deliveries")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    changes = models.JSONField(default=list, help_text="the payload's changes")
    change_ids = models.JSONField(default=list, help_text="ids of the membership log rows")
    attempts = models.PositiveIntegerField(default=0)
    response_code = models.IntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("pk",)
        indexes = [models.Index(fields=["subscription", "status", "id"],
                                name="segments_delivery_due")]


class DeliveredChange(models.Model):
    """A change of the log put into a delivery of a subscription: at most once."""

    subscription = models.ForeignKey(MembershipSubscription, on_delete=models.CASCADE,
                                     related_name="+")
    change_id = models.BigIntegerField()
    delivery = models.ForeignKey(MembershipDelivery, on_delete=models.CASCADE,
                                 related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subscription", "change_id"],
                                               name="segments_change_delivered_once")]


class OutboxPosition(models.Model):
    """How far a reader of the membership log other than a subscription has read (the
    private-metadata mirror): a transaction id, as ``MembershipSubscription.position``."""

    reader = models.CharField(max_length=64, unique=True)
    position = models.BigIntegerField(default=0)
