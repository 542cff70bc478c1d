"""Bookable things and where they belong, with the rules coordinators edit.

A resource's rule values live here as data; the logic that applies them lives in
booking/rules.py.
"""

import datetime

from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import PageChooserPanel
from wagtail.models import Orderable, RevisionMixin
from wagtail.search import index


class Lab(index.Indexed, models.Model):
    """A lab of the facility. Its coordinators group edits the lab's pages and resources."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    coordinators = models.OneToOneField(
        Group,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coordinated_lab",
        help_text="Members of this group coordinate the lab.",
    )

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ResourceCategory(models.Model):
    """A kind of resource researchers filter by: microscopy, mass spectrometry, rooms …"""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "resource categories"

    def __str__(self) -> str:
        return self.name


class Resource(RevisionMixin, index.Indexed, ClusterableModel):
    """The bookable thing: an instrument, a room, or a bench with several seats."""

    class BillingBasis(models.TextChoices):
        BOOKED = "booked", _("Booked time")
        ACTUAL = "actual", _("Actual time (check-in to check-out)")

    class Status(models.TextChoices):
        UP = "up", _("Up")
        LIMITED = "limited", _("Limited")
        DOWN = "down", _("Down")

    # Not columns: the reads that can say it cheaply (the booking lock, the bookable filter)
    # set whether the resource has any quota or required policy, so that the rules skip the
    # look-up for what it lacks. None: not read with it, so the rules look.
    has_quotas: bool | None = None
    has_required_policies: bool | None = None
    has_questions: bool | None = None

    name = models.CharField(max_length=200)
    lab = models.ForeignKey(Lab, on_delete=models.PROTECT, related_name="resources")
    category = models.ForeignKey(
        ResourceCategory, on_delete=models.PROTECT, related_name="resources"
    )
    capacity = models.PositiveSmallIntegerField(
        default=1,
        help_text="How many bookings may overlap: 1 for an instrument, N for a bench of N seats.",
    )
    is_active = models.BooleanField(
        default=True, help_text="Inactive resources stay on record but cannot be booked."
    )

    # Booking rules, all in minutes unless named otherwise.
    granularity = models.PositiveSmallIntegerField(
        "booking granularity (minutes)",
        default=15,
        help_text="Bookings start and end on this step.",
    )
    min_duration = models.PositiveIntegerField("minimum duration (minutes)", default=15)
    max_duration = models.PositiveIntegerField(
        "maximum duration (minutes)", default=240, help_text="Over a day allows overnight bookings."
    )
    min_notice = models.PositiveIntegerField(
        "minimum notice (minutes)",
        default=0,
        help_text="How long before its start a booking can be made.",
    )
    horizon_days = models.PositiveSmallIntegerField(
        "booking horizon (days)", default=90, help_text="How far ahead bookings can be made."
    )
    buffer = models.PositiveSmallIntegerField(
        "turnaround buffer (minutes)", default=0, help_text="Kept free between two bookings."
    )
    max_future_bookings = models.PositiveSmallIntegerField(
        "maximum future bookings per user", null=True, blank=True, help_text="Empty for no limit."
    )
    allow_outside_hours = models.BooleanField(
        "allow bookings outside opening hours",
        default=False,
        help_text="Such bookings then need approval.",
    )
    cancellation_cutoff = models.PositiveIntegerField(
        "cancellation cut-off (hours)",
        default=24,
        help_text="Cancelling later than this before the start counts as a late cancellation.",
    )
    checkin_window = models.PositiveSmallIntegerField(
        "check-in window (minutes)",
        default=15,
        help_text="A booking not checked in this long after its start is released as a no-show.",
    )
    release_no_shows = models.BooleanField("release no-shows automatically", default=True)
    billing_basis = models.CharField(
        max_length=10, choices=BillingBasis.choices, default=BillingBasis.BOOKED
    )
    requires_qualification = models.BooleanField(
        default=False, help_text="Only users a coordinator has qualified may book."
    )

    # Whether it works now; set only through services.set_resource_status, which records the
    # outage that the booking rules read. Shown wherever the resource is.
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UP)
    status_note = models.CharField(
        max_length=300, blank=True, help_text="What is wrong, or what it cannot do for now."
    )
    expected_back = models.DateTimeField(null=True, blank=True)
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("lab_id"),
        index.FilterField("category_id"),
    ]

    class Meta:
        ordering = ["lab__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["lab", "name"], name="resource_unique_name_per_lab"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="resource_capacity_positive"),
            models.CheckConstraint(
                condition=Q(granularity__gte=1), name="resource_granularity_positive"
            ),
            models.CheckConstraint(
                condition=Q(max_duration__gte=models.F("min_duration")),
                name="resource_max_duration_covers_min",
                violation_error_message="The maximum duration must be at least the minimum.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_exclusive(self) -> bool:
        return self.capacity == 1


class OpeningHours(models.Model):
    """One interval of a weekday when the resource is open; a day may have several."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    resource = ParentalKey(Resource, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name_plural = "opening hours"
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")),
                name="opening_hours_close_after_open",
                violation_error_message="Closing time must be after opening time.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Quota(models.Model):
    """At most `hours` of booked time per user or per project in each week or month."""

    class Scope(models.TextChoices):
        USER = "user", _("Per user")
        PROJECT = "project", _("Per project")

    class Period(models.TextChoices):
        WEEK = "week", _("Per week")
        MONTH = "month", _("Per month")

    resource = ParentalKey(Resource, on_delete=models.CASCADE, related_name="quotas")
    scope = models.CharField(max_length=10, choices=Scope.choices)
    period = models.CharField(max_length=10, choices=Period.choices)
    hours = models.DecimalField(max_digits=6, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "scope", "period"], name="quota_unique_per_kind"
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="quota_hours_positive"),
        ]

    def __str__(self) -> str:
        scope = {"user": _("per user"), "project": _("per project")}[self.scope]
        period = {"week": _("per week"), "month": _("per month")}[self.period]
        return f"{self.hours} h {scope} {period}"


class Closure(models.Model):
    """A time the resource cannot be booked (holiday, shutdown); a lab-wide one has no resource."""

    lab = models.ForeignKey(
        Lab, null=True, blank=True, on_delete=models.CASCADE, related_name="closures"
    )
    resource = models.ForeignKey(
        Resource, null=True, blank=True, on_delete=models.CASCADE, related_name="closures"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="closure_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(lab__isnull=False) | Q(resource__isnull=False), name="closure_has_scope"
            ),
        ]

    def __str__(self) -> str:
        return self.reason


class MaintenanceWindow(models.Model):
    """Planned downtime of one resource. Saving one over bookings cancels them."""

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="maintenance_windows"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        "people.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="maintenance_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource}: {self.reason}"

    @property
    def duration(self) -> datetime.timedelta:
        return self.ends_at - self.starts_at


class Outage(models.Model):
    """A time the resource was, or is expected to be, down. Setting it down records one
    (ending at the expected return); bringing it back early ends it then. The booking rules
    refuse bookings within it, and utilisation counts it as neither available nor charged."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="outages")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=300)
    created_by = models.ForeignKey(
        "people.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["resource", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="outage_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource}: {self.reason}"


class RequiredPolicy(Orderable):
    """A policy page whose current published version a booker must have accepted."""

    resource = ParentalKey(Resource, on_delete=models.CASCADE, related_name="required_policies")
    policy = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("policy", "labpages.PolicyPage")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["resource", "policy"], name="required_policy_once")
        ]

    def __str__(self) -> str:
        return str(self.policy)
