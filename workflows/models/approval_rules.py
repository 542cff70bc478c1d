"""Approval rules: when a booking needs approval, and who approves it, step by step.

Coordinators edit these in the Wagtail admin (with revisions). Rules are tried in their
order; every matching rule is shown as a reason, and the first one decides the chain.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable, RevisionMixin


class ApprovalRule(RevisionMixin, ClusterableModel):
    class Match(models.TextChoices):
        ALL = "all", "All of the ticked conditions hold"
        ANY = "any", "Any of the ticked conditions holds"

    class Escalation(models.TextChoices):
        COORDINATORS = "coordinators", "Add the lab's coordinators as approvers"
        NEXT_STEP = "next_step", "Skip to the next step (coordinators after the last)"

    name = models.CharField(max_length=200, help_text="Shown to approvers as the reason.")
    lab = models.ForeignKey("booking.Lab", on_delete=models.CASCADE, related_name="approval_rules")
    is_active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(
        default=100, help_text="Rules are tried from the lowest number; the first match decides."
    )
    # Scope: the whole lab unless resources or categories are chosen.
    resources = ParentalManyToManyField(
        "booking.Resource",
        blank=True,
        related_name="+",
        help_text="Only these resources. Leave both this and categories empty for the whole lab.",
    )
    categories = ParentalManyToManyField("booking.ResourceCategory", blank=True, related_name="+")

    # Conditions.
    match = models.CharField(max_length=3, choices=Match.choices, default=Match.ANY)
    always = models.BooleanField("always", default=False, help_text="Every booking in scope.")
    first_booking = models.BooleanField("the booker's first booking on the resource", default=False)
    outside_opening_hours = models.BooleanField("outside opening hours", default=False)
    longer_than = models.PositiveIntegerField(
        "longer than (minutes)", null=True, blank=True, help_text="Empty to ignore length."
    )
    lacks_unsupervised_qualification = models.BooleanField(
        "the booker is not qualified to work unsupervised", default=False
    )
    booker_categories = models.JSONField(
        "the booker is in one of these categories", default=list, blank=True
    )
    cost_above = models.DecimalField(
        "estimated cost above",  # the form adds the facility's currency (labitory.money)
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Priced with the resource's rate card for the booker. Empty to ignore cost.",
    )
    answer_question = models.ForeignKey(
        "booking.BookingQuestion",
        verbose_name="the answer to the question",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A question of one of the lab's resources. Empty to ignore answers.",
    )
    answer_value = models.CharField(
        "is",
        max_length=200,
        blank=True,
        help_text='e.g. "2", "yes" or one of the options; compared without regard to case.',
    )

    # Time.
    reminder_after = models.PositiveSmallIntegerField("remind approvers after (hours)", default=24)
    escalate_after = models.PositiveSmallIntegerField(
        "escalate after (hours)", null=True, blank=True, default=72, help_text="Empty: never."
    )
    escalation = models.CharField(
        max_length=20, choices=Escalation.choices, default=Escalation.COORDINATORS
    )

    class Meta:
        ordering = ["lab__name", "order", "pk"]

    def __str__(self) -> str:
        return self.name


class ApprovalStep(Orderable, ClusterableModel):
    """One step of a rule's chain: who approves, and whether one of them or all must."""

    class Approvers(models.TextChoices):
        GROUP = "group", "Members of a group"
        USERS = "users", "Named people"
        SUPERVISOR = "supervisor", "The booker's supervisor"
        PROJECT_PI = "project_pi", "The project's PI"

    rule = ParentalKey(ApprovalRule, on_delete=models.CASCADE, related_name="steps")
    label = models.CharField(max_length=100, blank=True, help_text='e.g. "PI", "Lab manager".')
    approvers = models.CharField(max_length=20, choices=Approvers.choices, default=Approvers.GROUP)
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.PROTECT)
    users = ParentalManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    needs_all = models.BooleanField(
        "all must approve", default=False, help_text="Otherwise one approval completes the step."
    )

    def __str__(self) -> str:
        return self.label or self.get_approvers_display()
