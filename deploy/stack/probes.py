"""Is each part of the stack answering? Each probe returns at once with yes or no."""

import json
import socket
import subprocess
import urllib.request

from layout import ROOT, Layout
from services import PYTHON


def smtp_is_up(layout: Layout) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", layout.smtp_port), timeout=1):
            return True
    except OSError:
        return False


def web_is_healthy(layout: Layout) -> bool:
    """/healthz through nginx answers "ok": database, cache and broker reachable (a
    "degraded" site answers 200 too)."""
    try:
        with urllib.request.urlopen(f"{layout.base_url}/healthz", timeout=5) as response:
            return response.status == 200 and json.load(response)["status"] == "ok"
    except (OSError, ValueError, KeyError):
        return False


def workers_answering(env: dict[str, str]) -> set[str]:
    """The queue groups whose worker answers a ping over the broker."""
    result = subprocess.run(
        [PYTHON, "-m", "celery", "-A", "labitory", "inspect", "ping", "-j", "--timeout", "3"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    try:
        replies = json.loads(result.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return set()
    return {name.split("@", 1)[0] for name in replies}
