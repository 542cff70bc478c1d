"""The facility's public pages: home, labs, instruments, policies, and site settings.

Pages present domain objects (booking.Lab, booking.Resource); the domain never imports
pages.
"""

import operator
import zoneinfo
from functools import reduce

from django.core.paginator import Paginator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Orderable, Page
from wagtail.search import index
from wagtail_localize.fields import get_translatable_fields

from booking.models import Lab, RequiredPolicy, ResourceCategory

from .blocks import InstrumentBodyBlock

TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


@register_setting(icon="cog")
class FacilitySettings(BaseSiteSetting):
    """What the facility calls itself and how to reach it; its zone for showing times."""

    facility_name = models.CharField(max_length=120, default="Labitory Research Facility")
    tagline = models.CharField(max_length=200, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    time_zone = models.CharField(
        max_length=64,
        choices=TIME_ZONE_CHOICES,
        default="Europe/London",
        help_text="Times are stored in UTC and shown in this zone.",
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("facility_name"), FieldPanel("tagline"), FieldPanel("logo")], "Identity"
        ),
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("contact_phone"), FieldPanel("address")],
            "Contact",
        ),
        FieldPanel("time_zone"),
    ]

    class Meta:
        verbose_name = "facility settings"


class HomePage(Page):
    """The facility's front door: search, labs and featured instruments."""

    heading = models.CharField(max_length=200, default="Book the instruments you need")
    intro = models.TextField(blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("heading"),
        FieldPanel("intro"),
        InlinePanel("featured_instruments", label="Featured instrument", max_num=6),
    ]
    subpage_types = ["labpages.LabPage", "labpages.InstrumentIndexPage", "labpages.PolicyPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        labs = list(LabPage.objects.child_of(self).live().public())
        counts = instrument_counts(labs)
        for lab in labs:
            lab.instrument_count = counts.get(lab.path, 0)
        context["labs"] = labs
        featured = self.featured_instruments.select_related(
            "instrument__resource__category", "instrument__resource__lab", "instrument__hero_image"
        )
        context["featured"] = [
            item.instrument for item in featured if item.instrument and item.instrument.live
        ]
        context["instrument_index"] = InstrumentIndexPage.objects.child_of(self).live().first()
        return context


def instrument_counts(labs: list["LabPage"]) -> dict[str, int]:
    """Live instruments under each lab page, keyed by the lab page's tree path (one query)."""
    if not labs:
        return {}
    depth = labs[0].depth + 1
    paths = (
        InstrumentPage.objects.live()
        .public()
        .filter(reduce(operator.or_, (Q(path__startswith=lab.path) for lab in labs)), depth=depth)
        .values_list("path", flat=True)
    )
    counts: dict[str, int] = {}
    for path in paths:
        parent = path[: len(path) - InstrumentPage.steplen]
        counts[parent] = counts.get(parent, 0) + 1
    return counts


class HomeFeaturedInstrument(Orderable):
    home = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_instruments")
    instrument = models.ForeignKey(
        "labpages.InstrumentPage", on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("instrument")]


class LabPage(Page):
    """A lab: what it does, where it is, who to ask; its instruments and policies below it.

    Only the page in the default language holds the lab (one page per lab); its translations
    present the same lab (`presented`), so copies and translations never take it."""

    def get_context(self, request, *args, **kwargs):
        presented(self, "lab")
        return super().get_context(request, *args, **kwargs)

    lab = models.OneToOneField(
        Lab,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="page",
        help_text="The lab record this page presents; its coordinators group edits this page.",
    )
    intro = models.CharField(max_length=300, blank=True, help_text="One sentence for listings.")
    description = RichTextField(blank=True)
    building = models.CharField(max_length=120, blank=True)
    room = models.CharField(max_length=60, blank=True)
    address = models.TextField(blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Where this lab's images and documents live.",
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("description"),
        index.SearchField("building"),
    ]
    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("building"), FieldPanel("room")]), FieldPanel("address")],
            "Location",
        ),
        MultiFieldPanel([FieldPanel("contact_email"), FieldPanel("contact_phone")], "Contact"),
        InlinePanel("contacts", label="Contact person"),
    ]
    settings_panels = [FieldPanel("lab"), *Page.settings_panels]
    parent_page_types = ["labpages.HomePage"]
    subpage_types = ["labpages.InstrumentPage", "labpages.PolicyPage"]
    exclude_fields_in_copy = ["lab", "collection"]

    @cached_property
    def instruments(self):
        return (
            InstrumentPage.objects.child_of(self)
            .live()
            .public()
            .select_related("resource__category", "hero_image")
        )

    @cached_property
    def policies(self):
        """The lab's live policies, each marked `required` when some resource requires it."""
        required = RequiredPolicy.objects.filter(
            policy__translation_key=OuterRef("translation_key"), resource__is_active=True
        )
        return PolicyPage.objects.child_of(self).live().public().annotate(required=Exists(required))

    @cached_property
    def coordinators(self):
        if not self.lab or not self.lab.coordinators:
            return []
        listed = {email.lower() for email in self.contacts.values_list("email", flat=True) if email}
        people = self.lab.coordinators.user_set.filter(is_active=True)
        return [user for user in people if user.email.lower() not in listed]

    @property
    def location(self) -> str:
        return ", ".join(part for part in (self.room, self.building) if part)


