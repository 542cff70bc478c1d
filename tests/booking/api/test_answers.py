"""/api/v1/: a resource's questions, answers sent with a booking, series or change, and the
400 `invalid` with one problem per bad answer."""

import pytest

from booking.models import Booking, BookingQuestion
from tests.api.helpers import book, iso, soon

pytestmark = pytest.mark.django_db
Kind = BookingQuestion.Kind


@pytest.fixture
def level(instrument) -> BookingQuestion:
    return BookingQuestion.objects.create(
        resource=instrument, text="Biosafety level", kind=Kind.CHOICE, options="1\n2\n3"
    )


@pytest.fixture
def samples(instrument) -> BookingQuestion:
    return BookingQuestion.objects.create(resource=instrument, text="Samples", kind=Kind.NUMBER)


def propose(instrument, project, answers, **extra) -> dict:
    return {
        "resource": instrument.pk,
        "project": project.pk,
        "start": iso(soon(2, 10)),
        "end": iso(soon(2, 11)),
        "answers": answers,
        **extra,
    }


def problems_of(response) -> dict[str, str]:
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] == "invalid"
    return {problem["field"]: problem["message"] for problem in body["problems"]}


def test_the_resource_lists_its_questions(api, instrument, level):
    body = api.get(f"/api/v1/resources/{instrument.pk}/").json()

    assert body["questions"] == [
        {
            "id": level.pk,
            "text": "Biosafety level",
            "kind": "choice",
            "required": True,
            "help_text": "",
            "options": ["1", "2", "3"],
        }
    ]


def test_a_booking_with_good_answers_is_made_and_shows_them(
    api, instrument, project, level, samples
):
    response = api.post(
        "/api/v1/bookings/",
        propose(instrument, project, {str(level.pk): "2", str(samples.pk): 4}),
        format="json",
    )

    assert response.status_code == 201, response.json()
    answers = response.json()["answers"]
    assert {(a["question"], a["question_text"], a["value"]) for a in answers} == {
        (level.pk, "Biosafety level", "2"),
        (samples.pk, "Samples", "4"),
    }


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"L": "2"}, "S", "Answer this question."),
        ({"L": "2", "S": "several"}, "S", "Enter a number, like 2 or 2.5."),
        ({"L": "2", "S": True}, "S", "Enter a number, like 2 or 2.5."),
        ({"L": "4", "S": 1}, "L", "Choose one of: 1, 2, 3."),
        ({"L": 2, "S": 1}, "L", "Answer in words."),
        (
            {"L": "2", "S": 1, "987654": "x"},
            "987654",
            "There is no such question on this resource.",
        ),
    ],
    ids=["missing", "not-a-number", "bool-for-number", "not-an-option", "wrong-type", "unknown"],
)
def test_each_bad_answer_is_a_problem_on_its_field(
    api, instrument, project, level, samples, answers, field, message
):
    ids = {"L": str(level.pk), "S": str(samples.pk)}
    sent = {ids.get(key, key): value for key, value in answers.items()}

    response = api.post("/api/v1/bookings/", propose(instrument, project, sent), format="json")

    assert problems_of(response) == {f"answers.{ids.get(field, field)}": message}
    assert not Booking.objects.filter(resource=instrument).exists()


def test_an_answer_to_a_question_hidden_for_the_booker_is_refused(api, instrument, project, level):
    industry = BookingQuestion.objects.create(
        resource=instrument, text="Purchase order", only_for_categories=["industry"]
    )
    sent = {str(level.pk): "1", str(industry.pk): "PO-1"}

    response = api.post("/api/v1/bookings/", propose(instrument, project, sent), format="json")

    assert problems_of(response) == {
        f"answers.{industry.pk}": "This question is not asked for this booking."
    }


def test_answers_that_are_not_an_object_are_refused(api, instrument, project, level):
    response = api.post("/api/v1/bookings/", propose(instrument, project, ["2"]), format="json")

    assert "answers" in problems_of(response)


def test_a_series_and_its_preview_check_the_answers(api, instrument, project, level):
    repeat = {"frequency": "DAILY", "count": 2}

    preview = api.post(
        "/api/v1/bookings/preview/", propose(instrument, project, {}, repeat=repeat), format="json"
    )
    assert problems_of(preview) == {f"answers.{level.pk}": "Answer this question."}

    made = api.post(
        "/api/v1/bookings/",
        propose(instrument, project, {str(level.pk): "3"}, repeat=repeat),
        format="json",
    )
    assert made.status_code == 201, made.json()
    assert [b["answers"][0]["value"] for b in made.json()["bookings"]] == ["3", "3"]


def test_a_change_can_give_new_answers_and_is_checked(api, instrument, booker, project):
    booking = book(booker, instrument, project, soon(2, 10), soon(2, 11))
    level = BookingQuestion.objects.create(
        resource=instrument, text="Biosafety level", kind=Kind.CHOICE, options="1\n2\n3"
    )

    kept = api.patch(f"/api/v1/bookings/{booking.pk}/", {"end": iso(soon(2, 12))}, format="json")
    assert problems_of(kept) == {f"answers.{level.pk}": "Answer this question."}

    bad = api.patch(
        f"/api/v1/bookings/{booking.pk}/", {"answers": {str(level.pk): "9"}}, format="json"
    )
    assert problems_of(bad) == {f"answers.{level.pk}": "Choose one of: 1, 2, 3."}

    good = api.patch(
        f"/api/v1/bookings/{booking.pk}/", {"answers": {str(level.pk): "1"}}, format="json"
    )
    assert good.status_code == 200 and good.json()["answers"][0]["value"] == "1"


def test_the_schema_documents_the_answers(api):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    components = schema["components"]["schemas"]

    assert "answers" in components["BookingRequestRequest"]["properties"]
    assert "answers" in components["PatchedBookingChangeRequest"]["properties"]
    assert "answers" in components["Booking"]["properties"]
    assert "questions" in components["Resource"]["properties"]
