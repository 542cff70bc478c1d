"""Reads behind the public pages: the filtered instrument listing and site search."""

from dataclasses import dataclass

from django.db.models import QuerySet
from wagtail.models import Page

from booking.models import Lab, ResourceCategory

from .models import InstrumentPage


@dataclass(frozen=True)
class InstrumentListing:
    instruments: QuerySet | list
    lab: Lab | None
    category: ResourceCategory | None
    text: str

    @property
    def is_filtered(self) -> bool:
        return bool(self.lab or self.category or self.text)


def instrument_listing(
    *, lab_slug: str = "", category_slug: str = "", text: str = ""
) -> InstrumentListing:
    """Live instruments, narrowed by lab and category slugs and a free-text query.

    Unknown slugs narrow to nothing rather than being ignored, so a stale link shows an
    empty, honest result.
    """
    instruments = (
        InstrumentPage.objects.live()
        .public()
        .select_related("resource__category", "resource__lab", "hero_image")
        .order_by("title")
    )
    lab = Lab.objects.filter(slug=lab_slug).first() if lab_slug else None
    category = (
        ResourceCategory.objects.filter(slug=category_slug).first() if category_slug else None
    )
    if lab_slug:
        instruments = instruments.filter(resource__lab=lab) if lab else instruments.none()
    if category_slug:
        instruments = (
            instruments.filter(resource__category=category) if category else instruments.none()
        )
    text = text.strip()[:200]
    if text:
        # Search indexes do not know related slugs: search within the filtered ids.
        ids = list(instruments.values_list("id", flat=True))
        instruments = (
            InstrumentPage.objects.filter(id__in=ids)
            .select_related("resource__category", "resource__lab", "hero_image")
            .search(text)
        )
    return InstrumentListing(instruments=instruments, lab=lab, category=category, text=text)


def site_search(text: str):
    """Live, public pages matching the text, best match first."""
    text = text.strip()[:200]
    if not text:
        return Page.objects.none()
    return Page.objects.live().public().specific().search(text)
