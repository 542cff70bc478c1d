"""A researcher asks for training on the cell sorter from its page; a trainer schedules a
session and invites them (the researcher gets the `.ics`); after the session the trainer
records attendance and signs them off, unsupervised for 12 months; the researcher then books
the sorter answering its two required questions, and the booking needs no approval because
of the sign-off level; the lab's coordinator reads the answers and the lab's training."""

import datetime
import os
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import Booking, BookingQuestion, Qualification
from labitory.clock import facility_zone
from people import two_factor
from tests.factories import (
    PASSWORD,
    InstrumentPageFactory,
    ProjectFactory,
    ResourceFactory,
    UserFactory,
)
from tests.workflows.helpers import make_rule
from training.models import TrainingPolicy, TrainingSession
from training.notify import trainers_group
from training.policy import add_months
from workflows.models import ApprovalRequest, ApprovalStep, OutboxMessage
from workflows.outbox import write

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/shots/training"


def shots(page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def sign_in(page, user, *, staff: bool = False) -> None:
    if staff:
        device = two_factor.add_known_authenticator(user, secret="KRSXG5CTMVRXEZLU")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if staff:
        page.get_by_label("Code", exact=True).fill(two_factor.current_code(device))
        page.get_by_role("button", name="Sign in").click()


def today() -> datetime.date:
    return timezone.now().astimezone(facility_zone()).date()


@pytest.fixture
def sorter(facility):
    lab = facility.imaging_lab
    resource = ResourceFactory(
        name="Cell sorter FACSAria", lab=lab.lab, requires_qualification=True, max_duration=480
    )
    page = InstrumentPageFactory(parent=lab, title="Cell sorter", resource=resource)
    TrainingPolicy.objects.create(resource=resource, valid_months=12)
    for order, (text, kind, options) in enumerate(
        [("Biosafety level", "choice", "BSL-1\nBSL-2"), ("Sample type", "short_text", "")]
    ):
        BookingQuestion.objects.create(
            resource=resource, text=text, kind=kind, options=options, sort_order=order
        )
    # Bookers not qualified to work alone wait for the PI.
    pi = UserFactory(email="pat.pi@example.org")
    make_rule(
        lab.lab,
        {"approvers": ApprovalStep.Approvers.USERS, "users": [pi]},
        lacks_unsupervised_qualification=True,
    )
    return page


def test_request_session_sign_off_then_book_without_approval(
    live_server, facility, sorter, researcher, coordinator, chromium, settings
):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    resource = sorter.resource
    project = ProjectFactory(code="BIO-2041", name="Organelle contacts", members=[researcher])
    trainer = UserFactory(email="tom.trainer@example.org", first_name="Tom", last_name="Trainer")
    trainer.groups.add(trainers_group(resource.lab))

    # The researcher asks for training from the sorter's page.
    rosa = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    rosa.goto(live_server.url + reverse("account_login"))
    sign_in(rosa, researcher)
    rosa.goto(live_server.url + sorter.url)
    expect(rosa.get_by_text("Training needed.").first).to_be_visible()
    shots(rosa, "1-instrument-needs-training")
    rosa.get_by_role("link", name="Request training").first.click()
    rosa.get_by_label("Your experience").fill("Two years on a BD FACSCanto; never sorted.")
    shots(rosa, "2-request-form")
    rosa.get_by_role("button", name="Send the request").click()
    expect(rosa.get_by_text("trainers have been told")).to_be_visible()
    told = OutboxMessage.objects.get(event="training_requested")
    assert told.recipient == trainer

    # The trainer schedules a session tomorrow and invites her.
    tom = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    tom.goto(live_server.url + reverse("account_login"))
    sign_in(tom, trainer)
    tom.goto(live_server.url + reverse("training:mine"))
    tom.get_by_role("link", name="Training in Imaging").click()
    expect(tom.get_by_role("cell", name=researcher.name)).to_be_visible()
    shots(tom, "3-lab-training-waiting")
    tom.get_by_role("link", name="Schedule a session").click()
    tom.get_by_label("Instrument").select_option(label=resource.name)
    tom.get_by_label("Day").fill(f"{today() + datetime.timedelta(days=1):%Y-%m-%d}")
    tom.get_by_label("From").fill("10:00")
    tom.get_by_label("Until").fill("12:00")
    tom.get_by_label("Charged to").select_option(label=str(project))
    tom.get_by_label(f"{researcher.name} — {resource.name}").check()
    shots(tom, "4-schedule-form")
    tom.get_by_role("button", name="Schedule the session").click()
    expect(tom.get_by_text("Session scheduled")).to_be_visible()
    session = TrainingSession.objects.get()
    assert session.hold.status == Booking.Status.CONFIRMED

    # She gets the session's calendar file, and sees it under My training.
    invite = write(OutboxMessage.objects.get(event="training_scheduled", recipient=researcher))
    assert [a["filename"] for a in invite.attachments] == [f"booking-{session.hold.pk}.ics"]
    rosa.goto(live_server.url + reverse("training:mine"))
    expect(rosa.get_by_role("link", name=f"Training on {resource.name}")).to_be_visible()
    shots(rosa, "5-my-training-session")

    # The session takes place (its time is moved to the hour just gone, as the clock would),
    # and the trainer records her attendance and signs her off to work unsupervised.
    start = timezone.now() - datetime.timedelta(hours=1)
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=start, ends_at=start + datetime.timedelta(minutes=50)
    )
    Booking.objects.filter(pk=session.hold_id).update(
        start=start, end=start + datetime.timedelta(minutes=50)
    )
    tom.goto(live_server.url + reverse("training:session", args=[session.pk]))
    tom.get_by_label("Attended").check()
    tom.get_by_label("Sign off as").select_option("unsupervised")
    shots(tom, "6-record-attendance")
    tom.get_by_role("button", name="Record").click()
    expect(tom.get_by_text("Attendance and sign-offs recorded.")).to_be_visible()
    qualification = Qualification.objects.get(user=researcher, resource=resource)
    assert qualification.unsupervised
    assert qualification.expires_on == add_months(today(), 12)

    # She books the sorter, answering its two required questions: no approval needed.
    rosa.goto(live_server.url + reverse("training:mine"))
    expect(rosa.get_by_text(f"until {qualification.expires_on:%-d %B %Y}")).to_be_visible()
    shots(rosa, "7-my-training-signed-off")
    day = today() + datetime.timedelta(days=2)
    query = {"start": f"{day:%Y-%m-%d}T10:00", "end": f"{day:%Y-%m-%d}T11:00"}
    rosa.goto(live_server.url + f"{reverse('booking:new', args=[resource.pk])}?{urlencode(query)}")
    rosa.get_by_label("Biosafety level").select_option("BSL-2")
    rosa.get_by_label("Sample type").fill("Primary human T cells")
    rosa.get_by_role("button", name=f"Book {resource.name}").click()
    expect(rosa.get_by_role("heading", name="Confirmed: you’re booked")).to_be_visible()
    booking = Booking.objects.get(resource=resource, user=researcher)
    assert booking.status == Booking.Status.CONFIRMED
    assert not ApprovalRequest.objects.filter(booking=booking).exists()

    # The coordinator reads the answers on the booking, and the lab's training.
    cora = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    cora.goto(
        live_server.url + reverse("wagtailsnippets_booking_booking:inspect", args=[booking.pk])
    )
    sign_in(cora, coordinator, staff=True)
    answers = cora.locator(".booking-answers")
    expect(answers).to_contain_text("BSL-2")
    expect(answers).to_contain_text("Primary human T cells")
    cora.goto(live_server.url + reverse("training:lab", args=[resource.lab_id]))
    expect(cora.get_by_role("cell", name="Unsupervised")).to_be_visible()
    shots(cora, "8-lab-training-trained")
