"""The deployment's configuration: the environment file names every variable, object
storage and proxies are configured from the environment as documented."""

import re
import subprocess
from pathlib import Path

from tests.site.test_settings import PRODUCTION, production_env, run_python

ROOT = Path(__file__).resolve().parents[2]
READER = re.compile(r'env_(?:str|int|bool|list|required)\(\s*"([A-Z0-9_]+)"')
GUNICORN = re.compile(r'os\.environ\.get\("([A-Z0-9_]+)"')


def variables_read() -> set[str]:
    """Every variable the settings (not the test settings) and gunicorn's config read."""
    sources = [p for p in (ROOT / "site").rglob("*.py") if p.name != "test.py"]
    names = {name for path in sources for name in READER.findall(path.read_text())}
    return names | set(GUNICORN.findall((ROOT / "deploy" / "gunicorn.conf.py").read_text()))


def test_the_environment_example_names_every_variable():
    example = (ROOT / "deploy" / "env.example").read_text()
    documented = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example, re.MULTILINE))

    missing = variables_read() - documented
    assert not missing, f"deploy/env.example does not mention {sorted(missing)}"
    assert {"SECRET_KEY", "DATABASE_URL", "STORAGE_S3_BUCKET", "GUNICORN_WORKERS"} <= documented


PRINT_STORAGE = """
import django; django.setup()
from django.core.files.storage import storages
print(type(storages["default"]).__name__)
print(storages["default"].url("statements/2026/10/BIO-2041.pdf"))
"""


def test_uploads_stay_on_disk_unless_a_bucket_is_set():
    result = run_python(PRODUCTION, production_env(), "-c", PRINT_STORAGE)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "FileSystemStorage"


def test_a_bucket_moves_uploads_to_s3_compatible_storage_behind_signed_links():
    env = production_env(
        STORAGE_S3_BUCKET="labitory-media",
        STORAGE_S3_ENDPOINT_URL="https://s3.example.ac.uk",
        STORAGE_S3_REGION="eu-west-2",
        STORAGE_S3_URL_SECONDS="600",
        AWS_ACCESS_KEY_ID="AKIAEXAMPLE",
        AWS_SECRET_ACCESS_KEY="example-secret",
    )
    result = run_python(PRODUCTION, env, "-c", PRINT_STORAGE)

    assert result.returncode == 0, result.stderr
    backend, url = result.stdout.splitlines()
    assert backend == "S3Storage"
    assert url.startswith("https://s3.example.ac.uk/labitory-media/media/statements/2026/10/")
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=600" in url


PRINT_CLIENT = """
import django; django.setup()
from django.test import RequestFactory
from rest_framework.throttling import AnonRateThrottle
from people.audit import client_address
request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1",
                               HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
print(client_address(request), AnonRateThrottle().get_ident(request))
"""


def test_behind_nginx_the_client_is_the_address_nginx_saw_not_one_a_client_sent():
    result = run_python(PRODUCTION, production_env(), "-c", PRINT_CLIENT)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["203.0.113.9", "203.0.113.9"]


def test_behind_a_load_balancer_and_nginx_the_client_is_two_hops_back():
    result = run_python(PRODUCTION, production_env(TRUSTED_PROXY_COUNT="2"), "-c", PRINT_CLIENT)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["6.6.6.6", "6.6.6.6"]


def test_the_production_nginx_site_is_valid_for_nginx(tmp_path):
    """nginx -t on the production site, with a throwaway certificate in place of the real one
    (the local stack's smoke test serves the same app file over plain HTTP)."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=book.facility.example.ac.uk",
         "-keyout", tmp_path / "key.pem", "-out", tmp_path / "cert.pem"],
        check=True, capture_output=True,
    )  # fmt: skip
    live = "/etc/letsencrypt/live/book.facility.example.ac.uk"
    site = (
        (ROOT / "deploy" / "nginx" / "labitory.conf")
        .read_text()
        .replace(f"{live}/fullchain.pem", str(tmp_path / "cert.pem"))
        .replace(f"{live}/privkey.pem", str(tmp_path / "key.pem"))
        .replace("/srv/labitory/deploy/", f"{ROOT}/deploy/")
    )
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; events {{}}\n"
        f"http {{ include /etc/nginx/mime.types; client_body_temp_path {tmp_path}; "
        f"proxy_temp_path {tmp_path}; include {tmp_path}/site.conf; }}\n"
    )

    result = subprocess.run(
        ["nginx", "-t", "-p", tmp_path, "-e", tmp_path / "error.log",
         "-c", tmp_path / "nginx.conf"],
        capture_output=True, text=True,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr


def test_nginx_drops_idle_upstream_connections_before_gunicorn_does():
    """Otherwise gunicorn may close a kept-alive connection just as nginx sends a request on
    it; nginx never retries a POST, so the booking gets a 502."""
    gunicorn = int(re.search(r"^keepalive = (\d+)$", read("gunicorn.conf.py"), re.M)[1])
    for conf in ("nginx/labitory.conf", "stack/nginx.conf"):
        upstream = re.search(r"upstream labitory \{(.*?)\}", read(conf), re.S)[1]
        timeout = re.search(r"keepalive_timeout (\d+)s;", upstream)
        assert timeout and int(timeout[1]) < gunicorn, conf


def read(name: str) -> str:
    return (ROOT / "deploy" / name).read_text()
