"""The training workflow through its services: request, session, sign-off, expiry."""

import datetime

import pytest

from booking.models import Booking, Qualification
from booking.services import BookingRefused, request_booking
from training.models import QualificationRecord, TrainingRequest, TrainingSession
from training.services import (
    TrainingRefused,
    cancel_session,
    join_session,
    record_training,
    request_training,
    schedule_session,
)
from workflows.models import OutboxMessage

from .conftest import NOW, at


def _session(sorter, trainer, project, start, end, invite=()):
    return schedule_session(
        resource=sorter, by=trainer, trainer=trainer, project=project, starts_at=start,
        ends_at=end, capacity=3, invite=invite, now=NOW,
    )  # fmt: skip


def test_a_request_tells_the_labs_trainers(sorter, trainer, rosa):
    made = request_training(resource=sorter, by=rosa, note="Two years on an Aria.", now=NOW)
    assert made.status == TrainingRequest.Status.PENDING
    told = OutboxMessage.objects.get(event="training_requested")
    assert told.recipient == trainer


def test_a_second_open_request_is_refused(sorter, trainer, rosa):
    request_training(resource=sorter, by=rosa, now=NOW)
    with pytest.raises(TrainingRefused) as refused:
        request_training(resource=sorter, by=rosa, now=NOW)
    assert refused.value.codes == ["already_requested"]


def test_a_session_holds_the_instruments_time_and_sends_the_invited_their_ics(
    sorter, trainer, rosa, lab_project
):
    asked = request_training(resource=sorter, by=rosa, now=NOW)
    session = _session(sorter, trainer, lab_project, at(1, 10), at(1, 12), invite=[asked])
    assert session.hold.purpose == Booking.Purpose.TRAINING
    assert session.hold.status == Booking.Status.CONFIRMED
    asked.refresh_from_db()
    assert asked.status == TrainingRequest.Status.SCHEDULED
    invite = OutboxMessage.objects.get(event="training_scheduled", recipient=rosa)
    assert invite.context["booking"]["pk"] == session.hold.pk


def test_a_booking_over_a_session_is_refused_as_slot_taken(
    sorter, trainer, rosa, rosa_project, lab_project
):
    Qualification.objects.create(user=rosa, resource=sorter)
    _session(sorter, trainer, lab_project, at(1, 10), at(1, 12))
    with pytest.raises(BookingRefused) as refused:
        request_booking(
            user=rosa, resource=sorter, project=rosa_project, start=at(1, 11), end=at(1, 13),
            now=NOW,
        )  # fmt: skip
    assert "slot_taken" in refused.value.codes


def test_a_session_over_a_booking_is_refused_as_slot_taken(
    sorter, trainer, rosa, rosa_project, lab_project
):
    Qualification.objects.create(user=rosa, resource=sorter)
    request_booking(
        user=rosa, resource=sorter, project=rosa_project, start=at(1, 11), end=at(1, 13), now=NOW
    )
    with pytest.raises(BookingRefused) as refused:
        _session(sorter, trainer, lab_project, at(1, 10), at(1, 12))
    assert refused.value.codes == ["slot_taken"]
    assert not TrainingSession.objects.exists()


def test_only_the_labs_trainers_schedule(sorter, rosa, lab_project):
    with pytest.raises(TrainingRefused) as refused:
        _session(sorter, rosa, lab_project, at(1, 10), at(1, 12))
    assert refused.value.codes == ["not_trainer"]
    assert refused.value.status == 403


def test_a_requester_joins_an_open_session_until_it_is_full(sorter, trainer, lab_project):
    session = _session(sorter, trainer, lab_project, at(1, 10), at(1, 12))
    from tests.factories import UserFactory

    people = [UserFactory() for _ in range(4)]
    for person in people:
        request_training(resource=sorter, by=person, now=NOW)
    for person in people[:3]:
        join_session(session=session, by=person, now=NOW)
    with pytest.raises(TrainingRefused) as refused:
        join_session(session=session, by=people[3], now=NOW)
    assert refused.value.codes == ["session_full"]


def test_sign_off_creates_the_qualification_with_the_policys_expiry_and_keeps_history(
    sorter, trainer, rosa, lab_project
):
    asked = request_training(resource=sorter, by=rosa, now=NOW)
    session = _session(sorter, trainer, lab_project, at(1, 10), at(1, 12), invite=[asked])
    after = at(1, 12, 30)
    record_training(session=session, by=trainer, outcomes={rosa.pk: (True, "unsupervised")},
                    now=after)  # fmt: skip
    qualification = Qualification.objects.get(user=rosa, resource=sorter)
    assert qualification.unsupervised
    assert qualification.expires_on == datetime.date(2031, 3, 5)
    record = QualificationRecord.objects.get(user=rosa)
    assert (record.action, record.session) == (QualificationRecord.Action.SIGNED_OFF, session)
    asked.refresh_from_db()
    assert asked.status == TrainingRequest.Status.SIGNED_OFF
    assert OutboxMessage.objects.filter(event="training_signed_off", recipient=rosa).exists()


def test_a_renewal_keeps_the_earlier_expiry_in_the_history(sorter, trainer, rosa, lab_project):
    Qualification.objects.create(
        user=rosa, resource=sorter, expires_on=datetime.date(2030, 3, 20), unsupervised=False
    )
    asked = request_training(resource=sorter, by=rosa, now=NOW)
    session = _session(sorter, trainer, lab_project, at(1, 10), at(1, 12), invite=[asked])
    record_training(session=session, by=trainer, outcomes={rosa.pk: (True, "supervised")},
                    now=at(1, 13))  # fmt: skip
    record = QualificationRecord.objects.get(user=rosa)
    assert record.action == QualificationRecord.Action.RENEWED
    assert record.previous_expiry == datetime.date(2030, 3, 20)


def test_attendance_is_recorded_only_once_the_session_has_begun(sorter, trainer, rosa, lab_project):
    asked = request_training(resource=sorter, by=rosa, now=NOW)
    session = _session(sorter, trainer, lab_project, at(1, 10), at(1, 12), invite=[asked])
    with pytest.raises(TrainingRefused) as refused:
        record_training(session=session, by=trainer, outcomes={rosa.pk: (True, "supervised")},
                        now=NOW)  # fmt: skip
    assert refused.value.codes == ["session_not_started"]
    assert not Qualification.objects.exists()


def test_cancelling_a_session_frees_its_time_and_puts_requests_back(
    sorter, trainer, rosa, lab_project
):
    asked = request_training(resource=sorter, by=rosa, now=NOW)
    session = _session(sorter, trainer, lab_project, at(1, 10), at(1, 12), invite=[asked])
    cancel_session(session=session, by=trainer, reason="Trainer ill", now=NOW)
    session.hold.refresh_from_db()
    asked.refresh_from_db()
    assert session.hold.status == Booking.Status.CANCELLED
    assert asked.status == TrainingRequest.Status.PENDING
    assert OutboxMessage.objects.filter(event="training_cancelled", recipient=rosa).exists()


def test_the_hold_is_never_released_as_a_no_show(sorter, trainer, lab_project):
    from booking.services import release_no_shows

    sorter.release_no_shows = True
    sorter.save()
    session = _session(sorter, trainer, lab_project, at(1, 10), at(1, 12))
    assert release_no_shows(now=at(1, 11, 30)) == 0
    session.hold.refresh_from_db()
    assert session.hold.status == Booking.Status.CONFIRMED
