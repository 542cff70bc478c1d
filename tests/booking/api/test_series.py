"""/api/v1/bookings/preview/ and booking a series: each occurrence's verdict, the web form's
series behaviour (free occurrences booked, the others skipped), and nothing written by a
preview."""

import datetime

import pytest
from wagtail.models import ModelLogEntry

from booking.models import Booking, BookingSeries, OpeningHours
from tests.api.helpers import book, iso, soon, utc
from tests.workflows.helpers import make_rule
from workflows.models import ApprovalRequest, ApprovalStep, OutboxMessage

pytestmark = pytest.mark.django_db

WEEKLY_4 = {"frequency": "WEEKLY", "count": 4}


def wanted(instrument, project, start, end, repeat=None) -> dict:
    body = {"resource": instrument.pk, "project": project.pk, "start": iso(start), "end": iso(end)}
    return body | ({"repeat": repeat} if repeat else {})


def written() -> dict[str, int]:
    """Everything a booking writes: bookings, series, log entries, approvals, messages."""
    return {
        "bookings": Booking.objects.count(),
        "series": BookingSeries.objects.count(),
        "log": ModelLogEntry.objects.count(),
        "approvals": ApprovalRequest.objects.count(),
        "outbox": OutboxMessage.objects.count(),
    }


@pytest.fixture
def rival_in_week_2(instrument, rival, rival_project):
    return book(rival, instrument, rival_project, soon(9, 10), soon(9, 11))


# Preview.


