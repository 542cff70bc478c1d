"""The whole stack as deployed, driven over HTTP through nginx only: nginx → gunicorn with
the production settings, a Celery worker per queue group, beat, PostgreSQL, Redis and an
SMTP sink (deploy/stack/). A researcher books a session that needs approval, the demo
approver approves it on the site, the confirmation arrives by email; finance re-renders a
statement in the admin and downloads the PDF."""

import datetime
import io
import mailbox
import re
import time
from email.message import Message
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from demo.content import DEMO_AUTHENTICATOR_KEY, USERS

from .runner import RunningStack
from .site_client import SiteClient

pytestmark = pytest.mark.stack

PASSWORDS = {user["email"]: user["password"] for user in USERS}
RESEARCHER = "researcher@demo.labitory.test"
APPROVER = "approver@demo.labitory.test"
FINANCE = "finance@demo.labitory.test"
CONFOCAL = "/light-microscopy/zeiss-lsm-980-airyscan/"
# The demo's "Long confocal sessions" rule: longer than three hours needs the supervisor.
SESSION = datetime.timedelta(hours=4)
ZONE = ZoneInfo("Europe/London")


def signed_in(stack: RunningStack, email: str) -> SiteClient:
    client = SiteClient(stack.base_url)
    client.sign_in(email, PASSWORDS[email], authenticator_key=DEMO_AUTHENTICATOR_KEY)
    return client


def wait_for(what: str, check, *, seconds: float = 90):
    deadline = time.monotonic() + seconds
    while not (found := check()):
        assert time.monotonic() < deadline, f"{what} did not happen within {seconds:.0f} s"
        time.sleep(0.5)
    return found


def test_health_check_through_nginx_reports_every_service(stack):
    response = SiteClient(stack.base_url).get("/healthz")

    assert response.status_code == 200
    assert response.headers["Server"] == "nginx"
    checks = response.json()["checks"]
    assert {name: check["status"] for name, check in checks.items()} == {
        "database": "ok",
        "cache": "ok",
        "broker": "ok",
    }


def test_instrument_page_and_its_static_files_are_served(stack):
    client = SiteClient(stack.base_url)
    page = client.get(CONFOCAL)

    assert page.status_code == 200
    assert "Zeiss LSM 980" in page.text
    assert "Content-Security-Policy" in page.headers
    stylesheet = re.search(r'href="(/static/css/labitory\.[0-9a-f]+\.css)"', page.text).group(1)
    css = client.get(stylesheet, headers={"Accept-Encoding": "gzip"})
    assert css.status_code == 200
    assert css.headers["Content-Encoding"] == "gzip"  # nginx's gzip_static, not gunicorn
    assert "immutable" in css.headers["Cache-Control"]


def free_session(client: SiteClient, resource_id: int) -> datetime.datetime:
    """The start of the first free four hours (on the half hour) from three days ahead."""
    first_day = datetime.datetime.now(ZONE).date() + datetime.timedelta(days=3)
    for offset in range(14):
        day = first_day + datetime.timedelta(days=offset)
        window = f"start={day}T00:00:00Z&end={day + datetime.timedelta(days=1)}T00:00:00Z"
        free = client.api("GET", f"/api/v1/resources/{resource_id}/availability/?{window}")
        for interval in free.json()["free"]:
            begin = datetime.datetime.fromisoformat(interval["start"]).astimezone(ZONE)
            begin += datetime.timedelta(minutes=-begin.minute % 30)
            if begin + SESSION <= datetime.datetime.fromisoformat(interval["end"]):
                return begin
    raise AssertionError("the confocal has no four free hours in the next two weeks")


def book_long_session(client: SiteClient) -> int:
    """Book four hours on the confocal through the booking form; the booking's id."""
    page = client.get(CONFOCAL).text
    resource_id = int(re.search(r'href="/bookings/new/(\d+)/', page).group(1))
    start = free_session(client, resource_id)
    end = start + SESSION
    project = client.api("GET", "/api/v1/projects/").json()["results"][0]["id"]
    response = client.post_form(
        f"/bookings/new/{resource_id}/",
        {
            "start_0": f"{start:%Y-%m-%d}",
            "start_1": f"{start:%H:%M}",
            "end_0": f"{end:%Y-%m-%d}",
            "end_1": f"{end:%H:%M}",
            "project": project,
            "note": "Full-stack smoke test",
            "repeat-frequency": "",
            "repeat-interval": "1",
            "repeat-ends": "count",
            "repeat-count": "4",
        },
    )
    assert "Requested: waiting for approval" in response.text, response.text[-2000:]
    return int(re.search(r"/bookings/(\d+)/$", response.url).group(1))


def approve(approver: SiteClient, booking_id: int) -> None:
    """Find the booking's task in the approver's list and approve it on /approvals/."""
    tasks = approver.api("GET", "/api/v1/approvals/").json()["results"]
    (task,) = [t for t in tasks if t["booking"]["id"] == booking_id and t["decision"] == "pending"]
    assert f'href="/approvals/{task["id"]}/"' in approver.get("/approvals/").text
    response = approver.post_form(
        f"/approvals/{task['id']}/", {"decision": "approve", "comment": "Enjoy the session"}
    )
    assert response.status_code == 200 and "Approved" in response.text


def mail_to(stack: RunningStack, address: str, subject_has: str) -> list[Message]:
    return [
        message
        for message in mailbox.Maildir(stack.maildir, create=False)
        if address in message["To"] and subject_has in message["Subject"].lower()
    ]


def test_a_booking_that_needs_approval_is_approved_and_the_confirmation_is_emailed(stack):
    researcher = signed_in(stack, RESEARCHER)
    booking_id = book_long_session(researcher)

    approve(signed_in(stack, APPROVER), booking_id)

    detail = researcher.get(f"/bookings/{booking_id}/").text
    assert "Confirmed: you’re booked" in detail
    (confirmation,) = wait_for(
        "the confirmation email", lambda: mail_to(stack, RESEARCHER, "confirmed")
    )
    attachments = [part.get_filename() or "" for part in confirmation.walk()]
    assert any(name.endswith(".ics") for name in attachments), attachments


def test_finance_re_renders_a_statement_in_the_admin_and_downloads_the_pdf(stack):
    finance = signed_in(stack, FINANCE)
    statements = finance.api("GET", "/api/v1/statements/").json()["results"]
    statement = statements[0]

    response = finance.post_form(
        f"/admin/reports/statements/{statement['id']}/rerun/",
        {},
        page="/admin/reports/statements/",
    )
    assert response.status_code == 200

    def rendered_again():
        now = finance.api("GET", f"/api/v1/statements/{statement['id']}/").json()
        renewed = now["requested_at"] > statement["requested_at"]
        return now if renewed and now["status"] == "ready" else None

    ready = wait_for("the statement's new render", rendered_again, seconds=120)
    assert ready["rendered_at"] > ready["requested_at"]
    pdf = finance.get(ready["download_url"])
    assert pdf.status_code == 200
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) >= 1
