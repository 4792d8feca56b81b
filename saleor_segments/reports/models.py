"""Tables of reports and exports (imported by ``saleor_segments.models``)."""

import secrets

from django.db import models
from django.utils import timezone


def new_token() -> str:
    return secrets.token_urlsafe(32)


class ExportFile(models.Model):
    """An export of customers to a file, as Saleor's ``csv.ExportFile``: status, progress and
    message while a Celery task writes it; downloadable by its link until it expires."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCESS = "success", "Success"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Expired"

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"

    class Kind(models.TextChoices):
        MEMBERS = "members", "Members of a segment"
        REPORT = "report", "Segment report"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    file_format = models.CharField(max_length=8, choices=Format.choices)
    params = models.JSONField(default=dict, help_text="what is exported: segments, filter, sort")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    rows_written = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    message = models.TextField(blank=True, default="")
    file_name = models.CharField(max_length=255, blank=True, default="",
                                 help_text="path inside the export folder")
    token = models.CharField(max_length=64, default=new_token, editable=False)
    # who asked (Saleor staff user or app; standalone: the API token's name)
    user_id = models.IntegerField(null=True, blank=True)
    app_id = models.IntegerField(null=True, blank=True)
    requested_by = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField()

    class Meta:
        app_label = "saleor_segments"
        ordering = ("-pk",)
        indexes = [models.Index(fields=["expires_at"])]

    @property
    def progress(self) -> float:
        """Percent of the rows written (100 when done)."""
        if self.status == self.Status.SUCCESS:
            return 100.0
        if not self.rows_total:
            return 0.0
        return round(min(100.0, 100.0 * self.rows_written / self.rows_total), 1)

    @property
    def expired(self) -> bool:
        return self.status == self.Status.EXPIRED or self.expires_at <= timezone.now()


class AdminEvent(models.Model):
    """The action log: who changed a segment, a discount limit, a content block or a related
    product rule, and how. Objects are referenced by plain ids (no foreign key): the log is
    kept when they are deleted."""

    class ObjectType(models.TextChoices):
        SEGMENT = "segment", "Segment"
        DISCOUNT_LIMIT = "discount_limit", "Discount limit"
        CONTENT_BLOCK = "content_block", "Content block"
        RELATED_PRODUCT_RULE = "related_product_rule", "Related product rule"
        SEGMENT_SUBSCRIPTION = "segment_subscription", "Membership event subscription"

    class Action(models.TextChoices):
        CREATED = "created", "Created"
        UPDATED = "updated", "Changed"
        REFRESHED = "refreshed", "Refreshed"
        ACTIVATED = "activated", "Activated"
        DEACTIVATED = "deactivated", "Deactivated"
        DELETED = "deleted", "Deleted"

    object_type = models.CharField(max_length=32, choices=ObjectType.choices)
    object_id = models.CharField(max_length=64)
    object_name = models.CharField(max_length=255, blank=True, default="")
    action = models.CharField(max_length=16, choices=Action.choices)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    actor_kind = models.CharField(max_length=16, help_text="staff, app, token or system")
    actor_id = models.CharField(max_length=64, blank=True, default="")
    actor_name = models.CharField(max_length=255, blank=True, default="")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "saleor_segments"
        ordering = ("-at", "-pk")
        indexes = [models.Index(fields=["object_type", "object_id", "at"]),
                   models.Index(fields=["at"])]
