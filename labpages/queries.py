"""Reads behind the public pages: the filtered instrument listing, site search, and which
instruments require a policy."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import translation
from wagtail.models import Locale, Page

from booking.models import Lab, Resource, ResourceCategory

from .models import InstrumentPage, PolicyPage


@dataclass(frozen=True)
class InstrumentListing:
    instruments: QuerySet | list
    lab: Lab | None
    category: ResourceCategory | None
    text: str

    @property
    def is_filtered(self) -> bool:
        return bool(self.lab or self.category or self.text)


def in_reader_language(pages: QuerySet) -> QuerySet:
    """Each page once: its live translation in the active language where it has one, else
    the page in the default language (pages of other languages left out)."""
    default = Locale.get_default()
    active = Locale.objects.filter(language_code=translation.get_language()).first()
    if active is None or active.pk == default.pk:
        return pages.filter(locale=default)
    translated = pages.filter(locale=active).values("translation_key")
    return pages.filter(Q(locale=active) | Q(locale=default) & ~Q(translation_key__in=translated))


def instrument_listing(
    *, lab_slug: str = "", category_slug: str = "", text: str = ""
) -> InstrumentListing:
    """Live instruments, narrowed by lab and category slugs and a free-text query.

    Unknown slugs narrow to nothing rather than being ignored, so a stale link shows an
    empty, honest result.
    """
    instruments = (
        in_reader_language(InstrumentPage.objects.live().public())
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


@dataclass(frozen=True)
class RequiringInstrument:
    name: str
    url: str | None  # its live instrument page, if it has one


def instruments_requiring(policy: PolicyPage) -> list[RequiringInstrument]:
    """The active resources whose bookers must accept the policy first, by name, each with
    its live instrument page's address when it has one. One query."""
    resources = (
        Resource.objects.filter(is_active=True, required_policies__policy_id=policy.pk)
        .select_related("page")
        .order_by("name")
    )
    return [
        RequiringInstrument(
            resource.name,
            page.url if (page := getattr(resource, "page", None)) and page.live else None,
        )
        for resource in resources
    ]
