"""Booking questions on the researcher's screens: asked on the booking form, errors next to
the field, shown on the booking's page, and editable when the booking is changed."""

import re

import pytest
from django.urls import reverse

from booking.models import Booking, BookingQuestion
from tests.booking.views.screens import errors_of, local, new_url, post_booking, when
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db
Kind = BookingQuestion.Kind


@pytest.fixture
def questions(resource) -> tuple[BookingQuestion, BookingQuestion]:
    level = BookingQuestion.objects.create(
        resource=resource,
        text="Biosafety level",
        kind=Kind.CHOICE,
        options="BSL-1\nBSL-2",
        help_text="Of the most hazardous sample.",
        sort_order=0,
    )
    fixed = BookingQuestion.objects.create(
        resource=resource, text="Are the samples fixed?", kind=Kind.YES_NO, sort_order=1
    )
    return level, fixed


def test_the_form_asks_the_questions_with_their_help(signed_in, resource, questions):
    level, fixed = questions
    page = signed_in.get(new_url(resource)).text

    assert "Questions from the lab" in page
    assert "Biosafety level" in page and "Of the most hazardous sample." in page
    assert f'name="answer_{level.pk}"' in page and '<option value="BSL-2">' in page
    assert f'name="answer_{fixed.pk}" value="yes"' in page


def test_a_missing_answer_is_shown_next_to_its_question(signed_in, resource, project, questions):
    level, fixed = questions
    response = post_booking(
        signed_in, resource, project, local(3, 10), local(3, 11), **{f"answer_{level.pk}": "BSL-2"}
    )

    assert response.status_code == 200
    page = errors_of(response)
    error = re.search(rf'id="id_answer_{fixed.pk}-error".*?</div>', page, re.S).group(0)
    assert "Answer this question." in error
    assert f"id_answer_{level.pk}-error" not in page
    assert "Are the samples fixed?: Answer this question." in page  # the summary links to it
    assert not Booking.objects.filter(resource=resource).exists()


def test_answers_are_stored_and_shown_on_the_booking(signed_in, resource, project, questions):
    level, fixed = questions
    response = post_booking(
        signed_in,
        resource,
        project,
        local(3, 10),
        local(3, 11),
        **{f"answer_{level.pk}": "BSL-2", f"answer_{fixed.pk}": "no"},
    )

    assert response.status_code == 302
    booking = Booking.objects.get(resource=resource)
    assert {a.question_text: a.value for a in booking.answers.all()} == {
        "Biosafety level": "BSL-2",
        "Are the samples fixed?": "no",
    }
    page = signed_in.get(reverse("booking:detail", args=[booking.pk])).text
    assert "Biosafety level" in page and "BSL-2" in page and "No" in page


def test_a_series_asks_once_and_keeps_the_answers_for_every_date(
    signed_in, resource, project, questions
):
    level, fixed = questions
    answers = {f"answer_{level.pk}": "BSL-1", f"answer_{fixed.pk}": "yes"}
    repeat = {"repeat-frequency": "DAILY", "repeat-interval": 1, "repeat-ends": "count"}
    repeat["repeat-count"] = 2
    start, end = local(3, 10), local(3, 11)

    preview = post_booking(signed_in, resource, project, start, end, **answers, **repeat)
    assert "Your answers, kept for every date" in preview.text and "BSL-1" in preview.text

    post_booking(signed_in, resource, project, start, end, **answers, **repeat, confirm="1")
    values = [a.value for b in Booking.objects.filter(resource=resource) for a in b.answers.all()]
    assert sorted(values) == ["BSL-1", "BSL-1", "yes", "yes"]


def test_the_change_form_shows_and_saves_new_answers(signed_in, resource, project, questions):
    level, fixed = questions
    post_booking(signed_in, resource, project, local(3, 10), local(3, 11),
                 **{f"answer_{level.pk}": "BSL-1", f"answer_{fixed.pk}": "no"})  # fmt: skip
    booking = Booking.objects.get(resource=resource)
    url = reverse("booking:change", args=[booking.pk])

    form = signed_in.get(url).text
    assert '<option value="BSL-1" selected>' in form
    assert re.search(rf'<input[^>]*name="answer_{fixed.pk}" value="no"[^>]*checked', form)

    data = {**when("start", booking.start), **when("end", booking.end), "project": project.pk}
    refused = signed_in.post(url, {**data, f"answer_{level.pk}": "", f"answer_{fixed.pk}": "no"})
    assert "Answer this question." in errors_of(refused)

    saved = signed_in.post(url, {**data, f"answer_{level.pk}": "BSL-2", f"answer_{fixed.pk}": "no"})
    assert saved.status_code == 302
    assert sorted(a.value for a in booking.answers.all()) == ["BSL-2", "no"]


def test_a_question_for_another_category_is_not_asked(signed_in, resource, questions):
    hidden = BookingQuestion.objects.create(
        resource=resource, text="Purchase order number", only_for_categories=["industry"]
    )

    page = signed_in.get(new_url(resource)).text

    assert f'name="answer_{hidden.pk}"' not in page


def test_a_question_for_one_project_says_so_and_binds_only_for_it(
    signed_in, resource, researcher, project
):
    grant = BookingQuestion.objects.create(resource=resource, text="Grant number")
    grant.only_for_projects.set([project])
    grant.save()
    other = ProjectFactory(code="CHEM-7", members=[researcher])

    page = signed_in.get(new_url(resource)).text
    assert "Only for bookings charged to BIO-2041." in page

    refused = post_booking(signed_in, resource, project, local(3, 10), local(3, 11))
    assert "Answer this question." in errors_of(refused)
    booked = post_booking(signed_in, resource, other, local(3, 10), local(3, 11),
                          **{f"answer_{grant.pk}": "ignored for this project"})  # fmt: skip
    assert booked.status_code == 302
    assert not Booking.objects.get(resource=resource).answers.exists()
