"""The demo facility that `manage.py seed_demo` builds from `demo.content`.

This module owns turning that data into records: the facility settings, the default
site's page tree (home, instrument index, lab, instrument and policy pages, documents),
labs, resource categories and resources, departments, one demo user per role, and
projects. Every record is looked up by its natural key (a slug, a code, an email address)
first; what exists is left exactly as it is, so the seed is safe to run again, also after
editors have changed the demo pages. Run it inside one transaction.
"""

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from textwrap import dedent
from typing import Any, TypeVar

from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.documents import get_document_model
from wagtail.documents.models import AbstractDocument
from wagtail.models import Collection, Page, Site
from wagtail.rich_text import RichText
from wagtail.utils.file import hash_filelike

from booking.models import Lab, OpeningHours, RequiredPolicy, Resource, ResourceCategory
from labpages.models import (
    FacilitySettings,
    HomeFeaturedInstrument,
    HomePage,
    InstrumentIndexPage,
    InstrumentPage,
    LabContact,
    LabPage,
    PolicyPage,
)
from labpages.services import grant_lab_editing
from people import two_factor
from people.models import Department, Project, User
from people.roles import Role

from . import content, german
from .approvals import seed_demo_approvals
from .billing import seed_demo_billing
from .bookings import seed_demo_bookings
from .operations import seed_demo_operations
from .training import seed_demo_training

Data = Mapping[str, Any]
ModelT = TypeVar("ModelT", bound=models.Model)
PageT = TypeVar("PageT", bound=Page)


class DemoConflict(Exception):
    """A natural key of the demo is taken by a record of another kind."""


@dataclass(frozen=True)
class DemoLogin:
    label: str
    email: str
    password: str
    authenticator_key: str = ""


@dataclass
class SeedReport:
    """What one run created, what it found already there, and how to sign in."""

    created: Counter[str] = field(default_factory=Counter)
    existing: Counter[str] = field(default_factory=Counter)
    kinds: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    logins: list[DemoLogin] = field(default_factory=list)

    def note(self, kind: str, *, created: bool, count: int = 1) -> None:
        if kind not in self.kinds:
            self.kinds.append(kind)
        (self.created if created else self.existing)[kind] += count


def seed_demo_facility(language: str = "") -> SeedReport:
    """Create whatever part of the demo facility is missing; change nothing that exists.
    `language` "de": a German facility (demo/german.py): German settings when they are new,
    German translations of the pages, and the new demo people speaking German."""
    report = SeedReport()
    home, home_is_new = ensure_home_page(report)
    site = ensure_default_site(home, report)
    ensure_facility_settings(site, report, german.FACILITY if language == german.LANGUAGE else {})
    categories = {data["slug"]: ensure_category(data, report) for data in content.CATEGORIES}
    ensure_instrument_index(home, report)
    facility_policies = {
        data["slug"]: ensure_policy(home, data, report) for data in content.FACILITY_POLICIES
    }
    labs: dict[str, Lab] = {}
    instruments: dict[str, InstrumentPage] = {}
    for data in content.LABS:
        labs[data["slug"]], lab_instruments = ensure_lab(
            home, data, categories, facility_policies, report
        )
        instruments.update(lab_instruments)
    if home_is_new:
        publish_new_home(home, instruments)
    if language == german.LANGUAGE:
        report.note("German pages", created=True, count=german.translate_pages(home))
    departments = {data["code"]: ensure_department(data, report) for data in content.DEPARTMENTS}
    users = ensure_users(departments, labs, report, language)
    for data in content.PROJECTS:
        ensure_project(data, users, departments, report)
    report.note("bookings", created=True, count=seed_demo_bookings())
    report.note("approval requests", created=True, count=seed_demo_approvals())
    report.note("training sessions", created=True, count=seed_demo_training())
    for kind, count in seed_demo_billing().items():
        report.note(kind, created=True, count=count)
    report.events.extend(seed_demo_operations())
    return report


# Generic look-ups


def find_or_create(
    model: type[ModelT],
    values: Data,
    *,
    keys: Iterable[tuple[str, ...]],
    kind: str,
    report: SeedReport,
) -> ModelT:
    """The first row matching one of the unique `keys` of `values`, else a new row."""
    for key in keys:
        found = model._default_manager.filter(**{name: values[name] for name in key}).first()
        if found is not None:
            report.note(kind, created=False)
            return found
    report.note(kind, created=True)
    return model._default_manager.create(**values)


