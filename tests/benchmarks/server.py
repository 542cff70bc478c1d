"""gunicorn as deployed (deploy/gunicorn.conf.py, production settings, DEBUG off) on a
benchmark's data, and a keep-alive client for timing requests to it.

The settings are production's with one addition, the floors (floor_settings.py): views that
do the least a request of their kind can do, timed through the same gunicorn, middleware and
database, so a figure is read against a floor measured in the same run.
"""

import http.client
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEADERS = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}  # as nginx sends them
# Also the key of a benchmark that signs a session in itself (bench_pages.py).
SECRET_KEY = "bench-" + "k" * 50
# Pages name their static files through the production manifest, collected here once.
STATIC_ROOT = ROOT / "var" / "bench-static"


def start_gunicorn(port: int, **environment: str) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:`port`; its log goes to gunicorn.log in a temporary folder."""
    env = {**production_environment(), "GUNICORN_BIND": f"127.0.0.1:{port}", **environment}
    log = Path(tempfile.mkdtemp(prefix="bench-gunicorn-")) / "gunicorn.log"
    print(f"gunicorn's log: {log}", flush=True)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _ = Client(port).get("/healthz")
            if status:
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def production_environment() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.benchmarks.floor_settings",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(STATIC_ROOT),
    }


def collect_static() -> None:
    """The static files and their manifest, as a deployment collects them."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT, env=production_environment(), check=True,
    )  # fmt: skip


def stop(server: subprocess.Popen) -> None:
    """Stop gunicorn; killed when its graceful stop waits on idle keep-alive connections."""
    server.terminate()
    try:
        server.wait(timeout=40)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


class Client:
    """One keep-alive connection; each call answers (status, body)."""

    def __init__(self, port: int, cookie: str = ""):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = {**HEADERS, **({"Cookie": cookie} if cookie else {})}

    def get(self, path: str, **headers: str) -> tuple[int, bytes]:
        self.connection.request("GET", path, headers={**self.headers, **headers})
        response = self.connection.getresponse()
        return response.status, response.read()

    def timed_get(self, path: str) -> tuple[float, int, bytes]:
        """Milliseconds from sending the request to the last byte of the answer."""
        began = time.perf_counter()
        status, body = self.get(path)
        return (time.perf_counter() - began) * 1000, status, body
