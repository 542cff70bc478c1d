"""/api/v1/projects/: the projects you lead or belong to, and nobody else's."""

import datetime

import pytest
from rest_framework.test import APIClient

from tests.factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def codes(client: APIClient, **params) -> list[str]:
    response = client.get("/api/v1/projects/", params)
    assert response.status_code == 200, response.json()
    return [row["code"] for row in response.json()["results"]]


def test_the_list_holds_projects_i_belong_to_or_lead(api, booker, project, rival_project):
    led = ProjectFactory(code="BIO-9000", pi=booker)

    response = api.get("/api/v1/projects/")

    body = response.json()
    assert body["count"] == 2
    first, second = body["results"]
    assert first["code"] == "BIO-2041" and first["role"] == "member"
    assert first["pi"] == project.pi.name
    assert first["department"]["code"] == project.department.code
    assert first["active_from"] == "2025-01-01" and first["active_to"] is None
    assert second["id"] == led.pk and second["role"] == "pi"


def test_a_project_i_lead_and_belong_to_is_listed_once(api, booker):
    ProjectFactory(code="BIO-1", pi=booker, members=[booker])

    assert codes(api) == ["BIO-1"]


def test_the_active_filter_leaves_out_ended_projects(api, booker, project):
    ProjectFactory(code="OLD-1", members=[booker], active_to=datetime.date(2025, 6, 30))

    assert codes(api) == ["BIO-2041", "OLD-1"]
    assert codes(api, active="true") == ["BIO-2041"]
    assert codes(api, active="false") == ["OLD-1"]
    bad = api.get("/api/v1/projects/", {"active": "perhaps"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"


def test_another_persons_project_is_not_found(api, rival_project):
    response = api.get(f"/api/v1/projects/{rival_project.pk}/")

    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_my_project_in_detail(api, project):
    response = api.get(f"/api/v1/projects/{project.pk}/")

    assert response.status_code == 200 and response.json()["code"] == "BIO-2041"


def test_someone_with_no_project_sees_none():
    client = APIClient()
    client.force_login(UserFactory())

    assert codes(client) == []


def test_signing_in_is_required(anonymous):
    response = anonymous.get("/api/v1/projects/")

    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"
