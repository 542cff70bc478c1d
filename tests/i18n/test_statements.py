"""A project's statement is written in its PI's language, whoever asks for it."""

import pytest
from django.utils import translation

from reporting.services.statements import statement_language
from tests.factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_project_statement_follows_its_pi_and_a_department_statement_the_default(settings):
    from reporting.models import Statement

    pi = UserFactory(email="prof@example.org", language="de")
    project = ProjectFactory(code="BIO-7", pi=pi)
    with translation.override("en-gb"):
        assert statement_language(Statement(project=project)) == "de"
    assert statement_language(Statement(department=project.department)) == settings.LANGUAGE_CODE


def test_the_statement_ledger_and_period_speak_the_statement_language():
    import datetime

    from reporting.models import BillingPeriod
    from reporting.rendering.ledger import PROJECT_COLUMNS, ledger_heading

    period = BillingPeriod(
        starts_on=datetime.date(2026, 10, 1), ends_on=datetime.date(2026, 10, 31)
    )
    with translation.override("de"):
        assert period.label == "Oktober 2026"
        heading = ledger_heading(PROJECT_COLUMNS)
        assert heading.startswith("Datum") and "Gerät" in heading and "Betrag" in heading
    assert period.label == "October 2026"