def existing_child(parent: Page, slug: str, page_class: type[PageT]) -> PageT | None:
    """The child of `parent` with this slug, provided it is a `page_class` page."""
    child = parent.get_children().filter(slug=slug).first()
    if child is None:
        return None
    specific = child.specific
    if not isinstance(specific, page_class):
        raise DemoConflict(
            f"The slug {slug!r} under {parent.title!r} is taken by a "
            f"{type(specific).__name__}, where the demo needs a {page_class.__name__}."
        )
    return specific


def publish(page: Page) -> None:
    page.save_revision().publish()


def compact_html(html: str) -> str:
    """HTML written across indented lines, as one line without whitespace between tags."""
    return re.sub(r">\s+<", "><", " ".join(html.split()))


# The home page and the site


def ensure_home_page(report: SeedReport) -> tuple[HomePage, bool]:
    """The facility's HomePage; a new one is created unpublished (see publish_new_home)."""
    home = find_home_page()
    if home is not None:
        report.note("home page", created=False)
        return home, False
    root = Page.get_first_root_node()
    if remove_default_welcome_page(root):
        report.events.append("Removed Wagtail's default welcome page.")
    home = HomePage(
        title=content.HOME["title"],
        slug=free_slug(root, content.HOME["slug"]),
        heading=content.HOME["heading"],
        intro=content.HOME["intro"],
    )
    root.add_child(instance=home)
    report.note("home page", created=True)
    return home, True


def find_home_page() -> HomePage | None:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific
    return HomePage.objects.order_by("path").first()


def remove_default_welcome_page(root: Page) -> bool:
    """Delete Wagtail's initial page, but only while nobody has edited it or built on it."""
    welcome = (
        root.get_children()
        .filter(
            title=content.WAGTAIL_WELCOME_TITLE,
            content_type=ContentType.objects.get_for_model(Page),
        )
        .first()
    )
    if welcome is None or welcome.get_children().exists() or welcome.revisions.exists():
        return False
    # A site's root page cascades on delete: park the sites on the tree root first.
    Site.objects.filter(root_page=welcome).update(root_page=root)
    welcome.delete()
    return True


def free_slug(parent: Page, slug: str) -> str:
    taken = set(parent.get_children().values_list("slug", flat=True))
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    return candidate


def ensure_default_site(home: HomePage, report: SeedReport) -> Site:
    """The default site, pointed at the home page unless it already shows a HomePage."""
    site = (
        Site.objects.filter(is_default_site=True).first()
        or Site.objects.filter(**content.SITE).first()
    )
    if site is None:
        report.note("site", created=True)
        return Site.objects.create(
            **content.SITE,
            root_page=home,
            is_default_site=True,
            site_name=content.FACILITY["facility_name"],
        )
    report.note("site", created=False)
    if not isinstance(site.root_page.specific, HomePage):
        site.root_page = home
        site.save(update_fields=["root_page"])
        report.events.append(f"Pointed the site {site.hostname}:{site.port} at the home page.")
    return site


def ensure_facility_settings(
    site: Site, report: SeedReport, overrides: Mapping[str, str]
) -> FacilitySettings:
    """The demo's name and contacts, unless someone has already filled in the settings."""
    settings, created = FacilitySettings.objects.get_or_create(site=site)
    fill = created or has_default_values(settings)
    if fill:
        for name, value in {**content.FACILITY, **overrides}.items():
            setattr(settings, name, value)
        settings.save()
    report.note("facility settings", created=fill)
    return settings


def has_default_values(settings: FacilitySettings) -> bool:
    """True for settings saved untouched (a page view creates them on first use)."""
    return settings.logo_id is None and all(
        getattr(settings, name) == FacilitySettings._meta.get_field(name).get_default()
        for name in content.FACILITY
    )


def publish_new_home(home: HomePage, instruments: Mapping[str, InstrumentPage]) -> None:
    """First revision of a new home page, featuring instruments now that they exist."""
    home = HomePage.objects.get(pk=home.pk)
    home.featured_instruments = [
        HomeFeaturedInstrument(instrument=instruments[slug])
        for slug in content.FEATURED_INSTRUMENTS
        if slug in instruments
    ]
    publish(home)


def ensure_instrument_index(home: HomePage, report: SeedReport) -> InstrumentIndexPage:
    index = InstrumentIndexPage.objects.first() or existing_child(
        home, content.INSTRUMENT_INDEX["slug"], InstrumentIndexPage
    )
    if index is not None:
        report.note("instrument index page", created=False)
        return index
    index = InstrumentIndexPage(**content.INSTRUMENT_INDEX)
    home.add_child(instance=index)
    publish(index)
    report.note("instrument index page", created=True)
    return index


