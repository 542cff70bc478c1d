import datetime

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from people.models import Project, User
from tests.factories import PASSWORD, DepartmentFactory, ProjectFactory, UserFactory

JAN_1 = datetime.date(2025, 1, 1)
JUN_30 = datetime.date(2025, 6, 30)


def test_the_user_model_is_people_user():
    assert get_user_model() is User


def test_it_logs_in_by_email(db):
    user = UserFactory(email="ada@example.org")

    assert authenticate(username="ada@example.org", password=PASSWORD) == user


def test_it_finds_the_login_email_whatever_its_case(db):
    user = UserFactory(email="ada@example.org")

    assert authenticate(username="Ada@Example.ORG", password=PASSWORD) == user


def test_it_refuses_a_wrong_password(db):
    UserFactory(email="ada@example.org")

    assert authenticate(username="ada@example.org", password="not-the-password") is None


def test_it_stores_a_new_users_email_in_lower_case(db):
    user = User.objects.create_user("Grace.Hopper@Example.ORG", "pw-123456789")

    assert user.email == "grace.hopper@example.org"


def test_it_refuses_a_user_without_an_email(db):
    with pytest.raises(ValueError, match="email"):
        User.objects.create_user("", "pw-123456789")


def test_it_refuses_two_users_with_the_same_email(db):
    UserFactory(email="ada@example.org")

    with pytest.raises(IntegrityError):
        User.objects.create_user("ada@example.org", "pw-123456789")


def test_a_new_user_is_neither_staff_nor_superuser(db):
    user = User.objects.create_user("ada@example.org", "pw-123456789")

    assert (user.is_staff, user.is_superuser) == (False, False)


def test_create_superuser_makes_a_staff_superuser_who_can_log_in(db):
    admin = User.objects.create_superuser("root@example.org", "pw-123456789")

    assert (admin.is_staff, admin.is_superuser) == (True, True)
    assert authenticate(username="root@example.org", password="pw-123456789") == admin


def test_create_superuser_cannot_be_talked_out_of_superuser(db):
    admin = User.objects.create_superuser("root@example.org", "pw-123456789", is_superuser=False)

    assert admin.is_superuser


def test_a_new_user_is_internal_by_default(db):
    assert UserFactory().category == User.Category.INTERNAL


def test_the_user_categories_are_internal_external_academic_and_industry():
    assert User.Category.values == ["internal", "external_academic", "industry"]


def test_it_refuses_an_unknown_category(db):
    user = UserFactory.build(category="friend")

    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "category" in error.value.message_dict


def test_a_supervisor_sees_their_supervisees(db):
    pi = UserFactory()
    student = UserFactory(supervisor=pi)

    assert list(pi.supervisees.all()) == [student]


def test_removing_a_supervisor_keeps_the_supervisee(db):
    pi = UserFactory()
    student = UserFactory(supervisor=pi)

    pi.delete()
    student.refresh_from_db()

    assert student.supervisor is None


def test_a_user_is_shown_by_full_name(db):
    assert str(UserFactory(first_name="Ada", last_name="Lovelace")) == "Ada Lovelace"


def test_a_user_without_a_name_is_shown_by_email(db):
    assert str(UserFactory(first_name="", last_name="", email="x@example.org")) == "x@example.org"


def test_a_department_is_shown_by_name(db):
    assert str(DepartmentFactory(name="Chemistry", code="CHEM")) == "Chemistry"


def test_a_project_is_shown_by_code_and_name(db):
    project = ProjectFactory(code="ABC-123", name="Cell imaging")

    assert str(project) == "ABC-123 · Cell imaging"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2024, 12, 31), False),
        (JAN_1, True),
        (datetime.date(2025, 3, 15), True),
        (JUN_30, True),
        (datetime.date(2025, 7, 1), False),
    ],
)
def test_a_project_is_active_from_its_first_to_its_last_day_inclusive(db, day, expected):
    project = ProjectFactory(active_from=JAN_1, active_to=JUN_30)

    assert project.is_active_on(day) is expected
    assert Project.objects.active_on(day).filter(pk=project.pk).exists() is expected


def test_an_open_ended_project_stays_active(db):
    project = ProjectFactory(active_from=JAN_1, active_to=None)

    assert project.is_active_on(datetime.date(2099, 1, 1))
    assert list(Project.objects.active_on(datetime.date(2099, 1, 1))) == [project]


def test_a_project_is_not_active_before_it_starts(db):
    ProjectFactory(active_from=JAN_1, active_to=None)

    assert not Project.objects.active_on(datetime.date(2024, 12, 31)).exists()


def test_it_refuses_a_project_that_ends_before_it_starts(db):
    with pytest.raises(IntegrityError):
        ProjectFactory(active_from=JUN_30, active_to=JAN_1)


def test_a_project_may_start_and_end_on_the_same_day(db):
    project = ProjectFactory(active_from=JAN_1, active_to=JAN_1)

    assert project.is_active_on(JAN_1)


def test_a_members_projects_include_those_they_lead_and_those_they_belong_to(db):
    person = UserFactory()
    led = ProjectFactory(pi=person)
    joined = ProjectFactory(members=[person])
    ProjectFactory()

    assert set(Project.objects.for_member(person)) == {led, joined}


def test_has_member_agrees_with_for_member(db, django_assert_num_queries):
    pi, member, outsider = UserFactory(), UserFactory(), UserFactory()
    project = ProjectFactory(pi=pi, members=[member])

    with django_assert_num_queries(0):
        assert project.has_member(pi)
    for person in (pi, member, outsider):
        expected = project in Project.objects.for_member(person)
        assert project.has_member(person) is expected
    assert not project.has_member(outsider)


def test_a_pi_who_is_also_a_member_sees_the_project_once(db):
    pi = UserFactory()
    project = ProjectFactory(pi=pi, members=[pi, UserFactory()])

    assert list(Project.objects.for_member(pi)) == [project]
