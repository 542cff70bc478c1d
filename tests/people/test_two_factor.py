"""Two-factor sign-in: enrolment, the sign-in step, single use, lockout, enforcement."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry, PageViewRestriction

from people import two_factor
from people.devices import BackupCode, BackupCodeDevice
from people.roles import Role
from tests.conftest import sign_in_with_second_factor
from tests.factories import PASSWORD, UserFactory
from tests.people.conftest import code_now, submit_code, submit_password

REFUSED = "That code did not work."


def enrol_through_the_screens(client) -> tuple[TOTPDevice, list[str]]:
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200 and "<svg" in page.text
    device = TOTPDevice.objects.get(confirmed=False)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page.text).group(1)
    assert secret == two_factor.describe(device).secret
    response = client.post(reverse("two_factor_setup"), {"code": code_now(device)})
    assert response.status_code == 200
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", response.text)
    return TOTPDevice.objects.get(pk=device.pk), codes


# Enrolment


def test_a_coordinator_adds_an_app_and_receives_ten_backup_codes(client, coordinator):
    client.force_login(coordinator)

    device, codes = enrol_through_the_screens(client)

    assert device.confirmed
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    assert ModelLogEntry.objects.filter(action="people.two_factor.enrolled").count() == 1


def test_backup_codes_are_stored_only_as_hashes(client, coordinator):
    client.force_login(coordinator)
    _, codes = enrol_through_the_screens(client)

    stored = set(BackupCode.objects.values_list("code_hash", flat=True))

    assert len(stored) == 10
    for code in codes:
        plain = code.replace("-", "")
        assert not any(plain in value for value in stored)


def test_a_wrong_first_code_leaves_the_app_unconfirmed(client, coordinator):
    client.force_login(coordinator)
    client.get(reverse("two_factor_setup"))

    response = client.post(reverse("two_factor_setup"), {"code": "000000"})

    assert REFUSED in response.text
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


# The sign-in step


def test_with_an_app_the_password_alone_does_not_sign_in(client, coordinator, enrolled):
    response = submit_password(client, coordinator.email)

    assert response.status_code == 302 and response.url == reverse("two_factor_sign_in")
    assert "_auth_user_id" not in client.session


def test_the_code_completes_the_sign_in_and_opens_the_admin(client, coordinator, enrolled):
    submit_password(client, coordinator.email, next_url="/admin/")

    response = submit_code(client, code_now(enrolled))

    assert response.status_code == 302 and response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_code_is_accepted_only_once(client, coordinator, enrolled):
    code = code_now(enrolled)
    submit_password(client, coordinator.email)
    submit_code(client, code)
    client.post(reverse("account_logout"))

    submit_password(client, coordinator.email)
    response = submit_code(client, code)

    assert response.status_code == 200 and REFUSED in response.text
    assert "_auth_user_id" not in client.session


def test_a_wrong_code_reads_as_a_clear_message_and_is_audited(client, coordinator, enrolled):
    submit_password(client, coordinator.email)

    response = submit_code(client, "123")

    assert REFUSED in response.text
    assert ModelLogEntry.objects.filter(action="people.two_factor.failed").exists()


def test_a_backup_code_signs_in_once(client, coordinator, enrolled, rf):
    request = rf.post("/")
    request.user = coordinator
    codes = two_factor.issue_backup_codes(request, user=coordinator)

    submit_password(client, coordinator.email)
    assert submit_code(client, codes[0].upper()).status_code == 302
    client.post(reverse("account_logout"))
    submit_password(client, coordinator.email)

    assert REFUSED in submit_code(client, codes[0]).text
    assert BackupCodeDevice.objects.get(user=coordinator).remaining() == 9


def test_wrong_codes_count_towards_the_sign_in_lockout(client, coordinator, enrolled):
    submit_password(client, coordinator.email)
    for _ in range(5):
        submit_code(client, "000000")

    response = submit_code(client, code_now(enrolled))

    assert "Too many attempts" in response.text
    assert "_auth_user_id" not in client.session


def test_a_site_admin_clears_the_lockout(client, coordinator, enrolled, site_admin):
    for _ in range(5):
        submit_password(client, coordinator.email, "wrong")
    admin = type(client)()
    sign_in_with_second_factor(admin, site_admin)
    page = admin.get(reverse("people_account_security", args=[coordinator.pk]))
    assert "Locked" in page.text

    admin.post(reverse("people_unlock", args=[coordinator.pk]))

    assert submit_password(client, coordinator.email).url == reverse("two_factor_sign_in")
    assert ModelLogEntry.objects.get(action="people.lockout_cleared").user_id == site_admin.pk


# Enforcement


@pytest.mark.parametrize("role", ["Lab coordinator", "Approver", "Finance", "Site admin"])
def test_every_staff_role_must_add_an_app_before_the_admin(client, db, role):
    client.force_login(UserFactory(roles=[role]))

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor_setup"))


def test_a_staff_session_not_verified_with_its_app_is_asked_for_a_code(
    client, coordinator, enrolled
):
    client.force_login(coordinator)

    response = client.get("/admin/reports/site-history/")

    assert response.url == reverse("two_factor_verify") + "?next=/admin/reports/site-history/"
    client.post(response.url, {"code": code_now(enrolled)})
    assert client.get("/admin/reports/site-history/").status_code == 200


def test_an_unverified_staff_session_is_refused_by_the_api(client, coordinator):
    client.force_login(coordinator)

    response = client.get("/api/v1/resources/")

    assert response.status_code == 403
    assert response.json()["code"] == "second_factor_required"


def test_two_factor_is_optional_for_researchers(client, researcher, facility):
    submit_password(client, researcher.email)

    assert client.get("/bookings/").status_code == 200
    assert client.get("/api/v1/resources/").status_code == 200


def test_a_researcher_who_enrolled_is_asked_for_the_code(client, researcher, facility):
    device = two_factor.add_known_authenticator(researcher, secret="JBSWY3DPEHPK3PXP")

    assert submit_password(client, researcher.email).url == reverse("two_factor_sign_in")
    assert submit_code(client, code_now(device)).status_code == 302


def test_a_group_beyond_the_five_roles_that_opens_the_admin_needs_the_second_factor(client, db):
    group = Group.objects.create(name="Facility managers")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = UserFactory(roles=[Role.RESEARCHER])
    user.groups.add(group)
    client.force_login(user)

    response = client.get("/admin/")

    assert response.url.startswith(reverse("two_factor_setup"))
    assert two_factor.needs_second_factor(user)


def test_a_permission_of_ones_own_that_opens_the_admin_needs_the_second_factor(db):
    user = UserFactory(roles=[Role.RESEARCHER])
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))

    assert two_factor.needs_second_factor(user)


@pytest.mark.parametrize("flag", ["is_staff", "is_superuser"])
def test_django_staff_and_superusers_need_the_second_factor(client, db, flag):
    user = UserFactory(roles=[Role.RESEARCHER], **{flag: True})
    client.force_login(user)

    assert client.get("/bookings/").url.startswith(reverse("two_factor_setup"))


def test_researchers_do_not_need_the_second_factor(researcher):
    assert not two_factor.needs_second_factor(researcher)


def test_the_way_back_after_the_code_keeps_the_query_string(client, coordinator, enrolled):
    client.force_login(coordinator)

    response = client.get("/bookings/find/?day=2030-01-01&resource=3")

    assert response.url == (
        reverse("two_factor_verify") + "?next=/bookings/find/%3Fday%3D2030-01-01%26resource%3D3"
    )
    after = client.post(response.url, {"code": code_now(enrolled)})
    assert after.url == "/bookings/find/?day=2030-01-01&resource=3"


def test_a_half_signed_in_staff_member_sees_public_pages_but_not_restricted_ones(
    client, coordinator, facility
):
    restricted = facility.orbitrap
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    client.force_login(coordinator)

    assert client.get(facility.confocal.url).status_code == 200
    response = client.get(restricted.url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor_setup"))
    sign_in_with_second_factor(client, coordinator)
    assert client.get(restricted.url).status_code == 200


def test_a_half_signed_in_session_cannot_turn_the_app_off(client, coordinator, enrolled):
    client.force_login(coordinator)  # e.g. a session from before the app was added

    response = client.post(reverse("two_factor_remove"))

    assert response.url.startswith(reverse("two_factor_verify"))
    assert TOTPDevice.objects.filter(user=coordinator).exists()


# Changing and removing


def test_removing_the_app_needs_the_password_again(client, coordinator, enrolled, settings):
    sign_in_with_second_factor(client, coordinator)
    session = client.session
    session.pop("account_reauthenticated_at", None)
    session.save()

    response = client.post(reverse("two_factor_remove"))

    assert response.status_code == 302 and "reauthenticate" in response.url
    assert TOTPDevice.objects.filter(user=coordinator).exists()


def reauthenticate(client) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def test_after_the_password_the_app_is_removed_and_logged(client, coordinator, enrolled):
    submit_password(client, coordinator.email)
    submit_code(client, code_now(enrolled))
    reauthenticate(client)

    response = client.post(reverse("two_factor_remove"))

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert ModelLogEntry.objects.filter(action="people.two_factor.removed").exists()


def test_new_backup_codes_replace_the_old_ones(client, coordinator, enrolled, rf):
    request = rf.post("/")
    old = two_factor.issue_backup_codes(request, user=coordinator)
    submit_password(client, coordinator.email)
    submit_code(client, code_now(enrolled))
    reauthenticate(client)

    response = client.post(reverse("backup_codes"))

    new = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", response.text)
    assert len(new) == 10 and not set(new) & set(old)
    device = BackupCodeDevice.objects.get(user=coordinator)
    assert not device.verify_token(old[0]) and device.verify_token(new[0])


def test_a_site_admin_resets_a_users_devices_and_it_is_logged(
    client, coordinator, enrolled, site_admin
):
    sign_in_with_second_factor(client, site_admin)

    client.post(reverse("people_reset_two_factor", args=[coordinator.pk]))

    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    entry = ModelLogEntry.objects.get(action="people.two_factor.reset")
    assert entry.user_id == site_admin.pk and entry.object_id == str(coordinator.pk)


def test_a_coordinator_cannot_reset_anyone(client, coordinator, finance):
    sign_in_with_second_factor(client, coordinator)
    two_factor.add_known_authenticator(finance, secret="JBSWY3DPEHPK3PXP")

    response = client.post(reverse("people_reset_two_factor", args=[finance.pk]))

    assert response.status_code in (302, 403)
    assert TOTPDevice.objects.filter(user=finance).exists()
