"""A Python client generated from the API's schema (openapi-python-client) builds, imports and
reads what the server answers: the schema is one that clients can be made from."""

import importlib
import json
import subprocess
import sys

import httpx
import pytest
from drf_spectacular.generators import SchemaGenerator

from people.api_tokens import create_token
from tests.api.helpers import book, soon


@pytest.fixture(scope="module")
def generated_client(tmp_path_factory):
    """The client package `labitory_client`, generated from the schema into a temporary folder."""
    folder = tmp_path_factory.mktemp("client")
    schema = folder / "schema.json"
    schema.write_text(json.dumps(SchemaGenerator().get_schema(request=None, public=True)))
    (folder / "config.yaml").write_text("post_hooks: []\n")
    generated = subprocess.run(
        [sys.executable, "-m", "openapi_python_client", "generate", "--meta", "none"]
        + ["--path", str(schema), "--config", str(folder / "config.yaml")]
        + ["--output-path", str(folder / "labitory_client")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module("labitory_client")
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.startswith("labitory_client")]:
            del sys.modules[name]


@pytest.fixture
def client(generated_client, in_process_wsgi, booker):
    """The generated client with the booker's read-only token, calling Django in-process."""
    _, token = create_token(user=booker, name="client", scope="read", days=1)
    return generated_client.AuthenticatedClient(
        base_url="http://testserver",
        token=token,
        httpx_args={"transport": httpx.WSGITransport(app=in_process_wsgi)},
    )


def bookings_list():
    return importlib.import_module("labitory_client.api.bookings.bookings_list")


def test_the_generated_client_reads_a_booking_list(client, booker, instrument, project):
    booking = book(booker, instrument, project, soon(2, 10), soon(2, 11))

    page = bookings_list().sync(client=client, page_size=10)

    assert page.count == 1
    assert page.results[0].id == booking.pk
    assert page.results[0].resource == instrument.pk
    assert page.results[0].start.tzinfo is not None


def test_the_generated_client_reads_an_error(client):
    response = bookings_list().sync_detailed(client=client, page=99)

    assert response.status_code == 404
    assert response.parsed.code == "not_found"
