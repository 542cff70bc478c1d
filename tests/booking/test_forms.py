"""The booking form parses what people type, in the facility's zone; it decides nothing."""

import datetime

import pytest

from booking.forms import BookingForm, MyBookingsFilter, local_datetime, parse_local
from labitory.refusals import Problem
from tests.booking.conftest import LONDON, NOW
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def form(instrument, booker, **data) -> BookingForm:
    fields = {
        "start_0": "2030-03-05",
        "start_1": "10:00",
        "end_0": "2030-03-05",
        "end_1": "11:00",
        "project": "",
        "note": "",
    }
    fields.update(data)
    return BookingForm(fields, user=booker, resource=instrument, today=NOW.date())


def test_dates_and_times_become_aware_moments_in_the_facility_zone(instrument, booker, project):
    parsed = form(instrument, booker, project=project.pk)
    assert parsed.is_valid(), parsed.errors
    assert parsed.cleaned_data["start"] == datetime.datetime(2030, 3, 5, 10, tzinfo=LONDON)
    assert parsed.cleaned_data["end"].utcoffset() is not None
    assert parsed.cleaned_data["project"] == project


def test_summer_times_are_read_in_summer_time(instrument, booker):
    parsed = form(instrument, booker, start_0="2030-07-01", end_0="2030-07-01")
    assert parsed.is_valid()
    assert parsed.cleaned_data["start"].utcoffset() == datetime.timedelta(hours=1)


@pytest.mark.parametrize(
    "field, value",
    [("start_0", "2030-13-45"), ("start_0", "tomorrow"), ("start_1", "25:99"), ("end_1", "noon")],
)
def test_garbled_dates_and_times_are_form_errors(instrument, booker, field, value):
    parsed = form(instrument, booker, **{field: value})
    assert not parsed.is_valid()
    assert set(parsed.errors) == {field.split("_")[0]}


def test_a_missing_time_is_an_error_on_its_field(instrument, booker):
    parsed = form(instrument, booker, end_1="")
    assert not parsed.is_valid()
    assert "end" in parsed.errors


def test_a_time_the_clocks_skip_is_refused(instrument, booker):
    parsed = form(instrument, booker, start_0="2030-03-31", start_1="01:30", end_0="2030-03-31")
    assert not parsed.is_valid()
    assert "the clocks go forward" in parsed.errors["start"][0]


def test_a_time_the_clocks_pass_twice_means_the_first(instrument, booker):
    moment = local_datetime(datetime.date(2030, 10, 27), datetime.time(1, 30))
    assert moment.utcoffset() == datetime.timedelta(hours=1)


def test_a_project_the_user_is_not_in_is_refused(instrument, booker, project):
    stranger_project = ProjectFactory(code="NOT-MINE")
    parsed = form(instrument, booker, project=stranger_project.pk)
    assert not parsed.is_valid()
    assert parsed.errors["project"] == ["Choose one of your own active projects."]


def test_a_missing_project_is_left_for_the_rules_to_report(instrument, booker):
    parsed = form(instrument, booker)
    assert parsed.is_valid()
    assert parsed.cleaned_data["project"] is None


def test_only_the_users_active_projects_are_offered(instrument, booker, project):
    ProjectFactory(code="ENDED", members=[booker], active_to=datetime.date(2029, 12, 31))
    ProjectFactory(code="OTHERS")
    offered = form(instrument, booker).fields["project"].queryset
    assert list(offered) == [project]


def test_the_time_inputs_step_by_the_granularity(instrument, booker):
    instrument.granularity = 30
    html = str(form(instrument, booker)["start"])
    assert 'step="1800"' in html and 'type="time"' in html and 'type="date"' in html


def test_slot_links_fill_in_start_end_and_the_only_project(instrument, booker, project):
    initial = form(instrument, booker).initial_from(
        {"start": "2030-03-05T09:30", "end": "2030-03-05T10:30"}
    )
    assert initial["start"] == datetime.datetime(2030, 3, 5, 9, 30, tzinfo=LONDON)
    assert initial["end"] == datetime.datetime(2030, 3, 5, 10, 30, tzinfo=LONDON)
    assert initial["project"] == project.pk


def test_garbled_link_values_and_foreign_projects_are_ignored(instrument, booker, project):
    ProjectFactory(code="SECOND", members=[booker])
    foreign = ProjectFactory(code="FOREIGN")
    initial = form(instrument, booker).initial_from(
        {"start": "yesterday", "end": "2030-03-05T99:00", "project": str(foreign.pk)}
    )
    assert initial == {}


def test_parse_local_refuses_naive_garbage():
    assert parse_local("2030-03-05 10:00") is None
    assert parse_local(None) is None


def test_refused_rules_are_shown_on_their_fields(instrument, booker, project):
    parsed = form(instrument, booker, project=project.pk)
    assert parsed.is_valid()
    parsed.add_problems(
        [
            Problem("slot_taken", "Someone else has booked that time.", "start"),
            Problem("too_long", "Bookings last at most 4 hours.", "end"),
            Problem("not_qualified", "You need to be trained first."),
        ]
    )
    assert parsed.errors["start"] == ["Someone else has booked that time."]
    assert parsed.errors["end"] == ["Bookings last at most 4 hours."]
    assert parsed.non_field_errors() == ["You need to be trained first."]


def test_the_bookings_filter_ignores_unknown_values():
    filters = MyBookingsFilter({"status": "sideways", "resource": "x"}, resources=[(1, "Confocal")])
    assert filters.value("status") is None and filters.value("resource") is None
    filters = MyBookingsFilter({"status": "confirmed", "resource": "1"}, resources=[(1, "C")])
    assert filters.value("status") == "confirmed" and filters.value("resource") == 1
