"""The plugin's own tables. Saleor's rows are referenced by plain ids (no database foreign
keys into Saleor), so the app migrates the same inside Saleor and in standalone mode."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone

from .conditions import ApplyTo

APPLY_TO_CHOICES = [(a.value, a.name.replace("_", " ").capitalize()) for a in ApplyTo]


class Segment(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        INACTIVE = "inactive", "Inactive"

    name = models.CharField(max_length=255)
    description = models.TextField(blank=True, default="")
    channel_id = models.IntegerField(help_text="Saleor channel id")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    apply_to = models.CharField(max_length=32, choices=APPLY_TO_CHOICES,
                                default=ApplyTo.CUSTOMERS.value)
    conditions = models.JSONField(default=dict)
    definition_version = models.PositiveIntegerField(default=1)
    refreshed_version = models.PositiveIntegerField(default=0)
    last_refreshed_at = models.DateTimeField(null=True, blank=True)  # the time evaluated at
    changes_seen_at = models.DateTimeField(
        null=True, blank=True, help_text="the clock at the last refresh: changes to shoppers "
        "from then on are re-evaluated by the next incremental refresh")
    last_full_refresh_at = models.DateTimeField(null=True, blank=True)
    # how the last refresh evaluated it: "full: <why>" or "incremental: <n> shoppers"
    last_refresh_mode = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("pk",)
        indexes = [models.Index(fields=["channel_id", "status"])]

    def __str__(self):
        return self.name

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE


class CustomerMembership(models.Model):
    # no index of its own: the unique (segment, customer_id) constraint's index starts with it
    # (one index fewer to write on every join and leave)
    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="customers",
                                db_index=False)
    customer_id = models.IntegerField()
    joined_at = models.DateTimeField(default=timezone.now)
    definition_version = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["segment", "customer_id"],
                                               name="segments_customer_unique")]
        indexes = [models.Index(fields=["customer_id"])]


class VisitorMembership(models.Model):
    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="visitors",
                                db_index=False)  # the unique constraint's index starts with it
    checkout_token = models.UUIDField()
    joined_at = models.DateTimeField(default=timezone.now)
    definition_version = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["segment", "checkout_token"],
                                               name="segments_visitor_unique")]
        indexes = [models.Index(fields=["checkout_token"])]


class MembershipLog(models.Model):
    """Append-only: who joined or left a segment, when and why."""

    class Action(models.TextChoices):
        JOINED = "joined", "Joined"
        LEFT = "left", "Left"

    # kept after the segment is deleted; looked up by the (segment_id, at) index
    segment_id = models.BigIntegerField()
    customer_id = models.IntegerField(null=True, blank=True)
    checkout_token = models.UUIDField(null=True, blank=True)
    action = models.CharField(max_length=8, choices=Action.choices)
    at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=64)  # "refresh", "event:<name>", "segment_deleted", ...
    definition_version = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["segment_id", "at"]),
                   models.Index(fields=["customer_id", "at"])]


class CustomerField(models.Model):
    """A customer attribute or metadata key the merchant marks "use in customer segment"."""

    class Source(models.TextChoices):
        ATTRIBUTE = "attribute", "Customer attribute"
        METADATA = "metadata", "Metadata"
        PRIVATE_METADATA = "private_metadata", "Private metadata"

    class ValueType(models.TextChoices):
        STRING = "string", "Text"
        NUMBER = "number", "Number"
        DATE = "date", "Date"
        BOOLEAN = "boolean", "Yes/No"

    source = models.CharField(max_length=32, choices=Source.choices)
    key = models.CharField(max_length=255)
    label = models.CharField(max_length=255, blank=True, default="")
    value_type = models.CharField(max_length=16, choices=ValueType.choices)
    choices = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "key"],
                                               name="segments_customer_field_unique")]


class ProductView(models.Model):
    """A product page view recorded by the storefront (Saleor keeps no view history)."""

    customer_id = models.IntegerField(null=True, blank=True)
    checkout_token = models.UUIDField(null=True, blank=True)
    channel_id = models.IntegerField()
    product_id = models.IntegerField()
    variant_id = models.IntegerField(null=True, blank=True)
    viewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["customer_id", "viewed_at"]),
                   models.Index(fields=["checkout_token"]),
                   models.Index(fields=["viewed_at"]),
                   models.Index(fields=["product_id"])]  # who viewed a changed product


class WishlistItem(models.Model):
    """A product on a customer's wishlist (Saleor has no wishlist)."""

    customer_id = models.IntegerField()
    product_id = models.IntegerField()
    variant_id = models.IntegerField(null=True, blank=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["customer_id", "product_id", "variant_id"],
                                               name="segments_wishlist_unique",
                                               nulls_distinct=False)]
        indexes = [models.Index(fields=["added_at"]),  # incremental refresh: windows, changes
                   models.Index(fields=["product_id"])]  # who wishes for a changed product


