"""The stack's processes: how each starts, how to tell it is up, and how it stops.

Each process runs in a session of its own, so a Ctrl-C in the terminal reaches only the
orchestrator, which then stops them in order: nginx first (no new requests), then the web
tier, beat and the workers (a worker finishes its task; late acknowledgement redelivers one
it cannot finish), the mail sink last.
"""

import contextlib
import grp
import json
import mailbox
import os
import pwd
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from layout import ROOT, VAR, Layout

PIDS = VAR / "pids.json"
PYTHON = sys.executable
# Per queue group: notifications are many small SMTP sends; a statement render already
# lays its parts out in parallel processes; maintenance jobs are short database sweeps.
WORKERS = {"notifications": 2, "reports": 1, "maintenance": 1}
STOP_ORDER = ["nginx", "web", "beat", *(f"worker-{queue}" for queue in WORKERS), "smtp"]


@dataclass(frozen=True)
class Service:
    name: str
    command: list[str]


def services(layout: Layout) -> list[Service]:
    """Every process of the stack, in start order."""
    celery = [PYTHON, "-m", "celery", "-A", "labitory"]
    workers = [
        Service(
            f"worker-{queue}",
            [
                *celery,
                "worker",
                "-Q",
                queue,
                "-n",
                f"{queue}@%h",
                "--concurrency",
                str(concurrency),
                "-l",
                "info",
            ],
        )  # fmt: skip
        for queue, concurrency in WORKERS.items()
    ]
    return [
        Service(
            "smtp",
            [
                PYTHON,
                "-m",
                "aiosmtpd",
                "-n",
                "-u",
                "-l",
                f"127.0.0.1:{layout.smtp_port}",
                "-c",
                "aiosmtpd.handlers.Mailbox",
                str(layout.maildir),
            ],
        ),  # fmt: skip
        Service("web", [PYTHON, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py"]),
        *workers,
        Service("beat", [*celery, "beat", "-l", "info"]),
        Service("nginx", nginx_command(layout)),
    ]


def worker_user() -> str:
    """The `user` directive: run as root, nginx hands requests to workers running as
    `nobody`, who cannot read the static, media and private files of a checkout in a private
    folder (root's home is 0700) and answer 403. The stack's workers run as the user who
    started it, as gunicorn and Celery do; not as root, nginx ignores the directive."""
    if os.geteuid() != 0:
        return "# user: the workers run as the user who started the stack"
    user = pwd.getpwuid(os.geteuid()).pw_name
    group = grp.getgrgid(os.getegid()).gr_name
    return f"user {user} {group};"


def nginx_command(layout: Layout) -> list[str]:
    """nginx in the foreground with its configuration, pid and temp files under var/stack."""
    prefix = VAR / "nginx"
    for folder in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / "temp" / folder).mkdir(parents=True, exist_ok=True)
    template = (ROOT / "deploy" / "stack" / "nginx.conf").read_text()
    values = {
        "@PREFIX@": str(prefix),
        "@LOGS@": str(layout.logs),
        "@HTTP_PORT@": str(layout.http_port),
        "@APP_PORT@": str(layout.app_port),
        "@STATIC_ROOT@": str(layout.static_root),
        "@MEDIA_ROOT@": str(layout.media_root),
        "@PRIVATE_ROOT@": str(layout.private_root),
        "@DEPLOY@": str(ROOT / "deploy"),
        "@USER@": worker_user(),
    }
    for placeholder, value in values.items():
        template = template.replace(placeholder, value)
    (prefix / "nginx.conf").write_text(template)
    return ["nginx", "-p", str(prefix), "-e", str(layout.logs / "nginx-error.log"),
            "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"]  # fmt: skip


def start_all(layout: Layout, env: dict[str, str]) -> dict[str, int]:
    """Start every service with its output in var/stack/logs/<name>.log; record the pids."""
    layout.logs.mkdir(parents=True, exist_ok=True)
    mailbox.Maildir(layout.maildir, create=True)  # with its tmp/, new/ and cur/
    pids = {}
    for service in services(layout):
        with open(layout.logs / f"{service.name}.log", "ab") as log:
            process = subprocess.Popen(
                service.command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
        pids[service.name] = process.pid
        PIDS.write_text(json.dumps(pids))
    return pids


def recorded_pids() -> dict[str, int]:
    return json.loads(PIDS.read_text()) if PIDS.exists() else {}


def is_running(pid: int) -> bool:
    """Alive and not a zombie waiting for its parent to collect it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def stop_all(*, timeout: float = 60) -> None:
    """Stop the recorded processes in order: SIGTERM to each one's session, then SIGKILL."""
    pids = recorded_pids()
    for name in sorted(pids, key=lambda n: STOP_ORDER.index(n) if n in STOP_ORDER else 0):
        stop(name, pids[name], timeout=timeout)
    PIDS.unlink(missing_ok=True)


def stop(name: str, pid: int, *, timeout: float) -> None:
    if not is_running(pid):
        return
    # nginx stops gracefully on SIGQUIT; on SIGTERM it drops open connections at once.
    signal_number = signal.SIGQUIT if name == "nginx" else signal.SIGTERM
    try:
        os.killpg(pid, signal_number)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while is_running(pid) and time.monotonic() < deadline:
        reap(pid)
        time.sleep(0.2)
    if is_running(pid):
        print(f"{name} did not stop in {timeout:.0f} s; killing it", file=sys.stderr)
        os.killpg(pid, signal.SIGKILL)
    reap(pid)


def reap(pid: int) -> None:
    """Collect a child of this process once it has exited (a no-op for others')."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def dead_services() -> list[str]:
    return [name for name, pid in recorded_pids().items() if not is_running(pid)]
