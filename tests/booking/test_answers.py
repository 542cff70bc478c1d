"""Booking questions: answers checked by booking.answers, stored with the booking by the
booking, series and change services, and kept as asked when a question changes."""

import pytest

from booking.answers import read_answers
from booking.models import BookingAnswer, BookingQuestion
from booking.services import (
    BookingRefused,
    book_series,
    change_booking,
    preview_change,
    preview_series,
    request_booking,
)
from people.models import User
from tests.booking.conftest import NOW, at
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db
Kind = BookingQuestion.Kind


@pytest.fixture
def level(instrument) -> BookingQuestion:
    return BookingQuestion.objects.create(
        resource=instrument,
        text="Biosafety level",
        kind=Kind.CHOICE,
        options="1\n2\n3",
        help_text="Of the samples you bring.",
    )


@pytest.fixture
def samples(instrument) -> BookingQuestion:
    return BookingQuestion.objects.create(resource=instrument, text="Samples", kind=Kind.NUMBER)


def book(instrument, booker, project, answers, **times):
    return request_booking(
        user=booker,
        resource=instrument,
        project=project,
        start=times.get("start", at(1, 10)),
        end=times.get("end", at(1, 11)),
        answers=answers,
        now=NOW,
    )


def refusal(instrument, booker, project, answers) -> dict[str, tuple[str, str]]:
    with pytest.raises(BookingRefused) as refused:
        book(instrument, booker, project, answers)
    return {p.field: (p.code, p.message) for p in refused.value.problems}


def test_answers_are_stored_with_the_question_as_asked(instrument, booker, project, level, samples):
    booking = book(instrument, booker, project, {str(level.pk): "2", str(samples.pk): "12.50"})

    stored = {(a.question_id, a.question_text, a.kind, a.value) for a in booking.answers.all()}
    assert stored == {
        (level.pk, "Biosafety level", "choice", "2"),
        (samples.pk, "Samples", "number", "12.5"),
    }


def test_a_missing_required_answer_is_refused_on_its_field(
    instrument, booker, project, level, samples
):
    problems = refusal(instrument, booker, project, {str(level.pk): "2"})

    assert problems == {f"answers.{samples.pk}": ("invalid", "Answer this question.")}
    assert not instrument.bookings.exists()


def test_an_optional_question_may_be_left_out(instrument, booker, project, level, samples):
    samples.required = False
    samples.save()

    booking = book(instrument, booker, project, {str(level.pk): "1"})

    assert [a.value for a in booking.answers.all()] == ["1"]


def test_each_bad_answer_is_its_own_problem(instrument, booker, project, level, samples):
    problems = refusal(
        instrument, booker, project, {str(level.pk): "4", str(samples.pk): "a dozen"}
    )

    assert problems == {
        f"answers.{level.pk}": ("invalid", "Choose one of: 1, 2, 3."),
        f"answers.{samples.pk}": ("invalid", "Enter a number, like 2 or 2.5."),
    }


def test_an_unknown_question_id_is_refused(instrument, booker, project, level):
    problems = refusal(instrument, booker, project, {str(level.pk): "1", "999999": "x"})

    assert problems == {
        "answers.999999": ("invalid", "There is no such question on this resource.")
    }


def test_another_resources_question_is_unknown_here(instrument, booker, project, level):
    other = BookingQuestion.objects.create(
        resource=type(instrument).objects.create(
            name="Other", lab=instrument.lab, category=instrument.category
        ),
        text="Other",
    )
    problems = refusal(instrument, booker, project, {str(level.pk): "1", str(other.pk): "x"})

    assert problems[f"answers.{other.pk}"][1] == "There is no such question on this resource."


def test_an_answer_to_a_question_hidden_from_the_booker_is_refused(
    instrument, booker, project, level
):
    industry = BookingQuestion.objects.create(
        resource=instrument, text="Purchase order", only_for_categories=["industry"]
    )
    problems = refusal(instrument, booker, project, {str(level.pk): "1", str(industry.pk): "PO"})

    assert problems == {
        f"answers.{industry.pk}": ("invalid", "This question is not asked for this booking.")
    }


def test_a_question_for_some_categories_is_asked_only_of_them(instrument, booker, project):
    question = BookingQuestion.objects.create(
        resource=instrument, text="Purchase order", only_for_categories=["industry"]
    )
    assert book(instrument, booker, project, {}).answers.count() == 0

    booker.category = User.Category.INDUSTRY
    found = read_answers(instrument, booker, project, {})
    assert [p.field for p in found.problems] == [f"answers.{question.pk}"]


def test_a_question_for_some_projects_is_asked_only_for_them(instrument, booker, project):
    question = BookingQuestion.objects.create(resource=instrument, text="Grant number")
    question.only_for_projects.set([project])
    question.save()
    other = ProjectFactory(members=[booker])

    assert read_answers(instrument, booker, other, {}).ok
    assert [p.field for p in read_answers(instrument, booker, project, {}).problems] == [
        f"answers.{question.pk}"
    ]