class LabContact(Orderable):
    lab_page = ParentalKey(LabPage, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=120, blank=True, help_text="e.g. Lab manager")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("role")]),
        FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]),
    ]


class PolicyPage(Page):
    """A facility or lab policy. Its live revision is the version a researcher accepts."""

    summary = models.CharField(max_length=300, blank=True)
    body = RichTextField(features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])

    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    parent_page_types = ["labpages.HomePage", "labpages.LabPage"]
    subpage_types: list[str] = []

    @property
    def current_version_id(self) -> int | None:
        """The revision a researcher accepts: the one currently published."""
        return self.live_revision_id

    @cached_property
    def required_before_booking(self) -> list:
        """The instruments whose bookers must accept this policy first, by name.

        The one source of truth is each resource's required policies (set with its booking
        rules, where the booking rules check them); the page only reports it.
        """
        from .queries import instruments_requiring

        return instruments_requiring(self)


class InstrumentIndexPage(Page):
    """Every instrument of the facility, filtered by lab, category and free text."""

    intro = models.TextField(blank=True)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["labpages.HomePage"]
    subpage_types: list[str] = []
    max_count = 1
    per_page = 12

    def get_context(self, request, *args, **kwargs):
        from .queries import instrument_listing

        context = super().get_context(request, *args, **kwargs)
        listing = instrument_listing(
            lab_slug=request.GET.get("lab", ""),
            category_slug=request.GET.get("category", ""),
            text=request.GET.get("q", ""),
        )
        page = Paginator(listing.instruments, self.per_page).get_page(request.GET.get("page"))
        context.update(
            listing=listing,
            instruments=page,
            labs=Lab.objects.filter(page__live=True),
            categories=ResourceCategory.objects.filter(resources__page__live=True).distinct(),
        )
        return context


class InstrumentPage(Page):
    """The canonical page of one bookable resource. Its translations present the same
    resource (`presented`) without holding it, as a copy of the page does not."""

    def get_context(self, request, *args, **kwargs):
        presented(self, "resource")
        return super().get_context(request, *args, **kwargs)

    resource = models.OneToOneField(
        "booking.Resource",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="page",
        help_text="The bookable record this page presents (one page per resource).",
    )
    summary = models.CharField(
        max_length=300, blank=True, help_text="One or two sentences for listings."
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = StreamField(InstrumentBodyBlock(), blank=True, use_json_field=True)
    location = models.CharField(max_length=200, blank=True, help_text="Building and room.")
    contact_name = models.CharField(max_length=120, blank=True)
    contact_email = models.EmailField(blank=True)

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("location"),
        index.RelatedFields("resource", [index.SearchField("name")]),
    ]
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("location"),
                FieldRowPanel([FieldPanel("contact_name"), FieldPanel("contact_email")]),
            ],
            "Where and who",
        ),
    ]
    settings_panels = [FieldPanel("resource"), *Page.settings_panels]
    parent_page_types = ["labpages.LabPage"]
    subpage_types: list[str] = []
    exclude_fields_in_copy = ["resource"]

    @cached_property
    def lab_page(self) -> LabPage | None:
        return LabPage.objects.parent_of(self).first()

    @cached_property
    def policies(self) -> list[PolicyPage]:
        """The live policies the resource requires (set on the resource, with its rules)."""
        if self.resource_id is None:
            return []
        ids = self.resource.required_policies.values_list("policy_id", flat=True)
        by_id = PolicyPage.objects.live().in_bulk(list(ids))
        return [by_id[pk] for pk in ids if pk in by_id]


def keep_records_out_of_translations() -> None:
    """Translations (wagtail-localize) hold neither the lab nor the resource, as copies do
    not: the page in the default language does, and `presented()` lends it to its
    translations while they are shown. Called once the models are ready (apps.py)."""
    for model in (LabPage, InstrumentPage):
        kept = [
            field
            for field in get_translatable_fields(model)
            if field.field_name not in model.exclude_fields_in_copy
        ]
        model.translatable_fields = kept


def presented(page: Page, field: str) -> None:
    """A translation shows its source page's lab or resource (in memory, never saved)."""
    if getattr(page, f"{field}_id") is not None or page.locale_id == Locale.get_default().pk:
        return
    source = page.get_translation_or_none(Locale.get_default())
    if source is not None:
        setattr(page, field, getattr(source.specific, field))
