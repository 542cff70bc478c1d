"""The panels' reads: each role's figures, only within the reader's labs, in a fixed
number of queries however many rows there are."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from booking.models import Booking
from dashboards import queries
from operations.models import ProblemReport
from reporting.models import BillingPeriod, Statement
from tests.dashboards.conftest import another_instrument, fill_lab, place
from tests.factories import ProjectFactory, ResourceFactory, UserFactory
from workflows.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_a_coordinator_sees_their_own_labs_day_and_nothing_of_another_lab(coordinator, busy_labs):
    day = queries.coordinator_day(coordinator, now=busy_labs)

    for found in (day.today, day.waiting, day.no_shows, day.maintenance, day.problems):
        assert len(found) == 1
        assert found[0].resource.lab.name == "Imaging"


def test_the_coordinators_day_takes_the_same_queries_for_many_bookings(
    coordinator, facility, busy_labs, django_assert_num_queries
):
    queries.coordinator_day(coordinator, now=busy_labs)  # the user's labs, read once
    with django_assert_num_queries(5):
        queries.coordinator_day(coordinator, now=busy_labs)
    for _ in range(4):
        fill_lab(another_instrument(facility.imaging_lab.lab), now=busy_labs, name="X")
    with django_assert_num_queries(5):
        day = queries.coordinator_day(coordinator, now=busy_labs)
    assert len(day.problems) == 5


def test_no_shows_older_than_a_week_and_resolved_reports_drop_off(coordinator, busy_labs):
    nine_days_ago = busy_labs - datetime.timedelta(days=9)
    Booking.objects.filter(status="no_show").update(
        start=nine_days_ago, end=nine_days_ago + datetime.timedelta(hours=1)
    )
    ProblemReport.objects.update(status=ProblemReport.Status.RESOLVED)

    day = queries.coordinator_day(coordinator, now=busy_labs)

    assert day.no_shows == [] and day.problems == []


def month(first: datetime.date, status=BillingPeriod.Status.OPEN) -> BillingPeriod:
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    closed = timezone.now() if status == BillingPeriod.Status.CLOSED else None
    return BillingPeriod.objects.create(
        starts_on=first, ends_on=last, status=status, closed_at=closed
    )


def test_finance_may_close_last_month_but_not_the_month_in_progress(db):
    now = datetime.datetime(2030, 3, 14, 12, tzinfo=datetime.UTC)
    month(datetime.date(2030, 1, 1), BillingPeriod.Status.CLOSED)
    february, march = month(datetime.date(2030, 2, 1)), month(datetime.date(2030, 3, 1))

    desk = queries.finance_desk(now=now)

    assert [(m.period, m.closable) for m in desk.months] == [(february, True), (march, False)]
    assert desk.months[1].why_not == "March 2030 is not over yet."


def test_finance_sees_unpriced_lines_and_failed_statements(db, django_assert_num_queries):
    from reporting.services import record_usage

    researcher = UserFactory()
    project = ProjectFactory(members=[researcher])
    unpriced = ResourceFactory()  # no rate card: its usage has no amount
    for day in (3, 5):
        start = datetime.datetime(2030, 2, day, 9, tzinfo=datetime.UTC)
        booking = place(unpriced, researcher, project, start, status=Booking.Status.COMPLETED)
        record_usage(booking=booking)
    period = BillingPeriod.objects.get()
    Statement.objects.create(period=period, project=project, status=Statement.Status.FAILED)

    with django_assert_num_queries(3):
        desk = queries.finance_desk(now=datetime.datetime(2030, 3, 2, tzinfo=datetime.UTC))

    assert desk.unpriced == 2 and desk.months[0].unpriced == 2
    assert desk.statements == {"failed": 1} and len(desk.failed) == 1


def test_site_admins_see_failed_mail_and_no_backup(db, settings, tmp_path):
    settings.BACKUP_DIR = tmp_path
    OutboxMessage.objects.create(
        event="report_ready",
        address="x@example.org",
        key="k1",
        subject="Your statement is ready",
        status=OutboxMessage.Status.FAILED,
        next_attempt_at=timezone.now(),
    )

    health = queries.site_health(now=timezone.now())

    assert health.failed_messages == 1 and health.last_backup is None and health.backup_stale
    (tmp_path / "labitory-20300101T020000Z.tar").write_bytes(b"x" * 10)
    later = queries.site_health(now=datetime.datetime(2030, 1, 1, 12, tzinfo=datetime.UTC))
    assert later.backup_size == 10 and not later.backup_stale


def test_an_approvers_queue_shows_estimate_and_that_days_other_bookings(
    instrument, booker, project, two_step_rule, django_assert_num_queries
):
    from tests.booking.conftest import at
    from tests.workflows.helpers import book

    first = book(instrument, booker, project, at(1, 10), at(1, 11))
    place(instrument, UserFactory(), ProjectFactory(), at(1, 14))
    place(instrument, UserFactory(), ProjectFactory(), at(2, 14))  # another day

    result = queries.approver_queue(project.pi)

    assert result.count == 1
    (decision,) = result.decisions
    assert decision.task.request.booking == first
    assert [b.start for b in decision.same_day] == [at(1, 14)]
    assert decision.estimate is None or decision.estimate >= Decimal("0")
