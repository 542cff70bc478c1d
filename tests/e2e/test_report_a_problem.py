"""A researcher reports a problem with a photo; the coordinator marks the instrument down for
two days, sees the three bookings it hits and confirms; each booker gets one message; the page
says "Down until …"; booking in the outage is refused (`resource_down`); the coordinator
resolves the report, bringing the instrument back in the same step, and it is bookable again."""

import datetime
import io
import json
import os

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from booking.models import Booking, Resource
from booking.services import request_booking
from labitory.clock import facility_zone
from operations.models import ProblemReport
from people import two_factor
from people.api_tokens import create_token
from tests.e2e.conftest import SHOTS
from tests.factories import PASSWORD, ProjectFactory, UserFactory
from workflows.models import OutboxMessage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def local(days: int, hour: int) -> datetime.datetime:
    day = timezone.now().astimezone(facility_zone()).date() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=facility_zone())


def shots(page, name: str) -> None:
    """The page at desktop and at phone width."""
    folder = f"{SHOTS}/instrument-status"
    os.makedirs(folder, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=f"{folder}/{name}-1280.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=f"{folder}/{name}-390.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def sign_in(page, user, *, staff: bool = False) -> None:
    """Password, and for staff the code of their authenticator app."""
    if staff:
        device = two_factor.add_known_authenticator(user, secret="KRSXG5CTMVRXEZLU")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if staff:
        page.get_by_label("Code", exact=True).fill(two_factor.current_code(device))
        page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def three_bookings(facility) -> list[Booking]:
    """Three bookings within the next two days on the confocal, one after them."""
    confocal = facility.confocal.resource
    made = []
    for n, (day, hour) in enumerate([(1, 10), (1, 14), (2, 9), (3, 10)]):
        booker = UserFactory(email=f"booker{n}@example.org", first_name=f"Booker{n}")
        project = ProjectFactory(members=[booker])
        made.append(
            request_booking(
                user=booker,
                resource=confocal,
                project=project,
                start=local(day, hour),
                end=local(day, hour + 1),
            )
        )
    return made


@pytest.fixture
def photo(tmp_path) -> str:
    path = tmp_path / "laser.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), "orange").save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_a_problem_report_takes_the_instrument_down_and_back(
    live_server, facility, researcher, coordinator, three_bookings, photo, chromium, settings
):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    confocal = facility.confocal.resource
    ProjectFactory(code="BIO-2041", members=[researcher])

    # The researcher reports the problem, with a photo.
    rosa = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    rosa.goto(live_server.url + reverse("account_login"))
    sign_in(rosa, researcher)
    rosa.goto(live_server.url + facility.confocal.url)
    rosa.get_by_role("link", name="Report a problem").click()
    rosa.get_by_label("What happened").fill("The 488 nm laser does not switch on")
    rosa.get_by_label("Major: some work is impossible").check()
    rosa.get_by_label("Photo or file (optional)").set_input_files(photo)
    shots(rosa, "1-report-form")
    rosa.get_by_role("button", name="Send the report").click()
    expect(rosa.get_by_role("heading", level=1)).to_have_text("The 488 nm laser does not switch on")
    expect(rosa.get_by_text("Open", exact=True)).to_be_visible()
    shots(rosa, "2-report-sent")
    report = ProblemReport.objects.get()
    assert report.attachment_name == "laser.jpg"
    told = OutboxMessage.objects.filter(event="problem_reported")
    assert [m.recipient_id for m in told] == [coordinator.pk]

    # The coordinator opens the report and marks the instrument down for two days.
    cora = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    cora.goto(live_server.url + reverse("wagtailadmin_login"))
    sign_in(cora, coordinator, staff=True)
    cora.goto(live_server.url + reverse("wagtailsnippets_operations_problemreport:list"))
    cora.get_by_role("link", name="The 488 nm laser does not switch on").click()
    shots(cora, "3-triage")
    cora.get_by_role("link", name="Set the instrument's status").click()
    back = local(2, 12)  # after the third booking, whatever the hour now
    cora.get_by_label("Down").check()
    cora.get_by_label("What is wrong").fill("488 nm laser failed; engineer on the way")
    cora.get_by_label("Expected back").fill(f"{back:%Y-%m-%dT%H:%M}")
    cora.get_by_role("button", name="Save status").click()
    expect(cora.get_by_text("The outage hits 3 upcoming bookings")).to_be_visible()
    for booking in three_bookings[:3]:
        expect(cora.get_by_role("cell", name=booking.user.name)).to_be_visible()
    shots(cora, "4-down-preview")
    before = set(OutboxMessage.objects.values_list("pk", flat=True))
    cora.get_by_role("button", name="Confirm: down, and 3 bookings as chosen").click()
    expect(cora.get_by_text("Zeiss LSM 980 is now down. 3 bookings cancelled.")).to_be_visible()

    # Each of the three bookers is told once; the fourth booking is untouched.
    for booking in three_bookings[:3]:
        messages = OutboxMessage.objects.filter(recipient=booking.user).exclude(pk__in=before)
        assert [m.event for m in messages] == ["booking_cancelled_by_staff"]
        assert "Down: 488 nm laser failed" in messages[0].context["reason"]
        assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CANCELLED
    fourth = OutboxMessage.objects.filter(recipient=three_bookings[3].user).exclude(pk__in=before)
    assert not fourth.exists()
    assert Booking.objects.get(pk=three_bookings[3].pk).status == Booking.Status.CONFIRMED

    # The instrument page says so, and booking in the outage is refused with its code.
    rosa.goto(live_server.url + facility.confocal.url)
    expect(rosa.get_by_text(f"Down until {back:%H:%M, %A %-d %B}")).to_be_visible()
    shots(rosa, "5-instrument-down")
    rosa.goto(live_server.url + facility.index.url)
    expect(rosa.get_by_text(f"Down until {back:%H:%M, %a %-d %b}")).to_be_visible()
    shots(rosa, "5-index-down")
    when = local(1, 11)
    query = f"?date={when:%Y-%m-%d}&start=11:00&end=12:00"
    rosa.goto(live_server.url + reverse("booking:find") + query)
    expect(rosa.get_by_text("Zeiss LSM 980 is down until")).to_be_visible()
    shots(rosa, "5-find-down")
    _, token = create_token(user=researcher, name="e2e", scope="read_write", days=1)
    payload = {
        "resource": confocal.pk,
        "project": researcher.projects.get().pk,
        "start": local(1, 11).isoformat(),
        "end": local(1, 12).isoformat(),
    }
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    refused = rosa.request.post(
        live_server.url + "/api/v1/bookings/", data=json.dumps(payload), headers=headers
    )
    assert refused.status == 400 and refused.json()["code"] == "resource_down"

    # The coordinator resolves the report and, in the same step, brings the instrument back.
    cora.goto(
        live_server.url + reverse("wagtailsnippets_operations_problemreport:edit", args=[report.pk])
    )
    cora.locator("#id_status").select_option("resolved")
    cora.locator("#id_comment").fill("Laser replaced and aligned.")
    cora.get_by_role("checkbox", name="Bring the instrument back up").check()
    shots(cora, "6-resolve-and-bring-up")
    cora.get_by_role("button", name="Save").click()
    expect(cora.get_by_text("updated")).to_be_visible()
    report.refresh_from_db()
    assert report.status == ProblemReport.Status.RESOLVED
    assert Resource.objects.get(pk=confocal.pk).status == Resource.Status.UP
    assert not confocal.outages.filter(ends_at__gt=timezone.now()).exists()

    # The researcher sees the resolution and books the time again.
    rosa.goto(live_server.url + reverse("operations:detail", args=[report.pk]))
    expect(rosa.get_by_text("Laser replaced and aligned.")).to_be_visible()
    shots(rosa, "7-report-resolved")
    booked = rosa.request.post(
        live_server.url + "/api/v1/bookings/", data=json.dumps(payload), headers=headers
    )
    assert booked.status == 201, booked.text()
    rosa.goto(live_server.url + facility.confocal.url)
    expect(rosa.get_by_text("Down until")).to_have_count(0)
