"""Training screens wired to their services: asking, the booking page's renewal link, a
lab's overview and its export (formulas neutralised), scheduling with errors by the field."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.models import Qualification
from training.models import TrainingRequest


@pytest.fixture
def rosa_client(client, rosa):
    client.force_login(rosa)
    return client


def test_asking_from_the_form_records_the_request(rosa_client, sorter, trainer, rosa):
    answer = rosa_client.post(
        reverse("training:request", args=[sorter.pk]), {"note": "Used an Aria"}
    )
    assert answer.status_code == 302
    assert TrainingRequest.objects.get(requester=rosa).note == "Used an Aria"


def test_an_instrument_without_training_has_no_request_form(rosa_client, lab):
    from tests.factories import ResourceFactory

    plain = ResourceFactory(lab=lab, requires_qualification=False)
    assert rosa_client.get(reverse("training:request", args=[plain.pk])).status_code == 404


def test_the_booking_page_says_how_to_renew_an_expired_qualification(
    rosa_client, sorter, rosa, rosa_project
):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Qualification.objects.create(user=rosa, resource=sorter, expires_on=yesterday)
    page = rosa_client.get(reverse("booking:new", args=[sorter.pk])).content.decode()
    assert "Your qualification expired on" in page
    assert f'href="{reverse("training:request", args=[sorter.pk])}">Renew your training' in page


def test_the_labs_export_neutralises_formulas(client, sorter, trainer, rosa):
    Qualification.objects.create(user=rosa, resource=sorter, note='=HYPERLINK("x")')
    client.force_login(trainer)
    answer = client.get(reverse("training:export", args=[sorter.lab_id, "csv"]))
    rows = list(csv.reader(io.StringIO(answer.content.decode())))
    assert rows[0][:3] == ["Person", "E-mail", "Instrument"]
    assert rows[1][-1] == '\'=HYPERLINK("x")'
    xlsx = client.get(reverse("training:export", args=[sorter.lab_id, "xlsx"]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_lab_overview_is_its_trainers_only(client, sorter, rosa):
    client.force_login(rosa)
    assert client.get(reverse("training:lab", args=[sorter.lab_id])).status_code == 404


def test_a_session_over_taken_time_is_refused_next_to_the_field(
    client, sorter, trainer, rosa, rosa_project, lab_project
):
    from booking.services import request_booking
    from tests.training.conftest import at

    Qualification.objects.create(user=rosa, resource=sorter)
    taken = request_booking(
        user=rosa, resource=sorter, project=rosa_project, start=at(400, 10), end=at(400, 12),
        now=at(399, 9),
    )  # fmt: skip
    client.force_login(trainer)
    answer = client.post(
        reverse("training:schedule", args=[sorter.lab_id]),
        {
            "resource": sorter.pk,
            "kind": "induction",
            "day": f"{taken.start:%Y-%m-%d}",
            "starts": "09:00",
            "ends": "11:00",
            "capacity": 2,
            "trainer": trainer.pk,
            "project": lab_project.pk,
            "open_to_requesters": "on",
        },  # fmt: skip
    )
    assert answer.status_code == 200
    assert "Someone else has just booked that time" in answer.content.decode()