@pytest.mark.parametrize(
    ("kind", "given", "stored"),
    [
        (Kind.YES_NO, True, "yes"),
        (Kind.YES_NO, "No", "no"),
        (Kind.NUMBER, 3, "3"),
        (Kind.SHORT_TEXT, "  mouse liver  ", "mouse liver"),
    ],
)
def test_answers_are_stored_in_one_form(instrument, booker, project, kind, given, stored):
    question = BookingQuestion.objects.create(resource=instrument, text="Q", kind=kind)

    found = read_answers(instrument, booker, project, {question.pk: given})

    assert [answer.value for answer in found.values] == [stored]


@pytest.mark.parametrize(
    ("kind", "given"),
    [
        (Kind.YES_NO, "maybe"),
        (Kind.NUMBER, True),
        (Kind.NUMBER, "NaN"),
        (Kind.NUMBER, "1e999999999"),
        (Kind.NUMBER, {"n": 1}),
        (Kind.SHORT_TEXT, 42),
        (Kind.SHORT_TEXT, "x" * 201),
    ],
)
def test_an_answer_of_the_wrong_type_is_refused(instrument, booker, project, kind, given):
    question = BookingQuestion.objects.create(resource=instrument, text="Q", kind=kind)

    found = read_answers(instrument, booker, project, {question.pk: given})

    assert [(p.code, p.field) for p in found.problems] == [("invalid", f"answers.{question.pk}")]


def test_rule_problems_are_reported_with_answer_problems(instrument, booker, project, level):
    with pytest.raises(BookingRefused) as refused:
        book(instrument, booker, project, {}, start=at(1, 11), end=at(1, 10))
    # A booking that ends before it starts is refused on its shape alone, with the answers.
    assert refused.value.codes[0] == "invalid"
    assert len(refused.value.codes) == 2


def test_changing_a_question_leaves_past_answers_as_they_were(instrument, booker, project, level):
    booking = book(instrument, booker, project, {str(level.pk): "2"})

    level.text = "Highest biosafety level"
    level.options = "BSL-1\nBSL-2"
    level.save()
    level.delete()

    answer = BookingAnswer.objects.get(booking=booking)
    assert (answer.question_id, answer.question_text, answer.value) == (
        None,
        "Biosafety level",
        "2",
    )


def test_a_series_books_every_occurrence_with_the_same_answers(instrument, booker, project, level):
    series, verdicts = book_series(
        user=booker,
        resource=instrument,
        project=project,
        start=at(1, 10),
        end=at(1, 11),
        rule="FREQ=DAILY;COUNT=3",
        answers={str(level.pk): "3"},
        now=NOW,
    )

    assert len(verdicts) == 3
    assert [a.value for a in BookingAnswer.objects.filter(booking__series=series)] == ["3"] * 3


def test_a_series_with_a_bad_answer_books_nothing(instrument, booker, project, level):
    wanted = {
        "user": booker,
        "resource": instrument,
        "project": project,
        "start": at(1, 10),
        "end": at(1, 11),
        "rule": "FREQ=DAILY;COUNT=3",
        "answers": {},
        "now": NOW,
    }
    with pytest.raises(BookingRefused) as refused:
        preview_series(**wanted)
    assert refused.value.reported()[0].field == f"answers.{level.pk}"
    with pytest.raises(BookingRefused):
        book_series(**wanted)
    assert not instrument.bookings.exists()


def test_a_change_keeps_the_answers_unless_new_ones_are_given(instrument, booker, project, level):
    booking = book(instrument, booker, project, {str(level.pk): "1"})

    moved = change_booking(booking=booking, by=booker, start=at(1, 12), end=at(1, 13),
                           project=project, now=NOW)  # fmt: skip
    assert [a.value for a in moved.answers.all()] == ["1"]

    changed = change_booking(booking=booking, by=booker, start=at(1, 12), end=at(1, 13),
                             project=project, answers={str(level.pk): "2"}, now=NOW)  # fmt: skip
    assert [a.value for a in changed.answers.all()] == ["2"]


def test_a_change_with_a_bad_answer_is_refused_and_changes_nothing(
    instrument, booker, project, level
):
    booking = book(instrument, booker, project, {str(level.pk): "1"})

    verdict = preview_change(booking=booking, start=booking.start, end=booking.end,
                             project=project, answers={str(level.pk): ""}, now=NOW)  # fmt: skip
    assert [p.field for p in verdict.problems] == [f"answers.{level.pk}"]
    with pytest.raises(BookingRefused):
        change_booking(booking=booking, by=booker, start=booking.start, end=booking.end,
                       project=project, answers={str(level.pk): "7"}, now=NOW)  # fmt: skip
    assert [a.value for a in booking.answers.all()] == ["1"]


def test_a_change_of_answers_alone_is_a_change(instrument, booker, project, level):
    booking = book(instrument, booker, project, {str(level.pk): "1"})

    same = preview_change(booking=booking, start=booking.start, end=booking.end,
                          project=project, answers={str(level.pk): "1"}, now=NOW)  # fmt: skip
    other = preview_change(booking=booking, start=booking.start, end=booking.end,
                           project=project, answers={str(level.pk): "2"}, now=NOW)  # fmt: skip

    assert (same.changes, other.changes) == (False, True)
