"""seed_demo builds the demo facility once; running it again changes nothing."""

import io

import pytest
from django.core.management import call_command
from wagtail.documents import get_document_model
from wagtail.models import Page, Revision, Site

from booking.models import Resource
from labpages.models import HomePage, InstrumentPage, LabPage, PolicyPage
from people.models import Project, User

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [Page, Revision, User, Project, Resource, get_document_model()]
    return {model.__name__: model.objects.count() for model in models}


def test_it_makes_a_home_page_the_default_sites_root():
    seed()

    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert not Page.objects.filter(title="Welcome to your new Wagtail site!").exists()


def test_it_builds_three_labs_with_ten_instruments():
    seed()

    assert LabPage.objects.live().count() == 3
    assert InstrumentPage.objects.live().filter(resource__isnull=False).count() == 10
    assert all(page.lab and page.lab.coordinators for page in LabPage.objects.all())


def test_every_policy_page_has_a_published_version():
    seed()

    assert PolicyPage.objects.count() == 7
    assert not PolicyPage.objects.filter(live_revision__isnull=True).exists()


def test_running_it_twice_creates_nothing_more():
    seed()
    before = counts()

    seed()

    assert counts() == before


def test_it_leaves_an_edited_page_as_the_editor_left_it():
    seed()
    page = InstrumentPage.objects.get(slug="nikon-spinning-disk")
    page.title = "Spinning disk (renamed)"
    page.save_revision().publish()
    revisions = Revision.objects.count()

    seed()

    page.refresh_from_db()
    assert page.title == "Spinning disk (renamed)"
    assert Revision.objects.count() == revisions


def test_it_prints_a_login_per_role():
    output = seed()

    assert "Role" in output and "Email" in output and "Password" in output
    assert "coordinator@demo.labitory.test  demo-coordinator-2026" in output
    assert "admin@demo.labitory.test" in output


def test_it_keeps_a_changed_password():
    seed()
    user = User.objects.get(email="finance@demo.labitory.test")
    user.set_password("chosen-by-finance-42")
    user.save()

    output = seed()

    user.refresh_from_db()
    assert user.check_password("chosen-by-finance-42")
    assert "demo-finance-2026" not in output


def test_it_creates_a_site_admin_who_can_sign_in_to_the_admin(client):
    seed()

    admin = User.objects.get(email="admin@demo.labitory.test")
    assert admin.is_superuser
    client.force_login(admin)
    assert client.get("/admin/").status_code == 200
