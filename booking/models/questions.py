"""Questions a resource asks its bookers, and the answers stored with each booking.

Questions are children of the resource, so they are edited and versioned with its other
rules. An answer keeps a copy of its question's wording and kind: editing or deleting a
question later never changes what a past booking says.
"""

from django.db import models
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable


class BookingQuestion(Orderable, ClusterableModel):
    """One question on the booking form of a resource."""

    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", "Short text"
        LONG_TEXT = "long_text", "Long text"
        NUMBER = "number", "Number"
        CHOICE = "choice", "Choice"
        YES_NO = "yes_no", "Yes / no"

    resource = ParentalKey("booking.Resource", on_delete=models.CASCADE, related_name="questions")
    text = models.CharField("question", max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SHORT_TEXT)
    required = models.BooleanField(default=True)
    help_text = models.CharField(max_length=300, blank=True)
    options = models.TextField(blank=True, help_text="Choice questions only: one option per line.")
    only_for_categories = models.JSONField(
        "only for bookers in these categories",
        default=list,
        blank=True,
        help_text="Leave empty to ask everyone.",
    )
    only_for_projects = ParentalManyToManyField(
        "people.Project",
        blank=True,
        related_name="+",
        verbose_name="only for bookings charged to these projects",
        help_text="Leave empty for every project.",
    )

    class Meta(Orderable.Meta):
        verbose_name = "booking question"

    def __str__(self) -> str:
        return self.text

    @property
    def option_list(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]


class BookingAnswer(models.Model):
    """A booker's answer to one question, with the question as it was asked."""

    booking = models.ForeignKey("booking.Booking", on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        BookingQuestion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    question_text = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=BookingQuestion.Kind.choices)
    value = models.TextField(
        blank=True, help_text="As the booker gave it: text, a number, an option, yes or no."
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "question"], name="booking_answer_once_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_text}: {self.value}"
