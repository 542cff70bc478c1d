"""A booking on an instrument with a two-step rule goes requester → PI → lab manager →
confirmed, in a browser, with the right email at each step (delivered through the outbox):
the booker hears "approved" once, when the booking is confirmed."""

import os
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from playwright.sync_api import expect

from booking.models import Booking
from tests.e2e.conftest import SHOTS
from tests.factories import PASSWORD, ProjectFactory, UserFactory
from workflows.models import ApprovalRule, ApprovalStep

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://\S+/approvals/link/\S+/")


def mail_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def sign_in(page, email: str) -> None:
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def shot(page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/e2e-approval-{name}.png", full_page=True)


def said_approved(messages) -> list[str]:
    return [m.subject for m in messages if re.search(r"\bapproved\b", m.subject + m.body, re.I)]


def approve_from_email(page, approver, name: str, outcome: str) -> None:
    (message,) = [m for m in mail_to(approver.email) if "approval" in m.subject.lower()][-1:]
    link = LINK.search(message.body).group(0)
    page.goto(link)
    sign_in(page, approver.email)
    expect(page.get_by_role("heading", name="Your decision")).to_be_visible()
    shot(page, name.replace(" ", "-"))
    page.get_by_label("Approve").check()
    page.get_by_label("Comment").fill(f"Fine by the {name}")
    page.get_by_role("button", name="Send decision").click()
    expect(page.get_by_text(outcome)).to_be_visible()


def test_requester_pi_lab_manager_confirmed(
    live_server, facility, researcher, chromium, settings, eager_tasks
):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    pi = UserFactory(email="petra.pi@example.org", first_name="Petra", last_name="Principal")
    manager = UserFactory(email="mo.manager@example.org", first_name="Mo", last_name="Manager")
    managers = Group.objects.create(name="Imaging lab managers")
    manager.groups.add(managers)
    ProjectFactory(code="BIO-2041", name="Organelle contacts", pi=pi, members=[researcher])
    rule = ApprovalRule.objects.create(
        name="Confocal: PI and manager", lab=facility.imaging_lab.lab, always=True
    )
    ApprovalStep.objects.create(rule=rule, sort_order=0, label="PI", approvers="project_pi")
    ApprovalStep.objects.create(
        rule=rule, sort_order=1, label="Lab manager", approvers="group", group=managers
    )

    booker_page = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    booker_page.goto(live_server.url + facility.confocal.url)
    booker_page.get_by_role("link", name="Sign in").first.click()
    sign_in(booker_page, researcher.email)
    booker_page.get_by_role("navigation", name="Calendar view").get_by_role(
        "link", name="Day"
    ).click()
    booker_page.get_by_role("link", name="Next day").click()
    booker_page.locator('td[data-start$="T10:00"]').first.click()
    booker_page.get_by_role("link", name=re.compile("^Book 10:00–")).click()
    booker_page.get_by_role("button", name=re.compile("^Book ")).click()
    expect(
        booker_page.get_by_role("heading", name="Requested: waiting for approval")
    ).to_be_visible()
    expect(booker_page.get_by_text("Step 1 of 2: PI")).to_be_visible()
    shot(booker_page, "requested")
    assert [m.subject for m in mail_to(researcher.email)], "the booker is told it is requested"

    steps = (
        (pi, "PI", "You passed step 1 of 2 (PI)"),
        (manager, "lab manager", "Approved and confirmed:"),
    )
    for approver, name, outcome in steps:
        context = chromium.new_context(viewport={"width": 390, "height": 844})
        approve_from_email(context.new_page(), approver, name, outcome)
        context.close()
        if approver == pi:  # a step remains: the booker hears it moved on, not "approved"
            assert said_approved(mail_to(researcher.email)) == []

    booking = Booking.objects.get()
    assert booking.status == Booking.Status.CONFIRMED
    subjects = [m.subject for m in mail_to(researcher.email)]
    assert len(subjects) == 3, subjects  # requested, step 1 passed, approved and confirmed
    assert said_approved(mail_to(researcher.email)) == [subjects[-1]]
    confirmed = mail_to(researcher.email)[-1]
    assert any(name.endswith(".ics") for name, *_ in confirmed.attachments)
    booker_page.goto(live_server.url + f"/bookings/{booking.pk}/")
    expect(booker_page.get_by_role("heading", name="Confirmed: you’re booked")).to_be_visible()
    shot(booker_page, "confirmed")
