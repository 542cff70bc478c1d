"""Bookable things and where they belong: labs, resource categories, resources."""

from django.contrib.auth.models import Group
from django.db import models
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


class Resource(index.Indexed, models.Model):
    """The bookable thing: an instrument, a room, or a bench with several seats."""

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
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="resource_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name