class PendingRefresh(models.Model):
    """A channel whose segments need the combined refresh (``refresh_pending``): incremental
    when the shoppers who changed were recorded (ChangedShopper); ``full_segments`` evaluated
    fully when what changed is data many shoppers share (the catalogue, customer types,
    attributes: only the segments reading it); every segment fully (``full_refresh``) when
    nothing more is known."""

    channel_id = models.IntegerField(unique=True)
    requested_at = models.DateTimeField(default=timezone.now)
    full_refresh = models.BooleanField(default=True)
    full_segments = ArrayField(models.IntegerField(), default=list, blank=True)


class ChangedShopper(models.Model):
    """A shopper an event reported as changed: the next incremental refresh re-evaluates them
    (for changes Saleor's own timestamps do not show: addresses, attributes, gift cards,
    deletions). Kept for a day past the last full refresh, then pruned."""

    customer_id = models.IntegerField(null=True, blank=True)
    checkout_token = models.UUIDField(null=True, blank=True)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["at"])]


class ChangedProduct(models.Model):
    """A product an event reported as changed (Saleor's ``product_updated``, or an update of
    one of its variants): the next incremental refresh re-evaluates the shoppers holding it
    among the items a segment's product conditions read (ordered, in a cart, viewed,
    wishlisted). Pruned as ChangedShopper is."""

    product_id = models.IntegerField()
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["at"])]


class RefreshRun(models.Model):
    """One requested refresh of a segment: its progress and result (split refreshes run in
    parts on several workers and are committed as one change)."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        COMMITTING = "committing", "Committing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        STALE = "stale", "Stale (the segment changed meanwhile)"

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="refresh_runs")
    definition_version = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    evaluated_at = models.DateTimeField(help_text="the time every part evaluates conditions at")
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    parts = models.PositiveIntegerField(default=1)
    joined = models.PositiveIntegerField(null=True, blank=True)
    left = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ("-pk",)
        indexes = [models.Index(fields=["status", "requested_at"])]

    @property
    def parts_done(self) -> int:
        return self.part_set.filter(done_at__isnull=False).count()


class RefreshRunPart(models.Model):
    """One worker's share of a split refresh: the shoppers of one kind whose id is in
    [lo, hi) (no bounds: all of them). Its matches are staged until the run commits."""

    run = models.ForeignKey(RefreshRun, on_delete=models.CASCADE, related_name="part_set")
    number = models.PositiveIntegerField()
    subject = models.CharField(max_length=16)
    lo = models.BigIntegerField(null=True, blank=True)
    hi = models.BigIntegerField(null=True, blank=True)
    rows = models.PositiveIntegerField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("run", "number")
        constraints = [models.UniqueConstraint(fields=["run", "number"],
                                               name="segments_refresh_part_unique")]


class DiscountRestriction(models.Model):
    """A Saleor order promotion or voucher limited to members of some segments. The row itself
    marks the discount as restricted: with no (active) segments left, nobody gets it."""

    class Kind(models.TextChoices):
        PROMOTION = "promotion", "Order promotion"
        VOUCHER = "voucher", "Voucher"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    discount_id = models.CharField(max_length=64, help_text="Saleor promotion UUID or voucher id")
    segments = models.ManyToManyField(Segment, blank=True, related_name="discount_restrictions")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "discount_id"],
                                               name="segments_discount_restriction_unique")]


class ContentBlock(models.Model):
    """Dynamic content for a storefront placement, shown to members of its segments (no
    segments: to everyone), best priority first, between its dates."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        INACTIVE = "inactive", "Inactive"

    name = models.CharField(max_length=255)
    placement = models.SlugField(max_length=100, help_text="where the storefront shows it")
    content = models.JSONField(default=dict, blank=True, help_text="rich text / JSON")
    page_id = models.IntegerField(null=True, blank=True, help_text="or a Saleor page")
    priority = models.IntegerField(default=0)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    segments = models.ManyToManyField(Segment, blank=True, related_name="content_blocks")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-priority", "pk")
        indexes = [models.Index(fields=["placement", "status"])]


class RelatedProductRule(models.Model):
    """Which products to recommend beside a product, for members of its segments (no
    segments: everyone). ``applies_to`` and ``show`` are product condition groups."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        INACTIVE = "inactive", "Inactive"

    name = models.CharField(max_length=255)
    channel_id = models.IntegerField(help_text="Saleor channel id (product prices)")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    priority = models.IntegerField(default=0)
    applies_to = models.JSONField(default=dict, help_text="products the rule applies to")
    show = models.JSONField(default=dict, help_text="products to show")
    limit = models.PositiveIntegerField(default=4)
    segments = models.ManyToManyField(Segment, blank=True, related_name="related_product_rules")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-priority", "pk")


from .reports.models import AdminEvent, ExportFile  # noqa: E402,F401  (reports and exports)
from .webhooks.models import (  # noqa: E402,F401  (membership events)
    DeliveredChange,
    MembershipDelivery,
    MembershipSubscription,
    OutboxPosition,
)
