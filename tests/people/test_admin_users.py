"""The admin's user list says each person's roles, in one query however many people."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from people.roles import Role
from tests.conftest import sign_in_with_second_factor
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_users_list_shows_roles_in_a_fixed_number_of_queries(client, site_admin):
    UserFactory(first_name="Cora", roles=[Role.COORDINATOR, Role.APPROVER])
    sign_in_with_second_factor(client, site_admin)
    url = reverse("wagtailusers_users:index")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        page = client.get(url).content.decode()
    for _ in range(5):
        UserFactory(roles=[Role.FINANCE])
    with CaptureQueriesContext(connection) as many:
        more = client.get(url).content.decode()

    assert "Lab coordinator, Approver" in page and "Site admin" in page
    assert more.count(">Finance<") == 5 or more.count("Finance") >= 5
    assert len(many) == len(few)
