"""Personal API tokens: made on the account screen, shown once, stored hashed, scoped,
expiring and revocable, used as `Authorization: Bearer …`."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient
from wagtail.models import ModelLogEntry

from people.api_tokens import ApiToken, TokenRefused, create_token, hash_token, revoke_token
from people.roles import Role
from tests.conftest import sign_in_with_second_factor


def bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_a_token_made_on_the_screen_is_shown_once_and_stored_hashed(client, researcher):
    client.force_login(researcher)

    response = client.post(
        reverse("api_tokens"), {"name": "Lab script", "scope": "read", "days": "30"}
    )

    token = re.search(r'value="(lbt_[A-Za-z0-9_-]+)"', response.text).group(1)
    stored = ApiToken.objects.get()
    assert stored.token_hash == hash_token(token) and token not in stored.token_hash
    assert stored.prefix == token[:8]
    listing = client.get(reverse("api_tokens")).text
    assert "Lab script" in listing and token not in listing
    assert ModelLogEntry.objects.filter(action="people.api_token.created").exists()


def test_a_token_signs_api_calls_in_and_records_its_last_use(researcher, facility):
    record, token = create_token(user=researcher, name="script", scope="read", days=30)

    response = bearer(token).get("/api/v1/bookings/")

    assert response.status_code == 200
    record.refresh_from_db()
    assert record.last_used_at is not None


def test_a_read_only_token_cannot_write(researcher, facility):
    _, token = create_token(user=researcher, name="script", scope="read", days=30)

    response = bearer(token).post("/api/v1/bookings/", {}, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "token_read_only"


def test_a_read_write_token_reaches_the_booking_rules(researcher, facility):
    _, token = create_token(user=researcher, name="script", scope="read_write", days=30)

    response = bearer(token).post("/api/v1/bookings/", {}, format="json")

    assert response.status_code == 400  # past authentication: the input is checked


def test_a_token_needs_no_csrf_token(researcher, facility):
    _, token = create_token(user=researcher, name="script", scope="read_write", days=30)
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    assert client.post("/api/v1/bookings/", {}, format="json").status_code == 400


@pytest.mark.parametrize(
    "header",
    ["Bearer lbt_not-a-real-token", "Bearer nonsense", "Bearer " + "lbt_" + "x" * 500],
)
def test_a_wrong_token_is_a_401_with_a_code(db, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    response = client.get("/api/v1/resources/")

    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"


def test_a_revoked_token_stops_working(researcher, facility):
    record, token = create_token(user=researcher, name="script", scope="read", days=30)
    revoke_token(token=record, by=researcher)

    assert bearer(token).get("/api/v1/resources/").status_code == 401
    assert ModelLogEntry.objects.filter(action="people.api_token.revoked").exists()


def test_an_expired_token_stops_working(researcher, facility):
    record, token = create_token(user=researcher, name="script", scope="read", days=1)
    ApiToken.objects.filter(pk=record.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    assert bearer(token).get("/api/v1/resources/").status_code == 401


def test_an_inactive_users_token_stops_working(researcher, facility):
    _, token = create_token(user=researcher, name="script", scope="read", days=30)
    researcher.is_active = False
    researcher.save()

    assert bearer(token).get("/api/v1/resources/").status_code == 401


def test_someone_elses_token_cannot_be_revoked(client, researcher, finance):
    record, _ = create_token(user=finance, name="finance export", scope="read", days=30)
    client.force_login(researcher)

    response = client.post(reverse("api_token_revoke", args=[record.pk]))

    assert response.status_code == 404
    record.refresh_from_db()
    assert record.revoked_at is None


@pytest.mark.parametrize(
    ("name", "scope", "days", "code"),
    [
        ("", "read", 30, "invalid_name"),
        ("x" * 101, "read", 30, "invalid_name"),
        ("script", "admin", 30, "invalid_scope"),
        ("script", "read", 0, "invalid_lifetime"),
        ("script", "read", 10_000, "invalid_lifetime"),
    ],
)
def test_bad_token_requests_are_refused_with_a_code(researcher, name, scope, days, code):
    with pytest.raises(TokenRefused) as refused:
        create_token(user=researcher, name=name, scope=scope, days=days)

    assert refused.value.code == code
    assert not ApiToken.objects.exists()


def test_the_screen_refuses_bad_input_next_to_the_field(client, researcher):
    client.force_login(researcher)

    response = client.post(reverse("api_tokens"), {"name": "", "scope": "root", "days": "7"})

    assert response.status_code == 200
    assert response.text.count("field__error") >= 3
    assert not ApiToken.objects.exists()


def test_a_staff_member_without_two_factor_cannot_make_a_token(client, coordinator):
    client.force_login(coordinator)

    response = client.post(reverse("api_tokens"), {"name": "x", "scope": "read", "days": "30"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor_setup"))
    assert not ApiToken.objects.exists()


def test_a_staff_member_verified_with_two_factor_makes_a_token(coordinator, facility, client):
    sign_in_with_second_factor(client, coordinator)
    client.post(reverse("api_tokens"), {"name": "x", "scope": "read", "days": "30"})
    record = ApiToken.objects.get(user=coordinator)
    assert record.scope == "read"
    assert record.created_with_second_factor


# Tokens and the second factor


def test_a_token_made_before_its_owner_got_a_staff_role_is_refused_with_a_code(
    client, researcher, facility
):
    client.force_login(researcher)
    page = client.post(reverse("api_tokens"), {"name": "x", "scope": "read", "days": "30"})
    token = re.search(r'value="(lbt_[A-Za-z0-9_-]+)"', page.text).group(1)
    assert bearer(token).get("/api/v1/bookings/").status_code == 200

    researcher.groups.add(Group.objects.get(name=Role.FINANCE))
    response = bearer(token).get("/api/v1/statements/")

    assert response.status_code == 403
    assert response.json()["code"] == "token_needs_second_factor"
    assert "make a new token" in response.json()["message"]
    sign_in_with_second_factor(client, researcher)
    assert "Made without two-factor" in client.get(reverse("api_tokens")).text


def test_a_staff_token_made_in_a_verified_session_keeps_working(client, coordinator):
    sign_in_with_second_factor(client, coordinator)

    page = client.post(reverse("api_tokens"), {"name": "x", "scope": "read", "days": "30"})

    token = re.search(r'value="(lbt_[A-Za-z0-9_-]+)"', page.text).group(1)
    assert ApiToken.objects.get(user=coordinator).created_with_second_factor
    assert bearer(token).get("/api/v1/bookings/").status_code == 200


def test_a_staff_token_made_without_a_second_factor_is_refused_for_writes_too(coordinator):
    _, token = create_token(user=coordinator, name="old", scope="read_write", days=30)

    response = bearer(token).post("/api/v1/bookings/", {}, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "token_needs_second_factor"
