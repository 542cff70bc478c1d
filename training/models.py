"""Training on instruments: who asked for it, the sessions that give it, who attended and
was signed off at which level until when, and the history of every qualification change.

The qualification itself stays booking's `Qualification` (the booking rules and approval
rules read it); a sign-off here creates or renews it.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q


class TrainingPolicy(models.Model):
    """How long a sign-off on a resource lasts and how it is renewed."""

    class Renewal(models.TextChoices):
        REFRESHER = "refresher", "A shorter refresher session before it expires"
        RECENT_USE = "recent_use", "Recent use: a completed booking renews it"
        RETRAIN = "retrain", "The full training again"

    resource = models.OneToOneField(
        "booking.Resource", on_delete=models.CASCADE, related_name="training_policy"
    )
    valid_months = models.PositiveSmallIntegerField(
        default=12, help_text="How long a sign-off lasts; 0 for no expiry."
    )
    renewal = models.CharField(max_length=12, choices=Renewal.choices, default=Renewal.REFRESHER)
    recent_use_days = models.PositiveSmallIntegerField(
        default=90,
        help_text="With renewal by recent use: a booking completed within this many days "
        "before the expiry renews the qualification.",
    )
    session_minutes = models.PositiveSmallIntegerField(default=120)
    refresher_minutes = models.PositiveSmallIntegerField(default=60)
    description = models.TextField(
        blank=True, help_text="What the training covers, shown to people who request it."
    )

    class Meta:
        verbose_name_plural = "training policies"

    def __str__(self) -> str:
        return f"Training policy of {self.resource}"


class LabTrainers(models.Model):
    """The group of a lab's trainers ("Trainers · ⟨lab⟩"): told of requests, run sessions."""

    lab = models.OneToOneField("booking.Lab", on_delete=models.CASCADE, related_name="trainers")
    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="trains_lab")

    class Meta:
        verbose_name_plural = "lab trainers"

    def __str__(self) -> str:
        return self.group.name


class TrainingSession(models.Model):
    """A training session on one resource: its time is held by a booking of purpose
    "training" (`hold`), so that nobody books over it and it shows as busy."""

    class Kind(models.TextChoices):
        INDUCTION = "induction", "Training"
        REFRESHER = "refresher", "Refresher"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    resource = models.ForeignKey(
        "booking.Resource", on_delete=models.PROTECT, related_name="training_sessions"
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sessions_trained"
    )
    hold = models.OneToOneField(
        "booking.Booking", on_delete=models.PROTECT, related_name="training_session"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.INDUCTION)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    capacity = models.PositiveSmallIntegerField(default=4)
    open_to_requesters = models.BooleanField(
        "requesters may join", default=True,
        help_text="People waiting for training on the instrument may pick this session.",
    )  # fmt: skip
    note = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["resource", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.resource} at {self.starts_at:%Y-%m-%d %H:%M}"


class TrainingRequest(models.Model):
    """Someone asked to be trained on a resource."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a session"
        SCHEDULED = "scheduled", "In a session"
        SIGNED_OFF = "signed_off", "Signed off"
        NOT_SIGNED_OFF = "not_signed_off", "Attended, not signed off"
        WITHDRAWN = "withdrawn", "Withdrawn"

    OPEN = (Status.PENDING, Status.SCHEDULED)

    resource = models.ForeignKey(
        "booking.Resource", on_delete=models.CASCADE, related_name="training_requests"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_requests"
    )
    note = models.TextField("experience", blank=True)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.PENDING)
    session = models.ForeignKey(
        TrainingSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # One open request per person and instrument.
            models.UniqueConstraint(
                fields=["resource", "requester"],
                condition=Q(status__in=["pending", "scheduled"]),
                name="training_request_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.requester} on {self.resource} ({self.get_status_display()})"


class Attendance(models.Model):
    """One person in one session: invited or joined, attended or not, signed off or not."""

    class Level(models.TextChoices):
        SUPERVISED = "supervised", "Supervised"
        UNSUPERVISED = "unsupervised", "Unsupervised"

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_attendances"
    )
    attended = models.BooleanField(null=True)
    level = models.CharField(max_length=12, choices=Level.choices, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="attendance_once_per_session")
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.session}"


class QualificationRecord(models.Model):
    """History: each sign-off, renewal or lapse of someone's qualification on a resource, as
    it was then (the Qualification row itself only says how things stand now)."""

    class Action(models.TextChoices):
        SIGNED_OFF = "signed_off", "Signed off"
        RENEWED = "renewed", "Renewed"
        RENEWED_BY_USE = "renewed_by_use", "Renewed by recent use"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="qualification_records"
    )
    resource = models.ForeignKey("booking.Resource", on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=15, choices=Action.choices)
    unsupervised = models.BooleanField()
    expires_on = models.DateField(null=True, blank=True)
    previous_expiry = models.DateField(null=True, blank=True)
    session = models.ForeignKey(
        TrainingSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.user} on {self.resource}"
