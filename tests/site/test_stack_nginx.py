"""The local stack's nginx serves files from a checkout in a private folder (mode 0700, as
root's home is): its workers run as the user who started the stack, not as `nobody`."""

import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy" / "stack"))
from services import worker_user  # noqa: E402

pytestmark = pytest.mark.skipif(not shutil.which("nginx"), reason="needs nginx")


def get(url: str) -> int:
    deadline = time.monotonic() + 10
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            assert time.monotonic() < deadline, "nginx did not answer"
            time.sleep(0.1)


def test_nginx_reads_static_files_inside_a_private_folder(tmp_path):
    private = tmp_path / "home"
    (private / "static").mkdir(parents=True)
    private.chmod(0o700)
    (private / "static" / "site.css").write_text("body { color: black; }")
    port = free_port(range(8290, 8390))
    (tmp_path / "nginx.conf").write_text(
        f"{worker_user()}\npid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
        f"events {{}}\nhttp {{ client_body_temp_path {tmp_path}; proxy_temp_path {tmp_path};\n"
        f"  access_log off; server {{ listen 127.0.0.1:{port};\n"
        f"    location /static/ {{ alias {private}/static/; }} }}\n"
        f"}}\n"
    )
    nginx = subprocess.Popen(
        ["nginx", "-p", tmp_path, "-e", tmp_path / "error.log", "-c", tmp_path / "nginx.conf",
         "-g", "daemon off;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        status = get(f"http://127.0.0.1:{port}/static/site.css")
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)

    assert status == 200, (tmp_path / "error.log").read_text()