def ensure_policy(parent: Page, data: Data, report: SeedReport) -> PolicyPage:
    policy = existing_child(parent, data["slug"], PolicyPage)
    if policy is not None:
        report.note("policy pages", created=False)
        return policy
    policy = PolicyPage(
        title=data["title"],
        slug=data["slug"],
        summary=data["summary"],
        body=compact_html(data["body"]),
    )
    parent.add_child(instance=policy)
    publish(policy)
    report.note("policy pages", created=True)
    return policy


# Labs and their instruments


def ensure_category(data: Data, report: SeedReport) -> ResourceCategory:
    return find_or_create(
        ResourceCategory,
        data,
        keys=[("slug",), ("name",)],
        kind="resource categories",
        report=report,
    )


def ensure_lab(
    home: HomePage,
    data: Data,
    categories: Mapping[str, ResourceCategory],
    facility_policies: Mapping[str, PolicyPage],
    report: SeedReport,
) -> tuple[Lab, dict[str, InstrumentPage]]:
    """A lab record, its page with editing rights, its policies and its instruments."""
    lab = find_or_create(
        Lab,
        {"name": data["name"], "slug": data["slug"]},
        keys=[("slug",), ("name",)],
        kind="labs",
        report=report,
    )
    page, is_new = ensure_lab_page(home, lab, data, report)
    grant_lab_editing(page)
    if is_new:
        # After granting, so that the first revision records the lab's collection.
        publish(page)
    policies = {**facility_policies}
    for policy_data in data["policies"]:
        policies[policy_data["slug"]] = ensure_policy(page, policy_data, report)
    instruments = {
        item["slug"]: ensure_instrument(page, lab, item, categories, policies, report)
        for item in data["instruments"]
    }
    return lab, instruments


def ensure_lab_page(
    home: HomePage, lab: Lab, data: Data, report: SeedReport
) -> tuple[LabPage, bool]:
    """The lab's page, found by its lab or its slug; a new one is left unpublished."""
    page = LabPage.objects.filter(lab=lab).first() or existing_child(home, data["slug"], LabPage)
    if page is not None:
        report.note("lab pages", created=False)
        return page, False
    page = LabPage(
        title=data["title"],
        slug=data["slug"],
        lab=lab,
        intro=data["intro"],
        description=compact_html(data["description"]),
        building=data["building"],
        room=data["room"],
        address=data["address"],
        contact_email=data["contact_email"],
        contact_phone=data["contact_phone"],
        contacts=[LabContact(**contact) for contact in data["contacts"]],
    )
    home.add_child(instance=page)
    report.note("lab pages", created=True)
    return page, True


def ensure_resource(
    lab: Lab,
    data: Data,
    categories: Mapping[str, ResourceCategory],
    policies: Mapping[str, PolicyPage],
    report: SeedReport,
) -> Resource:
    """The bookable record, by lab and name; a new one gets its rules, hours and policies."""
    resource = Resource.objects.filter(lab=lab, name=data["resource"]).first()
    if resource is not None:
        report.note("resources", created=False)
        return resource
    resource = Resource(
        lab=lab,
        name=data["resource"],
        category=categories[data["category"]],
        capacity=data["capacity"],
        opening_hours=[
            OpeningHours(weekday=weekday, opens=opens, closes=closes)
            for weekday, opens, closes in content.OPENING_HOURS
        ],
        required_policies=[RequiredPolicy(policy=policies[slug]) for slug in data["policies"]],
        **data["rules"],
    )
    resource.save()
    resource.save_revision()
    report.note("resources", created=True)
    return resource


def ensure_instrument(
    lab_page: LabPage,
    lab: Lab,
    data: Data,
    categories: Mapping[str, ResourceCategory],
    policies: Mapping[str, PolicyPage],
    report: SeedReport,
) -> InstrumentPage:
    """The instrument's resource and its page, found by the resource or the slug."""
    resource = ensure_resource(lab, data, categories, policies, report)
    page = InstrumentPage.objects.filter(resource=resource).first() or existing_child(
        lab_page, data["slug"], InstrumentPage
    )
    if page is not None:
        report.note("instrument pages", created=False)
        return page
    collection = lab_page.collection or Collection.get_first_root_node()
    documents = [ensure_document(item, collection, report) for item in data["documents"]]
    page = InstrumentPage(
        title=data["title"],
        slug=data["slug"],
        resource=resource,
        summary=data["summary"],
        location=data["location"],
        contact_name=data["contact_name"],
        contact_email=data["contact_email"],
        body=instrument_body(data, documents),
    )
    lab_page.add_child(instance=page)
    publish(page)
    report.note("instrument pages", created=True)
    return page


