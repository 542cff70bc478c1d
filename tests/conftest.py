"""Shared personas and a small facility: two labs, their instruments and a policy."""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient
from wagtail.models import Site

from booking.models import Resource, ResourceCategory
from labpages.facility_zone import forget_facility_zone
from labpages.models import HomePage, InstrumentIndexPage, InstrumentPage, LabPage, PolicyPage
from labpages.services import grant_lab_editing
from people.models import Project, User
from people.roles import Role
from tests.factories import (
    HomePageFactory,
    InstrumentIndexPageFactory,
    InstrumentPageFactory,
    LabFactory,
    LabPageFactory,
    PolicyPageFactory,
    ProjectFactory,
    ResourceCategoryFactory,
    ResourceFactory,
    UserFactory,
    ensure_tree_roots,
    make_default_site,
)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request in German leaves German active
    in its thread (as Django's LocaleMiddleware does), which must not leak into the next."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """The database rolls back after each test; caches (Redis in CI) must not remember."""
    cache.clear()
    forget_facility_zone()
    yield
    cache.clear()
    forget_facility_zone()


@pytest.fixture(autouse=True)
def _every_statement_pdf_is_valid():
    """Each statement a test renders is checked strictly (qpdf, a second reader) at teardown."""
    from django.db.models.signals import post_save

    from reporting.models import Statement
    from tests.pdfs import check_statement_pdf

    rendered: list[tuple[bytes, int]] = []

    def keep(sender, instance, **kwargs):
        if instance.status == Statement.Status.READY and instance.file:
            with instance.file.open("rb") as handle:
                rendered.append((handle.read(), instance.pages))

    post_save.connect(keep, sender=Statement, weak=False)
    yield
    post_save.disconnect(keep, sender=Statement)
    for pdf, pages in rendered:
        check_statement_pdf(pdf, pages=pages)


@pytest.fixture
def eager_tasks():
    """Tasks run in-process when queued, even where a Redis broker is configured (CI)."""
    from labitory.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@dataclass
class Facility:
    site: Site
    home: HomePage
    index: InstrumentIndexPage
    microscopy: ResourceCategory
    mass_spec: ResourceCategory
    imaging_lab: LabPage
    proteomics_lab: LabPage
    confocal: InstrumentPage
    orbitrap: InstrumentPage
    safety_policy: PolicyPage


def build_facility() -> Facility:
    """Home → instrument index, Imaging lab (confocal, laser safety), Proteomics lab (Orbitrap)."""
    root = ensure_tree_roots()
    home = HomePageFactory(parent=root, intro="Shared instruments for the whole campus.")
    site = make_default_site(home)
    index = InstrumentIndexPageFactory(parent=home)
    microscopy = ResourceCategoryFactory(name="Microscopy", slug="microscopy")
    mass_spec = ResourceCategoryFactory(name="Mass spectrometry", slug="mass-spectrometry")
    imaging_lab = LabPageFactory(
        parent=home, lab=LabFactory(name="Imaging", slug="imaging"), title="Imaging lab"
    )
    proteomics_lab = LabPageFactory(
        parent=home, lab=LabFactory(name="Proteomics", slug="proteomics"), title="Proteomics lab"
    )
    confocal = InstrumentPageFactory(
        parent=imaging_lab,
        title="Confocal microscope",
        summary="Four laser lines for live-cell imaging.",
        resource=ResourceFactory(name="Zeiss LSM 980", lab=imaging_lab.lab, category=microscopy),
    )
    orbitrap = InstrumentPageFactory(
        parent=proteomics_lab,
        title="Orbitrap mass spectrometer",
        summary="High-resolution proteomics.",
        resource=ResourceFactory(
            name="Orbitrap Exploris", lab=proteomics_lab.lab, category=mass_spec
        ),
    )
    safety_policy = PolicyPageFactory(parent=imaging_lab, title="Laser safety")
    return Facility(
        site=site,
        home=home,
        index=index,
        microscopy=microscopy,
        mass_spec=mass_spec,
        imaging_lab=imaging_lab,
        proteomics_lab=proteomics_lab,
        confocal=confocal,
        orbitrap=orbitrap,
        safety_policy=safety_policy,
    )


@pytest.fixture
def facility(db) -> Facility:
    return build_facility()


def make_coordinator(lab_page: LabPage, **fields) -> User:
    """A lab coordinator whose editing rights come from `grant_lab_editing`."""
    user = UserFactory(roles=[Role.COORDINATOR], **fields)
    user.groups.add(grant_lab_editing(lab_page))
    return user


def sign_in_with_second_factor(client, user: User) -> TOTPDevice:
    """Leave `client` signed in as `user` the way a real sign-in with two-factor does: the
    user has a confirmed authenticator app and the session was verified with it.

    Staff screens refuse a session without this (people/middleware.py); tests of the
    sign-in steps themselves go through the forms instead (tests/people/).
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@pytest.fixture
def researcher(db) -> User:
    return UserFactory(email="rosa.researcher@example.org", roles=[Role.RESEARCHER])


@pytest.fixture
def coordinator(facility) -> User:
    """Coordinates the Imaging lab only."""
    return make_coordinator(
        facility.imaging_lab,
        email="cora.coordinator@example.org",
        first_name="Cora",
        last_name="Coordinator",
    )


@pytest.fixture
def finance(db) -> User:
    return UserFactory(email="fin.finance@example.org", roles=[Role.FINANCE])


@pytest.fixture
def site_admin(db) -> User:
    return UserFactory(email="sam.admin@example.org", roles=[Role.SITE_ADMIN])


# A bookable instrument, a researcher on a project, and API clients: booking's tests and the
# API's (tests/api) share them.
@pytest.fixture
def instrument(db) -> Resource:
    return ResourceFactory(name="Confocal LSM 980", capacity=1, granularity=15, max_duration=240)


@pytest.fixture
def booker(db) -> User:
    return UserFactory(email="bea.booker@example.org")


@pytest.fixture
def project(booker) -> Project:
    return ProjectFactory(code="BIO-2041", members=[booker])


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()


@pytest.fixture
def api(booker) -> APIClient:
    """The booker, signed in through the session as a browser would be."""
    client = APIClient()
    client.force_login(booker)
    return client


@pytest.fixture
def in_process_wsgi():
    """Django's WSGI handler for tests that call it as a server would, keeping the test's
    transaction open across requests (Django would close the connection at each request's
    end; the test client unhooks this the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def pytest_sessionstart(session):
    """The suite reads the translation catalogues as committed: compile them first."""
    from labitory.catalogues import compile_catalogue, sources

    for po in sources():
        compile_catalogue(po)
