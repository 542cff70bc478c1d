"""Down time in utilisation and billing: available hours leave outages out, each instrument
has an uptime figure for the month, and time it was down is never charged.

October 2026 in London (the clocks go back on Sunday 25th: the month has 745 hours):

    Zeiss LSM 980   Mon–Fri 09:00–17:00: 22 weekdays × 8 h = 176 open hours
                    down Tue 13 Oct 12:00 – Thu 15 Oct 12:00 (local)
                    open hours in it: Tue 12–17 (5) + Wed 9–17 (8) + Thu 9–12 (3) = 16 h
                    available 176 − 16 = 160 h; uptime 160 ÷ 176 = 90.9 %
                    booked: Mon 5 Oct 09:00–17:00, 8 h → utilisation 8 ÷ 160 = 5.0 %
    Leica cryostat  no opening hours: open all 745 h
                    down Sat 31 Oct 12:00 – Mon 2 Nov 12:00: 12 h of it in October
                    available 733 h; uptime 733 ÷ 745 = 98.39 % → 98.4 %
"""

import datetime
from decimal import Decimal

import pytest

from booking.models import Booking, OpeningHours, Outage
from reporting import analytics
from reporting.models import UsageRecord
from reporting.services import record_usage
from tests.factories import ProjectFactory, ResourceFactory, UserFactory
from tests.reporting.conftest import at, finished, make_card

pytestmark = pytest.mark.django_db
OCTOBER = (datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))


@pytest.fixture
def lsm(db):
    lsm = ResourceFactory(name="Zeiss LSM 980")
    for weekday in range(5):
        OpeningHours.objects.create(
            resource=lsm, weekday=weekday, opens=datetime.time(9), closes=datetime.time(17)
        )
    Outage.objects.create(resource=lsm, starts_at=at(13, 12), ends_at=at(15, 12), reason="Laser")
    make_card(lsm, no_show_percent=Decimal(50), late_cancellation_percent=Decimal(50))
    return lsm


@pytest.fixture
def cryostat(db):
    cryostat = ResourceFactory(name="Leica cryostat")
    Outage.objects.create(
        resource=cryostat, starts_at=at(31, 12), ends_at=at(2, 12, month=11), reason="Compressor"
    )
    return cryostat


@pytest.fixture
def rae(db):
    return UserFactory(email="rae@example.org")


@pytest.fixture
def project(rae):
    return ProjectFactory(code="BIO-2041", members=[rae])


def row(name: str) -> analytics.Utilisation:
    return next(r for r in analytics.utilisation(*OCTOBER) if r.resource == name)


def test_available_hours_leave_out_the_open_hours_an_instrument_was_down(lsm, rae, project):
    finished(lsm, rae, project, at(5, 9), 480)

    figures = row("Zeiss LSM 980")

    assert figures.open_hours == Decimal(176)
    assert figures.down_hours == Decimal(16)
    assert figures.available_hours == Decimal(160)
    assert figures.uptime == Decimal("90.9")
    assert figures.percent == Decimal("5.0")


def test_an_outage_across_the_month_end_counts_only_its_part_in_the_month(cryostat):
    figures = row("Leica cryostat")

    assert (figures.open_hours, figures.down_hours) == (Decimal(745), Decimal(12))
    assert figures.uptime == Decimal("98.4")


def test_an_instrument_never_down_has_full_uptime(lsm):
    other = ResourceFactory(name="Orbitrap Exploris")

    figures = row(other.name)

    assert (figures.down_hours, figures.uptime) == (Decimal(0), Decimal("100.0"))


def test_a_no_show_while_down_is_not_charged(lsm, rae, project):
    missed = finished(lsm, rae, project, at(14, 10), 60, Booking.Status.NO_SHOW)
    charged = finished(lsm, rae, project, at(16, 10), 60, Booking.Status.NO_SHOW)

    assert record_usage(booking=missed) is None
    assert record_usage(booking=charged).kind == UsageRecord.Kind.NO_SHOW


def test_a_late_cancellation_while_down_is_not_charged(lsm, rae, project):
    cancelled = finished(
        lsm, rae, project, at(13, 14), 60, Booking.Status.CANCELLED, late_cancellation=True
    )

    assert record_usage(booking=cancelled) is None
    assert not UsageRecord.objects.exists()
