"""seed_demo builds the demo facility once; running it again changes nothing.

Seeding takes a while, so the module seeds once inside a transaction that every test
nests in (each test's own changes roll back to that point) and that is rolled back at
the end.
"""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Page, Revision, Site

from booking.models import Booking, Kiosk, Outage, Resource, StaffBooking
from labpages.models import HomePage, InstrumentPage, LabPage, PolicyPage
from operations.models import ProblemReport
from people.models import Project, User
from tests.conftest import sign_in_with_second_factor

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def first_run(django_db_setup, django_db_blocker):
    """The output of the first seeding; the seeded facility lasts for the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _seeded(first_run):
    return first_run


def counts() -> dict[str, int]:
    models = [Page, Revision, User, Project, Resource, Booking, get_document_model()]
    return {model.__name__: model.objects.count() for model in models}


def test_it_makes_a_home_page_the_default_sites_root():
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert not Page.objects.filter(title="Welcome to your new Wagtail site!").exists()


def test_it_builds_three_labs_with_ten_instruments():
    assert LabPage.objects.live().count() == 3
    assert InstrumentPage.objects.live().filter(resource__isnull=False).count() == 10
    assert all(page.lab and page.lab.coordinators for page in LabPage.objects.all())


def test_every_policy_page_has_a_published_version():
    assert PolicyPage.objects.count() == 7
    assert not PolicyPage.objects.filter(live_revision__isnull=True).exists()


def test_running_it_twice_creates_nothing_more():
    before = counts()

    seed()

    assert counts() == before


def test_it_leaves_an_edited_page_as_the_editor_left_it():
    page = InstrumentPage.objects.get(slug="nikon-spinning-disk")
    page.title = "Spinning disk (renamed)"
    page.save_revision().publish()
    revisions = Revision.objects.count()

    seed()

    page.refresh_from_db()
    assert page.title == "Spinning disk (renamed)"
    assert Revision.objects.count() == revisions


def test_it_prints_a_login_per_role(first_run):
    output = first_run

    assert "Role" in output and "Email" in output and "Password" in output
    assert "coordinator@demo.labitory.test  demo-coordinator-2026" in output
    assert "admin@demo.labitory.test" in output


def test_it_keeps_a_changed_password():
    user = User.objects.get(email="finance@demo.labitory.test")
    user.set_password("chosen-by-finance-42")
    user.save()

    output = seed()

    user.refresh_from_db()
    assert user.check_password("chosen-by-finance-42")
    assert "demo-finance-2026" not in output


def test_it_creates_a_site_admin_who_can_sign_in_to_the_admin(client):
    admin = User.objects.get(email="admin@demo.labitory.test")
    assert admin.is_superuser
    sign_in_with_second_factor(client, admin)
    assert client.get("/admin/").status_code == 200


def test_it_books_across_the_past_and_coming_weeks():
    now = timezone.now()
    assert Booking.objects.filter(end__lt=now, status=Booking.Status.COMPLETED).exists()
    assert Booking.objects.filter(start__gt=now, status=Booking.Status.CONFIRMED).exists()


def test_it_shows_instrument_operations(first_run):
    statuses = dict(Resource.objects.values_list("name", "status"))
    assert statuses["Confocal LSM 980"] == "limited"
    assert statuses["Spinning-disk confocal CSU-W1"] == "down"
    assert Outage.objects.filter(resource__name="Spinning-disk confocal CSU-W1").exists()
    report = ProblemReport.objects.get()
    assert report.status == "investigating" and report.comments.count() == 1
    assert Kiosk.objects.filter(resource__name="Confocal LSM 980", revoked_at=None).exists()
    assert "Kiosk beside the Confocal LSM 980: /kiosk/" in first_run
    sorter = Resource.objects.get(name="Cell sorter FACSAria Fusion")
    assert sorter.questions.count() == 2
    made = StaffBooking.objects.get()
    assert "notice" in made.overridden and made.reason
    assert made.booking.resource == sorter and made.booking.answers.count() == 2


def test_it_shows_training_a_trainers_group_a_waiting_request_and_a_session():
    from training.models import LabTrainers, TrainingRequest, TrainingSession

    sorter = Resource.objects.get(name="Cell sorter FACSAria Fusion")
    trainers = LabTrainers.objects.get(lab=sorter.lab).group
    assert trainers.user_set.filter(email="coordinator@demo.labitory.test").exists()
    assert TrainingRequest.objects.filter(resource=sorter, status="pending").count() == 1
    session = TrainingSession.objects.get(resource=sorter)
    assert session.starts_at > timezone.now()
    assert session.hold.purpose == Booking.Purpose.TRAINING