def test_a_one_off_preview_says_it_can_be_booked(api, instrument, project):
    response = api.post(
        "/api/v1/bookings/preview/",
        wanted(instrument, project, soon(2, 10), soon(2, 11)),
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json() == {
        "bookable": 1,
        "refused": 0,
        "occurrences": [
            {
                "start": utc(soon(2, 10)),
                "end": utc(soon(2, 11)),
                "ok": True,
                "problems": [],
                "needs_approval": False,
                "approval_reasons": [],
            }
        ],
    }


def test_a_series_preview_gives_each_occurrence_its_verdict(
    api, instrument, project, rival_in_week_2
):
    response = api.post(
        "/api/v1/bookings/preview/",
        wanted(instrument, project, soon(2, 10), soon(2, 11), WEEKLY_4),
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["bookable"], body["refused"]) == (3, 1)
    assert [o["start"] for o in body["occurrences"]] == [utc(soon(d, 10)) for d in (2, 9, 16, 23)]
    assert [o["ok"] for o in body["occurrences"]] == [True, False, True, True]
    [problem] = body["occurrences"][1]["problems"]
    assert problem["code"] == "slot_taken" and problem["field"] == "start"
    assert "Someone else has booked" in problem["message"]


def test_a_preview_says_which_occurrences_would_wait_for_approval_and_why(api, instrument, project):
    make_rule(
        instrument.lab,
        {"label": "Lab manager", "approvers": ApprovalStep.Approvers.USERS, "users": []},
        first_booking=True,
    )
    instrument.allow_outside_hours = True
    instrument.save()
    for day, closes in ((2, 9), (3, 18)):
        OpeningHours.objects.create(
            resource=instrument,
            weekday=soon(day, 8).weekday(),
            opens=datetime.time(8),
            closes=datetime.time(closes),
        )

    body = api.post(
        "/api/v1/bookings/preview/",
        wanted(instrument, project, soon(2, 10), soon(2, 11), {"frequency": "DAILY", "count": 2}),
        format="json",
    ).json()

    first, second = body["occurrences"]
    assert first["ok"] and second["ok"]
    assert first["needs_approval"] and second["needs_approval"]
    # The first is outside opening hours; both are the booker's first booking on it.
    assert [r["code"] for r in first["approval_reasons"]] == [
        "outside_opening_hours",
        "approval_rule",
    ]
    assert [r["code"] for r in second["approval_reasons"]] == ["approval_rule"]
    assert "first booking" in second["approval_reasons"][0]["message"]


def test_a_preview_writes_nothing(api, instrument, project, rival_in_week_2):
    make_rule(
        instrument.lab,
        {"label": "Lab manager", "approvers": ApprovalStep.Approvers.USERS, "users": []},
        always=True,
    )
    before = written()

    for repeat in (None, WEEKLY_4):
        response = api.post(
            "/api/v1/bookings/preview/",
            wanted(instrument, project, soon(2, 10), soon(2, 11), repeat),
            format="json",
        )
        assert response.status_code == 200
        assert response.json()["occurrences"][0]["needs_approval"]

    assert written() == before


def test_a_preview_lists_every_broken_rule_with_its_code(api, instrument, project):
    body = api.post(
        "/api/v1/bookings/preview/",
        wanted(instrument, project, soon(2, 10, 7), soon(2, 20)),
        format="json",
    ).json()

    [occurrence] = body["occurrences"]
    assert not occurrence["ok"] and not occurrence["needs_approval"]
    assert {p["code"] for p in occurrence["problems"]} == {"off_granularity", "too_long"}


def test_a_preview_that_cannot_be_read_is_a_400(api, instrument, project):
    body = wanted(instrument, project, soon(2, 10), soon(2, 11), {"frequency": "YEARLY"})

    response = api.post("/api/v1/bookings/preview/", body, format="json")

    assert response.status_code == 400
    assert response.json()["problems"][0]["field"] == "repeat.frequency"


# Booking a series.


def test_a_series_books_every_free_occurrence_and_skips_the_others(
    api, instrument, booker, project, rival_in_week_2
):
    response = api.post(
        "/api/v1/bookings/",
        wanted(instrument, project, soon(2, 10), soon(2, 11), WEEKLY_4) | {"note": "Weekly scan"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    series = BookingSeries.objects.get(pk=body["series"])
    assert body["rule"] == series.rule == "FREQ=WEEKLY;INTERVAL=1;COUNT=4"
    booked = Booking.objects.filter(series=series).order_by("start")
    assert [b["id"] for b in body["bookings"]] == [b.pk for b in booked]
    assert [b.start for b in booked] == [soon(d, 10) for d in (2, 16, 23)]
    assert {b.status for b in booked} == {Booking.Status.CONFIRMED}
    assert {b.note for b in booked} == {"Weekly scan"} and {b.user for b in booked} == {booker}
    [skipped] = body["skipped"]
    assert skipped["start"] == utc(soon(9, 10))
    assert [p["code"] for p in skipped["problems"]] == ["slot_taken"]


def test_a_series_keeps_its_wall_clock_time_and_the_weekdays_asked_for(api, instrument, project):
    repeat = {"frequency": "WEEKLY", "weekdays": ["MO", "WE"], "count": 4}
    start = soon(7, 10)
    start = start + datetime.timedelta(days=(7 - start.weekday()) % 7)  # a Monday

    body = api.post(
        "/api/v1/bookings/",
        wanted(instrument, project, start, start + datetime.timedelta(hours=1), repeat),
        format="json",
    ).json()

    assert [b["start"] for b in body["bookings"]] == [
        utc(start + datetime.timedelta(days=d)) for d in (0, 2, 7, 9)
    ]


def test_a_series_none_of_which_can_be_booked_is_refused_with_each_occurrences_codes(
    api, instrument, project, rival, rival_project
):
    for day in (2, 3):
        book(rival, instrument, rival_project, soon(day, 10), soon(day, 11))
    before = written()

    response = api.post(
        "/api/v1/bookings/",
        wanted(instrument, project, soon(2, 10), soon(2, 11), {"frequency": "DAILY", "count": 2}),
        format="json",
    )

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "slot_taken"
    assert [(p["code"], p["field"]) for p in body["problems"]] == [
        ("slot_taken", "occurrences.0.start"),
        ("slot_taken", "occurrences.1.start"),
    ]
    assert written() == before


def test_a_series_broken_by_a_rule_is_a_400(api, instrument, project):
    response = api.post(
        "/api/v1/bookings/",
        wanted(instrument, project, soon(2, 10), soon(2, 20), {"frequency": "DAILY", "count": 2}),
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "too_long"
    assert [p["field"] for p in response.json()["problems"]] == [
        "occurrences.0.end",
        "occurrences.1.end",
    ]
    assert not BookingSeries.objects.exists()


@pytest.mark.parametrize(
    "repeat",
    [
        {"frequency": "WEEKLY"},  # never ends
        {"frequency": "WEEKLY", "count": 3, "until": "2031-01-01"},  # ends twice
        {"frequency": "DAILY", "until": "2999-01-01"},  # over 100 occurrences
    ],
)
def test_a_recurrence_that_cannot_be_used_is_a_400(api, instrument, project, repeat):
    for path in ("/api/v1/bookings/", "/api/v1/bookings/preview/"):
        response = api.post(
            path, wanted(instrument, project, soon(2, 10), soon(2, 11), repeat), format="json"
        )

        assert response.status_code == 400, response.json()
        body = response.json()
        assert body["code"] == "invalid_recurrence"
        assert body["problems"][0]["field"] == "repeat"
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    "repeat, field",
    [
        ({"frequency": "WEEKLY", "count": 101}, "repeat.count"),
        ({"frequency": "WEEKLY", "count": 2, "interval": 0}, "repeat.interval"),
        ({"frequency": "WEEKLY", "count": 2, "weekdays": ["XX"]}, "repeat.weekdays.0"),
        ({"frequency": "WEEKLY", "until": "soon"}, "repeat.until"),
        ("weekly", "repeat"),
    ],
)
def test_recurrence_fields_are_checked(api, instrument, project, repeat, field):
    body = wanted(instrument, project, soon(2, 10), soon(2, 11)) | {"repeat": repeat}

    response = api.post("/api/v1/bookings/", body, format="json")

    assert response.status_code == 400
    assert response.json()["problems"][0]["field"] == field


def test_a_null_repeat_books_once(api, instrument, project):
    body = wanted(instrument, project, soon(2, 10), soon(2, 11)) | {"repeat": None}

    response = api.post("/api/v1/bookings/", body, format="json")

    assert response.status_code == 201
    assert response.json()["series"] is None and response.json()["status"] == "confirmed"


@pytest.mark.parametrize("repeat", [None, WEEKLY_4])
def test_a_resource_that_does_not_exist_is_a_400_on_every_booking_path(api, project, repeat):
    body = {"resource": 987654, "project": project.pk, "start": iso(soon(2, 10))}
    body |= {"end": iso(soon(2, 11)), "repeat": repeat}
    for path in ("/api/v1/bookings/", "/api/v1/bookings/preview/"):
        response = api.post(path, body, format="json")

        assert response.status_code == 400, response.json()
        [problem] = response.json()["problems"]
        assert (problem["code"], problem["field"]) == ("does_not_exist", "resource")
    assert not Booking.objects.exists() and not BookingSeries.objects.exists()
