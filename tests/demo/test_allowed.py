"""The demo commands refuse unless the settings allow demo data: never on a production site.

`seed_demo` makes staff logins whose passwords it prints and whose authenticator key the
README publishes; `demo_code` prints those logins' codes. Under settings that do not allow
demo data both stop before anything is read or written.
"""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page

from booking.models import Booking
from demo.content import DEMO_AUTHENTICATOR_KEY
from people import two_factor
from people.models import User
from tests.factories import UserFactory
from tests.site.test_settings import PRODUCTION, production_env, run_python

pytestmark = pytest.mark.django_db

# Production settings pointed at a database nobody creates: the refusal needs none, and an
# old `seed_demo` that ran anyway could write nowhere.
NO_DATABASE = "postgres://labitory@127.0.0.1:5432/labitory_demo_refusal_never_created"


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (User, Page, Booking)}


def demo_staff_user() -> User:
    user = UserFactory(email="coordinator@demo.labitory.test")
    two_factor.add_known_authenticator(user, secret=DEMO_AUTHENTICATOR_KEY)
    return user


def test_seed_demo_refuses_when_the_settings_do_not_allow_demo_data(settings):
    settings.DEMO_DATA_ALLOWED = False
    before = counts()

    with pytest.raises(CommandError, match="seed_demo refuses to run"):
        call_command("seed_demo", stdout=io.StringIO())

    assert counts() == before


def test_seed_demo_refuses_under_settings_that_never_mention_demo_data(settings):
    del settings.DEMO_DATA_ALLOWED
    before = counts()

    with pytest.raises(CommandError, match="do not allow demo data"):
        call_command("seed_demo", stdout=io.StringIO())

    assert counts() == before


def test_demo_code_refuses_when_the_settings_do_not_allow_demo_data(settings):
    user = demo_staff_user()
    settings.DEMO_DATA_ALLOWED = False
    out = io.StringIO()

    with pytest.raises(CommandError, match="demo_code refuses to run"):
        call_command("demo_code", user.email, stdout=out)

    assert out.getvalue() == ""


def test_demo_code_prints_the_current_code_of_a_demo_staff_login():
    user = demo_staff_user()
    out = io.StringIO()

    call_command("demo_code", user.email, stdout=out)

    assert out.getvalue().strip() == two_factor.current_code(two_factor.authenticator(user))


def test_demo_code_refuses_an_authenticator_a_person_set_up_themselves():
    user = UserFactory()
    two_factor.add_known_authenticator(user, secret="JBSWY3DPEHPK3PXP")

    with pytest.raises(CommandError, match="their own authenticator app"):
        call_command("demo_code", user.email, stdout=io.StringIO())


@pytest.mark.parametrize(
    "command", [["seed_demo"], ["demo_code", "coordinator@demo.labitory.test"]]
)
def test_it_refuses_under_the_production_settings(command):
    result = run_python(PRODUCTION, production_env(DATABASE_URL=NO_DATABASE), "manage.py", *command)

    assert result.returncode != 0
    assert f"{command[0]} refuses to run" in result.stderr
    assert "labitory.settings.production do not allow demo data" in result.stderr
