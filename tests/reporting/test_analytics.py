"""Utilisation figures (Finance → Utilisation) against a facility computed by hand.

One month, October 2026, in the facility's zone (Europe/London: British Summer Time until
02:00 on Sunday 25 October, when the clocks go back and the month gains an hour). The
calendar of that month, which every figure below counts on:

    Mon  5 12 19 26      (4)        Fri  2  9 16 23 30   (5)
    Tue  6 13 20 27      (4)        Sat  3 10 17 24 31   (5)
    Wed  7 14 21 28      (4)        Sun  4 11 18 25      (4)
    Thu  1  8 15 22 29   (5)

Three active instruments and one retired one:

    Zeiss LSM 980      Mon, Wed, Thu, Fri 09:00–17:00 (8 h); Tue 09:00–12:00 and 13:00–17:00 (7 h)
                       open: Mon 4×8 + Tue 4×7 + Wed 4×8 + Thu 5×8 + Fri 5×8
                           = 32 + 28 + 32 + 40 + 40 = 172 h
    Orbitrap Exploris  Mon and Wed 08:00–20:00 (12 h), Sat 10:00–14:00 (4 h)
                       open: Mon 4×12 + Wed 4×12 + Sat 5×4 = 48 + 48 + 20 = 116 h
    Leica cryostat     no opening hours: open around the clock
                       open: 31 days × 24 h + the hour the clocks go back = 745 h
    Old SEM            retired (inactive): not listed, whatever it holds

Bookings (Rae, an internal user; projects BIO-2041 and BIO-3000 of Biosciences, CHEM-3310 of
Chemistry). "Held" time is confirmed, checked-in, completed or no-show; rejected and
cancelled bookings held nothing.

    LSM   c1 Thu  1 Oct 09:00–12:00  completed  BIO-2041   3 h
          c2 Mon  5 Oct 13:00–14:20  completed  CHEM-3310  1 h 20
          c3 Tue  6 Oct 09:00–11:00  no-show    BIO-2041   2 h
          c4 Wed  7 Oct 10:00–16:00  cancelled late        (holds nothing; charged)
          c5 Fri 30 Oct 15:00–17:00  completed  BIO-3000   2 h
          c6 Wed 30 Sep 16:00–17:00  completed  BIO-2041   (September)
          c7 Mon  2 Nov 09:00–10:00  completed  BIO-2041   (November)
    Orbi  o1 Mon 12 Oct 08:00–20:00  completed  CHEM-3310 12 h
          o2 Wed 14 Oct 08:00–10:00  no-show    CHEM-3310  2 h
          o3 Sat 24 Oct 10:00–14:00  no-show    BIO-2041   4 h
          o4 Wed 21 Oct 08:00–12:00  rejected              (holds nothing)
          o5 Mon 26 Oct 08:00–09:00  confirmed  CHEM-3310  1 h  (never closed: still held)
    Cryo  k1 Sat 24 Oct 22:00 BST – Sun 25 Oct 04:00 GMT
                                     completed  BIO-2041   7 h  (21:00Z–04:00Z, not 6)
          k2 Mon 26 Oct 10:00–13:10  completed  CHEM-3310  3 h 10
          k3 Tue 27 Oct 10:00–12:00  cancelled early       (holds nothing; free)
    SEM   s1 Thu  8 Oct 10:00–12:00  completed  BIO-2041   (retired instrument)

Utilisation = held hours ÷ open hours; no-show rate = no-shows ÷ (no-shows + completed):

    Orbitrap  12 + 2 + 4 + 1 = 19 h          19 ÷ 116  = 16.38 % → 16.4 %   2 ÷ 3 = 66.7 %
    LSM       3 + 1⅓ + 2 + 2 = 8⅓ h → 8.3    8⅓ ÷ 172  =  4.84 % →  4.8 %   1 ÷ 4 = 25.0 %
    Cryostat  7 + 3⅙ = 10⅙ h → 10.2          10⅙ ÷ 745 =  1.36 % →  1.4 %   0 ÷ 2 =  0.0 %

Billed hours (usage records) by the rate cards: LSM £42/h in 15-minute steps, no-shows 50 %,
late cancellations 25 %; Orbitrap £100/h, no-shows free (no record); cryostat £10/h in whole
hours.

    c1 3.00 h £126.00   c2 1 h 20 → 1.50 h £63.00   c3 2.00 h × 50 % = £42.00
    c4 6.00 h × 25 % = £63.00   c5 2.00 h £84.00   o1 12.00 h £1,200.00
    k1 7.00 h £70.00   k2 3 h 10 → 4.00 h £40.00   s1 2.00 h (unpriced: no card)

    Biosciences  c1 + c3 + c4 + c5 + k1 + s1 = 3 + 2 + 6 + 2 + 7 + 2 = 22.00 h,
                 6 lines, £126 + 42 + 63 + 84 + 70 = £385.00 (s1 unpriced: not summed)
    Chemistry    c2 + o1 + k2 = 1.5 + 12 + 4 = 17.50 h, 3 lines, £63 + 1,200 + 40 = £1,303.00
    BIO-2041     c1 + c3 + c4 + k1 + s1 = 3 + 2 + 6 + 7 + 2 = 20.00 h, 5 lines, £301.00
    CHEM-3310    17.50 h, 3 lines, £1,303.00
    BIO-3000     c5 = 2.00 h, 1 line, £84.00
    Trend        September: c6 1.00 h £42.00; October: 22 + 17.5 = 39.50 h, £1,688.00
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from booking.models import Booking, OpeningHours
from labitory.clock import facility_zone
from people.roles import Role
from reporting import analytics
from reporting.services import record_usage
from tests.conftest import sign_in_with_second_factor
from tests.factories import DepartmentFactory, ProjectFactory, ResourceFactory, UserFactory
from tests.reporting.conftest import LONDON, NOW, at, finished, make_card

OCTOBER = (datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))
MON, TUE, WED, THU, FRI, SAT = range(6)


def hours(resource, weekday: int, opens: int, closes: int) -> None:
    OpeningHours.objects.create(
        resource=resource, weekday=weekday, opens=datetime.time(opens), closes=datetime.time(closes)
    )


def build_month() -> None:
    """The facility of the module docstring, its bookings and their usage records."""
    assert facility_zone() == LONDON
    biosciences = DepartmentFactory(code="BIO", name="Biosciences")
    chemistry = DepartmentFactory(code="CHEM", name="Chemistry")
    rae = UserFactory(email="rae@example.org", roles=[Role.RESEARCHER])
    bio = ProjectFactory(code="BIO-2041", department=biosciences, members=[rae])
    bio_new = ProjectFactory(code="BIO-3000", department=biosciences, members=[rae])
    chem = ProjectFactory(code="CHEM-3310", department=chemistry, members=[rae])

    lsm = ResourceFactory(name="Zeiss LSM 980")
    for day in (MON, WED, THU, FRI):
        hours(lsm, day, 9, 17)
    hours(lsm, TUE, 9, 12)
    hours(lsm, TUE, 13, 17)
    make_card(lsm, no_show_percent=Decimal(50), late_cancellation_percent=Decimal(25))

    orbitrap = ResourceFactory(name="Orbitrap Exploris")
    hours(orbitrap, MON, 8, 20)
    hours(orbitrap, WED, 8, 20)
    hours(orbitrap, SAT, 10, 14)
    make_card(orbitrap, hourly_rate=Decimal(100))

    cryostat = ResourceFactory(name="Leica cryostat")
    make_card(cryostat, hourly_rate=Decimal(10), rounding_minutes=60)

    sem = ResourceFactory(name="Old SEM", is_active=False)

    no_show = Booking.Status.NO_SHOW
    bookings = [
        finished(lsm, rae, bio, at(1, 9), 180),
        finished(lsm, rae, chem, at(5, 13), 80),
        finished(lsm, rae, bio, at(6, 9), 120, no_show),
        finished(lsm, rae, bio, at(7, 10), 360, Booking.Status.CANCELLED, late_cancellation=True),
        finished(lsm, rae, bio_new, at(30, 15), 120),
        finished(lsm, rae, bio, at(30, 16, month=9), 60),
        finished(lsm, rae, bio, at(2, 9, month=11), 60),
        finished(orbitrap, rae, chem, at(12, 8), 720),
        finished(orbitrap, rae, chem, at(14, 8), 120, no_show),
        finished(orbitrap, rae, bio, at(24, 10), 240, no_show),
        finished(orbitrap, rae, chem, at(21, 8), 240, Booking.Status.REJECTED),
        finished(orbitrap, rae, chem, at(26, 8), 60, Booking.Status.CONFIRMED),
        # 22:00 BST to 04:00 GMT: six hours on the wall clock (Python adds wall-clock
        # time to a zoned datetime), seven hours that pass.
        finished(cryostat, rae, bio, at(24, 22), 360),
        finished(cryostat, rae, chem, at(26, 10), 190),
        finished(cryostat, rae, chem, at(27, 10), 120, Booking.Status.CANCELLED),
        finished(sem, rae, bio, at(8, 10), 120),
    ]
    assert bookings[12].end == datetime.datetime(2026, 10, 25, 4, 0, tzinfo=LONDON)
    for booking in bookings:
        record_usage(booking=booking)


@pytest.fixture
def month(db) -> None:
    build_month()


def figures(rows) -> list[tuple]:
    return [
        (row.resource, row.booked_hours, row.open_hours, row.percent, row.no_shows)
        + (row.no_show_percent,)
        for row in rows
    ]


def test_utilisation_is_held_hours_over_open_hours_per_instrument(month):
    assert figures(analytics.utilisation(*OCTOBER)) == [
        ("Orbitrap Exploris", Decimal("19.0"), Decimal(116), Decimal("16.4"), 2, Decimal("66.7")),
        ("Zeiss LSM 980", Decimal("8.3"), Decimal(172), Decimal("4.8"), 1, Decimal("25.0")),
        ("Leica cryostat", Decimal("10.2"), Decimal(745), Decimal("1.4"), 0, Decimal("0.0")),
    ]


def test_an_instrument_open_around_the_clock_counts_the_hour_the_clocks_go_back(month):
    # 31 × 24 = 744 wall-clock hours, but 745 hours pass in London in October 2026.
    open_hours = {row.resource: row.open_hours for row in analytics.utilisation(*OCTOBER)}
    assert open_hours["Leica cryostat"] == Decimal(745)


def test_a_month_with_nothing_held_shows_zero_and_no_no_show_rate(month):
    august = (datetime.date(2026, 8, 1), datetime.date(2026, 8, 31))
    rows = {row.resource: row for row in analytics.utilisation(*august)}
    # August 2026: Mon 5 Tue 4 Wed 4 Thu 4 Fri 4 Sat 5 Sun 5; 31 × 24 h, no clock change.
    assert rows["Zeiss LSM 980"].open_hours == Decimal(5 * 8 + 4 * 7 + 4 * 8 + 4 * 8 + 4 * 8)
    assert rows["Orbitrap Exploris"].open_hours == Decimal(5 * 12 + 4 * 12 + 5 * 4)
    assert rows["Leica cryostat"].open_hours == Decimal(744)
    assert {(row.booked_hours, row.percent, row.no_show_percent) for row in rows.values()} == {
        (Decimal("0.0"), Decimal("0.0"), None)
    }


def test_billed_hours_are_grouped_by_department(month):
    assert analytics.hours_by("department__name", "Department", *OCTOBER) == [
        {
            "label": "Biosciences",
            "hours": Decimal("22.00"),
            "amount": Decimal("385.00"),
            "lines": 6,
        },
        {"label": "Chemistry", "hours": Decimal("17.50"), "amount": Decimal("1303.00"), "lines": 3},
    ]


def test_billed_hours_are_grouped_by_project(month):
    assert analytics.hours_by("project__code", "Project", *OCTOBER) == [
        {"label": "BIO-2041", "hours": Decimal("20.00"), "amount": Decimal("301.00"), "lines": 5},
        {"label": "CHEM-3310", "hours": Decimal("17.50"), "amount": Decimal("1303.00"), "lines": 3},
        {"label": "BIO-3000", "hours": Decimal("2.00"), "amount": Decimal("84.00"), "lines": 1},
    ]


def test_the_trend_ends_with_the_month_and_counts_each_period_once(month):
    trend = analytics.monthly_trend(OCTOBER[0])
    assert [row["month"] for row in trend][-3:] == [
        datetime.date(2026, 8, 1),
        datetime.date(2026, 9, 1),
        datetime.date(2026, 10, 1),
    ]
    assert len(trend) == 12
    assert [(row["hours"], row["amount"]) for row in trend[-3:]] == [
        (Decimal(0), Decimal(0)),
        (Decimal("1.00"), Decimal("42.00")),
        (Decimal("39.50"), Decimal("1688.00")),
    ]


# The page finance reads


def table_rows(html: str) -> list[list[list[str]]]:
    """The body rows of each listing table on the page, as lists of cell texts."""
    tables = re.findall(r'<table class="listing">(.*?)</table>', html, re.S)
    return [
        [
            [
                re.sub(r"<[^>]+>", "", cell).strip()
                for cell in re.findall(r"<td[^>]*>(.*?)</td>", tr)
            ]
            for tr in re.findall(r"<tr>(.*?)</tr>", re.search(r"<tbody>(.*)</tbody>", t, re.S)[1])
        ]
        for t in tables
    ]


@pytest.fixture
def shown(month) -> str:
    finance = UserFactory(email="fin@example.org", roles=[Role.FINANCE])
    client = Client()
    sign_in_with_second_factor(client, finance)
    response = client.get(reverse("reporting_utilisation"), {"month": "2026-10"})
    assert response.status_code == 200
    assert NOW.date() > OCTOBER[1]  # the month shown is over on the tests' clock
    return response.content.decode()


def test_the_page_shows_each_instruments_figures(shown):
    utilisation = table_rows(shown)[0]
    assert utilisation == [
        ["Orbitrap Exploris", "19.0", "116.0", "0.0", "116.0", "100.0%", "16.4%", "2", "66.7%"],
        ["Zeiss LSM 980", "8.3", "172.0", "0.0", "172.0", "100.0%", "4.8%", "1", "25.0%"],
        ["Leica cryostat", "10.2", "745.0", "0.0", "745.0", "100.0%", "1.4%", "0", "0.0%"],
    ]
    assert "Utilisation per instrument, October 2026" in shown


def test_the_page_shows_billed_hours_by_department_and_project(shown):
    _, departments, projects, _ = table_rows(shown)
    assert departments == [
        ["Biosciences", "6", "22.00", "£385.00"],
        ["Chemistry", "3", "17.50", "£1,303.00"],
    ]
    assert projects == [
        ["BIO-2041", "5", "20.00", "£301.00"],
        ["CHEM-3310", "3", "17.50", "£1,303.00"],
        ["BIO-3000", "1", "2.00", "£84.00"],
    ]


def test_the_page_shows_the_trend_up_to_the_month(shown):
    trend = table_rows(shown)[3]
    assert trend[-2:] == [
        ["September 2026", "1.00", "£42.00"],
        ["October 2026", "39.50", "£1,688.00"],
    ]
    assert trend[0] == ["November 2025", "0", "£0.00"]
