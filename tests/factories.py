"""factory-boy factories for people, labs and resources, and the Wagtail page tree."""

import datetime

import factory
import wagtail_factories
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils.text import slugify
from factory.django import DjangoModelFactory
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from booking.models import Lab, Resource, ResourceCategory
from labpages.models import (
    HomePage,
    InstrumentIndexPage,
    InstrumentPage,
    LabPage,
    PolicyPage,
)
from people.models import Department, Project, User

PASSWORD = "correct-horse-battery-staple"


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"dept-{n}")
    name = factory.Sequence(lambda n: f"Department {n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """`UserFactory(roles=[Role.FINANCE])` puts the user in those role groups."""
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))


class ProjectFactory(DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"CC-{n:04d}")
    name = factory.Sequence(lambda n: f"Project {n}")
    pi = factory.SubFactory(UserFactory)
    department = factory.SubFactory(DepartmentFactory)
    active_from = datetime.date(2025, 1, 1)
    active_to = None

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.add(*extracted)


class LabFactory(DjangoModelFactory):
    class Meta:
        model = Lab

    name = factory.Sequence(lambda n: f"Lab {n}")
    slug = factory.LazyAttribute(lambda lab: slugify(lab.name))


class ResourceCategoryFactory(DjangoModelFactory):
    class Meta:
        model = ResourceCategory

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.LazyAttribute(lambda category: slugify(category.name))


class ResourceFactory(DjangoModelFactory):
    class Meta:
        model = Resource

    name = factory.Sequence(lambda n: f"Instrument {n}")
    lab = factory.SubFactory(LabFactory)
    category = factory.SubFactory(ResourceCategoryFactory)
    capacity = 1


def ensure_tree_roots() -> Page:
    """The default locale, the root page and the root collection, created if missing.

    Transactional tests flush the tables that Wagtail's migrations filled, so page
    fixtures cannot rely on them.
    """
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if Collection.get_first_root_node() is None:
        Collection.add_root(instance=Collection(name="Root"))
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    return root


def make_default_site(root_page: Page) -> Site:
    """Point the one default site at `root_page`, replacing whatever site was there."""
    Site.objects.all().delete()
    return Site.objects.create(
        hostname="localhost", port=80, root_page=root_page, is_default_site=True
    )


class ImageFactory(wagtail_factories.ImageFactory):
    collection = factory.LazyFunction(Collection.get_first_root_node)


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "Core Research Facility"
    slug = "facility"
    heading = "Book the instruments you need"


class LabPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = LabPage

    lab = factory.SubFactory(LabFactory)
    title = factory.LazyAttribute(lambda page: page.lab.name)
    intro = "Shared instruments for everyone on campus."


def _resource_for(title: str, parent: Page | None) -> Resource:
    lab = getattr(parent.specific, "lab", None) if parent else None
    return ResourceFactory(name=title, lab=lab or LabFactory())


class InstrumentPageFactory(wagtail_factories.PageFactory):
    """An instrument page; its resource belongs to the parent lab page's lab."""

    class Meta:
        model = InstrumentPage

    title = factory.Sequence(lambda n: f"Instrument {n}")
    summary = "A well-maintained shared instrument."
    resource = factory.LazyAttribute(lambda page: _resource_for(page.title, page.parent))


class PolicyPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = PolicyPage

    title = factory.Sequence(lambda n: f"Policy {n}")
    summary = "What every user agrees to."
    body = "<p>Leave the instrument as you found it.</p>"


class InstrumentIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = InstrumentIndexPage

    title = "Instruments"
    slug = "instruments"
