"""Moving statement PDFs made before private storage out of MEDIA_ROOT/statements/: each file
goes to the private storage under a random name, its row follows, a second run changes
nothing, and a missing file is reported, not a crash."""

import importlib
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command

from reporting.models import BillingPeriod, Statement
from reporting.services import record_usage, request_statements
from tests.reporting.conftest import at, finished

PDF = b"%PDF-1.7 an October statement"
OLD_NAME = "statements/2026/11/statement-2026-10-BIO-2041.pdf"


@pytest.fixture
def old_style(confocal, card, researcher, project) -> Statement:
    """A ready statement as the code before private storage left it: a guessable name in the
    public media storage."""
    record_usage(booking=finished(confocal, researcher, project, at(5, 9)))
    statement = request_statements(period=BillingPeriod.objects.get(), dispatch=False)[0]
    assert storages["default"].save(OLD_NAME, ContentFile(PDF)) == OLD_NAME
    Statement.objects.filter(pk=statement.pk).update(file=OLD_NAME, status=Statement.Status.READY)
    statement.refresh_from_db()
    return statement


def move() -> str:
    out = io.StringIO()
    call_command("move_statements_to_private_storage", stdout=out, stderr=out)
    return out.getvalue()


def test_the_command_moves_an_old_statement_file_into_private_storage(old_style, settings):
    assert "1 moved, 0 already private, 0 missing." in move()

    old_style.refresh_from_db()
    assert old_style.file.name != OLD_NAME and "BIO-2041" not in old_style.file.name
    assert not (settings.MEDIA_ROOT / OLD_NAME).exists()
    assert Path(old_style.file.path).is_relative_to(settings.PRIVATE_ROOT)
    with old_style.file.open("rb") as handle:
        assert handle.read() == PDF


def test_running_the_move_twice_changes_nothing_the_second_time(old_style):
    move()
    old_style.refresh_from_db()
    moved_to = old_style.file.name

    assert "0 moved, 1 already private, 0 missing." in move()
    old_style.refresh_from_db()
    assert old_style.file.name == moved_to
    with old_style.file.open("rb") as handle:
        assert handle.read() == PDF


def test_a_statement_whose_file_is_gone_is_reported_and_left_alone(old_style):
    storages["default"].delete(OLD_NAME)

    output = move()

    assert "0 moved, 0 already private, 1 missing." in output
    assert f"Statement {old_style.pk}: its file {OLD_NAME} is in neither storage" in output
    old_style.refresh_from_db()
    assert old_style.file.name == OLD_NAME


def test_the_migration_moves_files_with_the_same_function(old_style, settings):
    migration = importlib.import_module("reporting.migrations.0002_statements_in_private_storage")

    migration.move_existing_files(apps, schema_editor=None)

    old_style.refresh_from_db()
    assert not (settings.MEDIA_ROOT / OLD_NAME).exists()
    with old_style.file.open("rb") as handle:
        assert handle.read() == PDF
