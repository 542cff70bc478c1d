"""Signing in through allauth: passwords, lockout, sign-up domains, verification, reset."""

import re

from django.core import mail
from django.urls import reverse
from wagtail.models import ModelLogEntry

from people.lockout import is_locked_out
from tests.conftest import sign_in_with_second_factor
from tests.factories import PASSWORD, UserFactory
from tests.people.conftest import submit_password

WRONG = "That email address and password do not match an account."


def test_a_researcher_signs_in_with_email_and_password(client, researcher, facility):
    response = submit_password(client, researcher.email)

    assert response.status_code == 302 and response.url == "/bookings/"
    assert client.get("/bookings/").context["user"] == researcher


def test_the_address_is_matched_whatever_its_case(client, researcher, facility):
    response = submit_password(client, researcher.email.upper())

    assert response.status_code == 302


def test_a_wrong_password_and_an_unknown_address_read_the_same(client, researcher, facility):
    wrong_password = submit_password(client, researcher.email, "not-it")
    unknown = submit_password(client, "nobody@example.org", "not-it")

    assert WRONG in wrong_password.text and WRONG in unknown.text
    assert wrong_password.status_code == unknown.status_code == 200


def test_a_failed_sign_in_is_audited_on_the_account(client, researcher, facility):
    submit_password(client, researcher.email, "not-it")

    entry = ModelLogEntry.objects.get(action="people.sign_in_failed")
    assert entry.object_id == str(researcher.pk)


def test_a_successful_sign_in_is_audited(client, researcher, facility):
    submit_password(client, researcher.email)

    entry = ModelLogEntry.objects.get(action="people.signed_in")
    assert entry.user_id == researcher.pk and entry.data["method"] == "password"


def test_five_wrong_passwords_lock_the_address_even_for_the_right_one(
    client, researcher, facility, rf
):
    for _ in range(5):
        submit_password(client, researcher.email, "not-it")

    response = submit_password(client, researcher.email)

    assert response.status_code == 200
    assert "Too many failed sign-in attempts" in response.text
    assert is_locked_out(rf.post("/"), researcher.email)
    assert ModelLogEntry.objects.filter(action="people.locked_out").exists()


def test_over_long_input_is_refused_with_a_message(client, facility):
    response = submit_password(client, "a" * 300 + "@example.org", "x" * 5000)

    assert response.status_code == 200
    assert "error" in response.text.lower()


def test_a_post_without_a_csrf_token_is_refused(facility, researcher):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)

    response = submit_password(strict, researcher.email)

    assert response.status_code == 403
    assert "_auth_user_id" not in strict.session


def test_signing_up_sends_a_verification_email_and_waits_for_it(client, facility):
    response = client.post(
        reverse("account_signup"),
        {"email": "new.person@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1 and "new.person@example.org" in mail.outbox[0].to
    # Not signed in until the link is opened.
    assert "_auth_user_id" not in client.session
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    client.post(link)
    assert submit_password(client, "new.person@example.org").status_code == 302


def test_sign_up_is_refused_for_an_address_outside_the_allowed_domains(client, facility, settings):
    settings.ACCOUNT_ALLOWED_EMAIL_DOMAINS = ["uni.example.ac.uk"]

    response = client.post(
        reverse("account_signup"),
        {"email": "someone@gmail.example", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 200
    assert "Sign-up is open to addresses at uni.example.ac.uk only." in response.text
    assert len(mail.outbox) == 0


def test_a_password_reset_link_sets_a_new_password(client, researcher, facility):
    client.post(reverse("account_reset_password"), {"email": researcher.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", mail.outbox[0].body)
    form_url = client.get(link.group(0)).url
    new_password = "a-brand-new-long-password"

    response = client.post(form_url, {"password1": new_password, "password2": new_password})

    assert response.status_code == 302
    researcher.refresh_from_db()
    assert researcher.check_password(new_password)


def test_an_account_made_by_a_site_admin_can_sign_in_at_once(client, facility):
    person = UserFactory(email="made.by.admin@example.org")

    assert submit_password(client, person.email).status_code == 302


def test_the_admin_sign_in_page_is_the_same_sign_in(client, facility):
    response = client.get("/admin/login/?next=/admin/pages/")

    assert response.status_code == 302
    assert response.url == reverse("account_login") + "?next=%2Fadmin%2Fpages%2F"


def test_the_django_admin_sign_in_is_the_same_sign_in(client, facility):
    response = client.get("/django-admin/login/")

    assert response.status_code == 302
    assert response.url == reverse("account_login") + "?next=%2Fdjango-admin%2F"


def test_an_expired_session_is_signed_out_and_sent_to_sign_in(client, researcher, facility):
    submit_password(client, researcher.email)
    session = client.session
    session.set_expiry(-1)
    session.save()

    response = client.get("/bookings/")

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_sessions_end_with_the_browser_and_after_a_working_day(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_the_admins_account_page_cannot_change_the_address(client, coordinator):
    sign_in_with_second_factor(client, coordinator)

    page = client.get(reverse("wagtailadmin_account")).text

    assert 'type="email"' not in page
