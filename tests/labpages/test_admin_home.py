"""The admin's home is the facility's: titled with its name, and the page summary (Wagtail's
counts of pages, images and documents) only for those who may edit pages."""

import pytest
from django.urls import reverse

from labpages.models import FacilitySettings
from people.roles import Role
from tests.conftest import sign_in_with_second_factor
from tests.factories import UserFactory

PAGE_SUMMARY = "w-summary__list"


@pytest.fixture
def named_facility(facility):
    settings = FacilitySettings.for_site(facility.site)
    settings.facility_name = "Northfield Core Research Facility"
    settings.save()
    return facility


def heading(text: str) -> str:
    return text.split("<h1", 1)[1].split(">", 1)[1].split("</h1>")[0].strip()


def admin_home(client, user) -> str:
    sign_in_with_second_factor(client, user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize("role", [Role.FINANCE, Role.APPROVER])
def test_staff_who_edit_no_pages_see_the_facility_name_and_no_page_summary(
    client, named_facility, role
):
    text = admin_home(client, UserFactory(roles=[role]))
    assert heading(text) == "Northfield Core Research Facility"
    assert PAGE_SUMMARY not in text


@pytest.mark.parametrize("editor", ["coordinator", "site_admin"])
def test_those_who_edit_pages_see_the_page_summary(client, named_facility, editor, request):
    text = admin_home(client, request.getfixturevalue(editor))
    assert heading(text) == "Northfield Core Research Facility"
    assert PAGE_SUMMARY in text