def instrument_body(data: Data, documents: list[AbstractDocument]) -> list[tuple[str, Any]]:
    """The StreamField content of an instrument page, as (block type, value) pairs."""
    rows = [{"name": name, "value": value} for name, value in data["specifications"]]
    body: list[tuple[str, Any]] = [
        ("heading", "What it does"),
        ("text", RichText(compact_html(data["overview"]))),
        ("heading", "Typical applications"),
        ("text", RichText(compact_html(data["applications"]))),
        ("specifications", {"title": "Specifications", "rows": rows}),
        ("heading", "Training and access"),
        ("text", RichText(compact_html(data["training"]))),
    ]
    if documents:
        body.append(("documents", {"title": "Documents", "documents": documents}))
    return body


def ensure_document(data: Data, collection: Collection, report: SeedReport) -> AbstractDocument:
    """A small text document in the lab's collection, found by its title there."""
    Document = get_document_model()
    document = Document.objects.filter(title=data["title"], collection=collection).first()
    if document is not None:
        report.note("documents", created=False)
        return document
    raw = dedent(data["text"]).strip().encode() + b"\n"
    file = ContentFile(raw, name=data["filename"])
    document = Document(
        title=data["title"],
        collection=collection,
        file=file,
        file_size=len(raw),
        file_hash=hash_filelike(file),
    )
    document.save()
    report.note("documents", created=True)
    return document


# People and projects


def ensure_department(data: Data, report: SeedReport) -> Department:
    return find_or_create(
        Department, data, keys=[("code",), ("name",)], kind="departments", report=report
    )


def ensure_users(
    departments: Mapping[str, Department],
    labs: Mapping[str, Lab],
    report: SeedReport,
    language: str = "",
) -> dict[str, User]:
    """One demo user per role, by email; new users join their groups and speak `language`."""
    users: dict[str, User] = {}
    for data in content.USERS:
        user = User.objects.filter(email__iexact=data["email"]).first()
        created = user is None
        if user is None:
            user = create_demo_user(data, departments, users, language)
            user.groups.set(demo_groups(data, labs))
        report.note("users", created=created)
        shown = data["password"] if created else shown_password(user, data["password"])
        key = ensure_demo_authenticator(user) if data["role"] in Role.STAFF else ""
        report.logins.append(DemoLogin(data["label"], user.email, shown, key))
        users[data["email"]] = user
    return users


def create_demo_user(
    data: Data,
    departments: Mapping[str, Department],
    users: Mapping[str, User],
    language: str = "",
) -> User:
    is_site_admin = data.get("is_superuser", False)
    return User.objects.create_user(
        data["email"],
        data["password"],
        first_name=data["first_name"],
        last_name=data["last_name"],
        category=data["category"],
        department=departments.get(data.get("department", "")),
        supervisor=users.get(data.get("supervisor", "")),
        is_staff=is_site_admin,
        is_superuser=is_site_admin,
        language=language,
    )


def demo_groups(data: Data, labs: Mapping[str, Lab]) -> list[Group]:
    """The user's role group, and for a coordinator their lab's coordinators group."""
    groups = [Group.objects.get(name=data["role"])]
    lab = labs.get(data.get("coordinates", ""))
    if lab is not None and lab.coordinators is not None:
        groups.append(lab.coordinators)
    return groups


def ensure_demo_authenticator(user: User) -> str:
    """Staff sign in with two-factor: give a demo staff user without an authenticator the
    demo key, and return the key if the user's authenticator is the demo one."""
    device = two_factor.authenticator(user)
    if device is None:
        device = two_factor.add_known_authenticator(user, secret=content.DEMO_AUTHENTICATOR_KEY)
    if is_demo_authenticator(device):
        return content.DEMO_AUTHENTICATOR_KEY
    return "(own app; left unchanged)"


def is_demo_authenticator(device: TOTPDevice) -> bool:
    return two_factor.describe(device).secret == content.DEMO_AUTHENTICATOR_KEY


def shown_password(user: User, demo_password: str) -> str:
    """The demo password if it still opens the account; the account itself is not touched."""
    if check_password(demo_password, user.password):
        return demo_password
    return "(not the demo password; left unchanged)"


def ensure_project(
    data: Data,
    users: Mapping[str, User],
    departments: Mapping[str, Department],
    report: SeedReport,
) -> Project:
    project = Project.objects.filter(code=data["code"]).first()
    if project is not None:
        report.note("projects", created=False)
        return project
    project = Project.objects.create(
        code=data["code"],
        name=data["name"],
        pi=users[data["pi"]],
        department=departments[data["department"]],
        active_from=data["active_from"],
        active_to=data.get("active_to"),
    )
    project.members.set([users[email] for email in data["members"]])
    report.note("projects", created=True)
    return project
