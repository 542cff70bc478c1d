"""Statement PDFs are private files: stored outside MEDIA_ROOT under names nobody can guess,
with no URL of their own, so neither nginx nor the development server publishes them."""

import importlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import Client
from django.urls import clear_url_caches

from reporting.models import BillingPeriod, Statement
from reporting.services import record_usage, request_statements
from reporting.services.statements import render_statement
from tests.reporting.conftest import at, finished
from tests.site.test_settings import PRODUCTION, production_env, run_python


@pytest.fixture
def ready(confocal, card, researcher, project) -> Statement:
    """October's rendered statement of BIO-2041."""
    record_usage(booking=finished(confocal, researcher, project, at(5, 9)))
    period = BillingPeriod.objects.get()
    statement = request_statements(period=period, project=project, dispatch=False)[0]
    return render_statement(statement_id=statement.pk, attempt=statement.attempt)


@pytest.fixture
def development_urls(settings):
    """The URLconf as the development server builds it (DEBUG on: /media/ is served)."""
    import labitory.urls

    settings.DEBUG = True
    importlib.reload(labitory.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(labitory.urls)
    clear_url_caches()


def test_a_statements_file_is_stored_outside_media_root(ready, settings):
    stored = Path(ready.file.path)

    assert stored.read_bytes().startswith(b"%PDF")
    assert not stored.is_relative_to(settings.MEDIA_ROOT)
    assert stored.is_relative_to(settings.PRIVATE_ROOT)


def test_a_statements_file_name_is_not_made_of_its_period_and_project(ready):
    name = ready.file.name

    assert "BIO-2041" not in name and "2026-10" not in name
    assert len(Path(name).stem) == 32  # 128 random bits
    assert ready.filename == "statement-2026-10-BIO-2041.pdf"  # what the user downloads


def test_the_private_storage_has_no_url_for_any_file(ready):
    with pytest.raises(NotImplementedError):
        _ = ready.file.url
    with pytest.raises(NotImplementedError):
        storages["private"].url(ready.file.name)


def test_the_development_server_does_not_serve_a_statement_at_its_old_media_path(
    ready, development_urls
):
    old_path = f"/media/statements/{ready.rendered_at:%Y/%m}/statement-2026-10-BIO-2041.pdf"
    new_path = f"/media/{ready.file.name}"

    assert Client().get(old_path).status_code == 404
    assert Client().get(new_path).status_code == 404


def test_the_development_server_still_serves_uploads(db, development_urls):
    storages["default"].save("images/logo.txt", ContentFile(b"logo"))

    assert Client().get("/media/images/logo.txt").status_code == 200


PRINT_PRIVATE = """
import django; django.setup()
from django.conf import settings
from django.core.files.storage import storages
private = storages["private"]
print(type(private).__name__, settings.PRIVATE_ROOT, settings.PRIVATE_FILES_ACCEL_PREFIX)
print(getattr(private, "location", ""), getattr(private, "default_acl", ""))
try:
    private.url("statements/2026/10/x.pdf")
except NotImplementedError:
    print("no url")
"""


def test_production_keeps_private_files_on_disk_and_hands_them_to_nginx(tmp_path):
    env = production_env(MEDIA_ROOT=str(tmp_path / "media"), PRIVATE_ROOT=str(tmp_path / "p"))
    result = run_python(PRODUCTION, env, "-c", PRINT_PRIVATE)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"PrivateFileSystemStorage {tmp_path / 'p'} /_private/",
        f"{tmp_path / 'p'} ",
        "no url",
    ]


def test_on_s3_private_files_get_a_private_prefix_and_no_url():
    env = production_env(
        STORAGE_S3_BUCKET="labitory-media",
        STORAGE_S3_ENDPOINT_URL="https://s3.example.ac.uk",
        AWS_ACCESS_KEY_ID="AKIAEXAMPLE",
        AWS_SECRET_ACCESS_KEY="example-secret",
    )
    result = run_python(PRODUCTION, env, "-c", PRINT_PRIVATE)

    assert result.returncode == 0, result.stderr
    backend, location = result.stdout.splitlines()[0], result.stdout.splitlines()[1]
    assert backend.startswith("PrivateS3Storage ")
    assert location == "private private"
    assert result.stdout.splitlines()[2] == "no url"


def test_a_private_root_inside_media_root_is_refused(tmp_path):
    env = production_env(
        MEDIA_ROOT=str(tmp_path / "media"), PRIVATE_ROOT=str(tmp_path / "media" / "private")
    )
    result = run_python(PRODUCTION, env, "-c", "import django; django.setup()")

    assert result.returncode != 0
    assert "PRIVATE_ROOT" in result.stderr and "inside" in result.stderr
