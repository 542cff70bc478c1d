"""Answers to a resource's booking questions, read and checked in one place.

The booking form, the API and series all hand what the booker gave (question id → value)
to `read_answers`; the booking services store what it returns. Each bad answer is a
Problem with code `invalid` on the field `answers.<question id>`.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from labitory.refusals import Problem
from people.models import Project, User

from .models import BookingAnswer, BookingQuestion, Resource

Kind = BookingQuestion.Kind
YES, NO = "yes", "no"
MAX_DIGITS = 15


@dataclass(frozen=True)
class Answer:
    """A checked answer, with the question as it was asked."""

    question_id: int
    question_text: str
    kind: str
    value: str


@dataclass
class Answers:
    """What `read_answers` found: the checked answers and a problem per bad one."""

    values: tuple[Answer, ...] = ()
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def answer_field(question_id: int) -> str:
    return f"answers.{question_id}"


def is_asked(
    question: BookingQuestion, user: User, project: Project | None, *, any_project: bool = False
) -> bool:
    """Whether the question is asked of this booker for a booking charged to this project
    (`any_project`: to any project the question is asked for)."""
    categories = question.only_for_categories
    if categories and user.category not in categories:
        return False
    projects = {p.pk for p in question.only_for_projects.all()}
    return any_project or not projects or (project is not None and project.pk in projects)


def questions_for(
    resource: Resource, user: User, project: Project | None, *, any_project: bool = False
) -> list[BookingQuestion]:
    """The questions the resource asks of this booker, in order."""
    questions = _questions_of(resource)
    return [q for q in questions if is_asked(q, user, project, any_project=any_project)]


def _questions_of(resource: Resource) -> list[BookingQuestion]:
    return list(
        BookingQuestion.objects.filter(resource_id=resource.pk).prefetch_related(
            "only_for_projects"
        )
    )


def _as_number(value: object) -> str:
    if isinstance(value, bool):
        raise ValueError
    number = Decimal(str(value).strip())
    # Bounded, so that "1e999999999" is refused rather than written out in full.
    if not number.is_finite() or abs(number.adjusted()) > MAX_DIGITS:
        raise ValueError
    return format(number.normalize(), "f")


def _as_yes_no(value: object) -> str:
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, str) and value.strip().lower() in (YES, NO):
        return value.strip().lower()
    raise ValueError


def _clean(question: BookingQuestion, value: object) -> str:
    """The answer as stored; ValueError with the reason when it does not fit the question."""
    if question.kind == Kind.NUMBER:
        try:
            return _as_number(value)
        except (ValueError, InvalidOperation):
            raise ValueError("Enter a number, like 2 or 2.5.") from None
    if question.kind == Kind.YES_NO:
        try:
            return _as_yes_no(value)
        except ValueError:
            raise ValueError("Answer yes or no.") from None
    if not isinstance(value, str):
        raise ValueError("Answer in words.")
    value = value.strip()
    if question.kind == Kind.CHOICE and value not in question.option_list:
        raise ValueError(f"Choose one of: {', '.join(question.option_list)}.")
    limit = 200 if question.kind == Kind.SHORT_TEXT else 2000
    if len(value) > limit:
        raise ValueError(f"Keep the answer to {limit} characters or fewer.")
    return value


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_answers(
    resource: Resource,
    user: User,
    project: Project | None,
    given: Mapping[str, object],
    *,
    drop_unasked: bool = False,
) -> Answers:
    """Check every answer given against the questions asked of this booker.

    A required question left blank, an answer that does not fit its kind or options, an
    unknown question id, and an answer to a question not asked of this booker (another
    category or project) are each a problem on that answer's field. `drop_unasked` leaves
    the last two out silently: for answers kept from before a change of project.
    """
    if resource.has_questions is False and not given:
        return Answers()
    questions = _questions_of(resource)
    asked = [q for q in questions if is_asked(q, user, project)]
    found = Answers()
    if not drop_unasked:
        found.problems += _unasked(given, {q.pk for q in asked}, {q.pk for q in questions})
    by_id = {str(key): value for key, value in given.items()}
    values = []
    for question in asked:
        try:
            if answer := _answer(question, by_id.get(str(question.pk))):
                values.append(answer)
        except ValueError as wrong:
            found.problems.append(Problem("invalid", str(wrong), answer_field(question.pk)))
    found.values = tuple(values)
    return found


def _unasked(given: Mapping[object, object], asked: set[int], everyone: set[int]) -> list:
    """A problem for each answer to a question that is not asked of this booker."""
    problems = []
    for key in given:
        question_id = int(key) if str(key).isdigit() else None
        if question_id in asked:
            continue
        message = (
            "This question is not asked for this booking."
            if question_id in everyone
            else "There is no such question on this resource."
        )
        problems.append(Problem("invalid", message, answer_field(key)))
    return problems


def _answer(question: BookingQuestion, value: object) -> Answer | None:
    """The checked answer, None for an optional question left blank; ValueError if bad."""
    if _is_blank(value):
        if question.required:
            raise ValueError("Answer this question.")
        return None
    return Answer(question.pk, question.text, question.kind, _clean(question, value))


def stored_answers(booking) -> dict[str, str]:
    """A booking's answers as `read_answers` takes them, for questions that still exist."""
    return {
        str(answer.question_id): answer.value
        for answer in booking.answers.all()
        if answer.question_id is not None
    }


def answers_text(booking) -> str:
    """Each answer as "question: answer", joined by "; ", for exports (prefetch `answers`)."""
    return "; ".join(str(answer) for answer in booking.answers.all())


def save_answers(booking, answers: tuple[Answer, ...], *, replace: bool = True) -> None:
    """Store the answers with the booking, replacing any it had (a new booking has none)."""
    if replace:
        booking.answers.all().delete()
    if not answers:
        return
    BookingAnswer.objects.bulk_create(
        BookingAnswer(
            booking=booking,
            question_id=answer.question_id,
            question_text=answer.question_text,
            kind=answer.kind,
            value=answer.value,
        )
        for answer in answers
    )
