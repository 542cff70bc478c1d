"""Resources and their rules in the admin, and who gets into the admin at all."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from booking.models import Booking, Resource
from tests.booking.admin.conftest import (
    assert_denied,
    url,
)
from tests.conftest import sign_in_with_second_factor

# Resources.


def test_a_coordinator_lists_only_their_labs_resources(as_coordinator, confocal, orbitrap):
    response = as_coordinator.get(url(Resource, "list"))

    assert response.status_code == 200
    assert confocal.name in response.text
    assert orbitrap.name not in response.text


def test_a_coordinator_opens_their_labs_resource_editor(as_coordinator, confocal):
    response = as_coordinator.get(url(Resource, "edit", confocal.pk))

    assert response.status_code == 200
    for heading in ("General", "Booking rules", "Attendance &amp; billing", "Access"):
        assert heading in response.text


def test_a_coordinator_is_refused_another_labs_resource_editor(as_coordinator, orbitrap):
    assert_denied(as_coordinator.get(url(Resource, "edit", orbitrap.pk)))


@pytest.mark.parametrize("view", ["history", "usage", "delete"])
def test_a_coordinator_is_refused_every_other_view_of_another_labs_resource(
    as_coordinator, orbitrap, view
):
    assert_denied(as_coordinator.get(url(Resource, view, orbitrap.pk)))


def test_the_resource_form_offers_only_the_coordinators_lab(as_coordinator, facility):
    response = as_coordinator.get(url(Resource, "add"))

    choices = list(response.context["form"].fields["lab"].queryset)
    assert choices == [facility.imaging_lab.lab]
    assert "Proteomics" not in response.text


def resource_form(resource: Resource, **changes) -> dict:
    fields = {
        "name": resource.name,
        "lab": resource.lab_id,
        "category": resource.category_id,
        "capacity": resource.capacity,
        "is_active": "on",
        "granularity": 30,
        "min_duration": 30,
        "max_duration": 180,
        "min_notice": 60,
        "horizon_days": 60,
        "buffer": 15,
        "max_future_bookings": 3,
        "cancellation_cutoff": 48,
        "checkin_window": 20,
        "release_no_shows": "on",
        "billing_basis": "actual",
        "required_policies": inline_formset([]),
        "opening_hours": inline_formset(
            [
                {"weekday": 0, "opens": "08:00", "closes": "12:00"},
                {"weekday": 0, "opens": "13:00", "closes": "18:00"},
            ]
        ),
        "quotas": inline_formset([{"scope": "user", "period": "week", "hours": "6"}]),
        "questions": inline_formset([]),
    }
    fields.update(changes)
    return nested_form_data(fields)


def test_a_coordinator_saves_a_resources_rules_with_a_revision(
    as_coordinator, coordinator, confocal
):
    response = as_coordinator.post(url(Resource, "edit", confocal.pk), resource_form(confocal))

    assert response.status_code == 302
    confocal.refresh_from_db()
    assert (confocal.granularity, confocal.buffer, confocal.billing_basis) == (30, 15, "actual")
    assert confocal.opening_hours.count() == 2
    assert confocal.quotas.get().hours == 6
    assert confocal.latest_revision.user == coordinator


def question(text: str, kind: str = "short_text", **fields) -> dict:
    return {"text": text, "kind": kind, "required": "on", "help_text": "", "options": "", **fields}


def test_a_coordinator_adds_booking_questions_with_the_resources_rules(
    as_coordinator, confocal, project
):
    questions = inline_formset(
        [
            question("Biosafety level", "choice", options="1\n2\n3"),
            question("Purchase order"),
            question("Grant number", required=""),
        ]
    )
    data = resource_form(confocal, questions=questions)
    data["questions-1-only_for_categories"] = ["industry", "not-a-category"]
    data["questions-2-only_for_projects"] = [project.pk]
    response = as_coordinator.post(url(Resource, "edit", confocal.pk), data)

    assert response.status_code == 302
    confocal.refresh_from_db()
    level, order, grant = confocal.questions.order_by("sort_order")
    assert (level.kind, level.option_list, level.required) == ("choice", ["1", "2", "3"], True)
    assert order.only_for_categories == ["industry"]
    assert list(grant.only_for_projects.all()) == [project] and not grant.required
    assert confocal.latest_revision.content["questions"][0]["text"] == "Biosafety level"


def test_a_choice_question_without_options_is_refused(as_coordinator, confocal):
    questions = inline_formset([question("Biosafety level", "choice", options="only one")])

    response = as_coordinator.post(
        url(Resource, "edit", confocal.pk), resource_form(confocal, questions=questions)
    )

    assert response.status_code == 200
    assert "Give at least two options, one per line." in response.text
    assert not confocal.questions.exists()


def test_the_resource_editor_shows_the_question_panel(as_coordinator, confocal):
    response = as_coordinator.get(url(Resource, "edit", confocal.pk))

    assert "Booking questions" in response.text
    assert 'value="industry"' in response.text  # the category checkboxes


def test_a_coordinator_cannot_move_a_resource_to_another_lab(as_coordinator, confocal, orbitrap):
    response = as_coordinator.post(
        url(Resource, "edit", confocal.pk), resource_form(confocal, lab=orbitrap.lab_id)
    )

    assert response.status_code == 200
    assert "lab" in response.context["form"].errors
    confocal.refresh_from_db()
    assert confocal.lab_id != orbitrap.lab_id


def test_a_coordinator_cannot_post_to_another_labs_resource(as_coordinator, orbitrap):
    response = as_coordinator.post(
        url(Resource, "edit", orbitrap.pk), resource_form(orbitrap, name="Vandalised")
    )

    assert_denied(response)
    assert Resource.objects.get(pk=orbitrap.pk).name == "Orbitrap Exploris"


def test_the_resource_chooser_lists_only_the_coordinators_resources(
    as_coordinator, confocal, orbitrap
):
    chooser = Resource.snippet_viewset.chooser_viewset
    response = as_coordinator.get(reverse(chooser.get_url_name("choose")))

    assert confocal.name in response.text
    assert orbitrap.name not in response.text


def test_a_site_admin_lists_every_labs_resources(client, site_admin, confocal, orbitrap):
    sign_in_with_second_factor(client, site_admin)

    response = client.get(url(Resource, "list"))

    assert confocal.name in response.text
    assert orbitrap.name in response.text


# Who gets in at all.


def test_a_researcher_is_refused_the_admin(client, researcher, confocal):
    client.force_login(researcher)

    for path in (url(Booking, "list"), url(Resource, "edit", confocal.pk)):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_a_coordinator_sees_the_bookings_menu(as_coordinator):
    response = as_coordinator.get(reverse("wagtailadmin_home"))

    assert "Lab schedule" in response.text
    assert url(Booking, "list") in response.text
