"""Self sign-ups get no privileged category: external academic and unconfirmed until staff
confirm them, or internal once their address on an internal domain is verified; production
keeps sign-up closed unless it is switched on."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from people.models import User
from people.signup import apply_signup_category
from tests.factories import PASSWORD
from tests.site.test_settings import PRODUCTION, production_env, run_python

pytestmark = pytest.mark.django_db


def sign_up(client, email: str) -> User:
    response = client.post(
        reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    return User.objects.get(email=email)


def open_the_link(client) -> None:
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    client.post(link)


def test_a_sign_up_starts_external_and_unconfirmed_and_stays_so_outside_internal_domains(
    client, facility, settings
):
    settings.SIGNUP_INTERNAL_DOMAINS = ["uni.example.ac.uk"]

    user = sign_up(client, "someone@elsewhere.example")
    assert (user.category, user.category_confirmed) == (User.Category.EXTERNAL_ACADEMIC, False)

    open_the_link(client)
    user.refresh_from_db()
    assert (user.category, user.category_confirmed) == (User.Category.EXTERNAL_ACADEMIC, False)


def test_a_verified_address_on_an_internal_domain_makes_its_owner_internal(
    client, facility, settings
):
    settings.SIGNUP_INTERNAL_DOMAINS = ["uni.example.ac.uk"]

    user = sign_up(client, "ann.other@uni.example.ac.uk")
    # Typing the address is not enough: it is not verified yet.
    assert (user.category, user.category_confirmed) == (User.Category.EXTERNAL_ACADEMIC, False)

    open_the_link(client)
    user.refresh_from_db()
    assert (user.category, user.category_confirmed) == (User.Category.INTERNAL, True)


@pytest.mark.parametrize(
    ("email", "verified", "category"),
    [
        ("ann@uni.example.ac.uk", True, User.Category.INTERNAL),
        ("ann@uni.example.ac.uk", False, User.Category.EXTERNAL_ACADEMIC),
        ("ann@UNI.EXAMPLE.AC.UK", True, User.Category.INTERNAL),
        ("ann@evil.uni.example.ac.uk.example", True, User.Category.EXTERNAL_ACADEMIC),
        ("ann@gmail.example", True, User.Category.EXTERNAL_ACADEMIC),
    ],
)
def test_the_same_rule_decides_for_single_sign_on(settings, email, verified, category):
    """The SSO adapter passes whether a trusted provider vouched for the address."""
    settings.SIGNUP_INTERNAL_DOMAINS = ["uni.example.ac.uk"]

    user = apply_signup_category(User(email=email), verified=verified)

    assert user.category == category
    assert user.category_confirmed is (category == User.Category.INTERNAL)


def test_accounts_staff_create_keep_their_category_confirmed():
    user = User.objects.create_user("made.by.staff@example.org", category=User.Category.INDUSTRY)

    assert user.category_confirmed is True


def signup_open_in_production(**env: str) -> str:
    result = run_python(
        PRODUCTION,
        production_env(**env),
        "-c",
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.ACCOUNT_SIGNUP_ENABLED)",
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_keeps_sign_up_closed_unless_it_is_switched_on():
    assert signup_open_in_production() == "False"
    assert signup_open_in_production(ACCOUNT_SIGNUP_ENABLED="true") == "True"
