"""The production-like stack on this machine, on loopback: nginx → gunicorn, one Celery
worker per queue group, beat, PostgreSQL, Redis and an SMTP sink that keeps every message
in a Maildir (var/stack/mail).

    python deploy/stack/run.py up            # prepare, start, print the URLs; Ctrl-C stops
    python deploy/stack/run.py start [--clean]  # prepare and start in the background
    python deploy/stack/run.py stop [--clean]

`start` returns once every part answers (health check through nginx, each worker's ping)
and writes var/stack/stack.json for tests and benchmarks. `--clean` starts from a new
database, an empty Redis database and no mail, media, private files or logs, and on stop
leaves no queued task behind. Settings are labitory.settings.production; ports and services
come from STACK_HTTP_PORT, STACK_APP_PORT, STACK_SMTP_PORT, STACK_DATABASE_URL and
STACK_REDIS_URL (deploy/README.md).
"""

import argparse
import json
import shutil
import signal
import subprocess
import sys
import time

import redis
from database import ensure_database
from layout import ROOT, VAR, Layout, environment, layout_from_env
from probes import smtp_is_up, web_is_healthy, workers_answering
from services import WORKERS, dead_services, recorded_pids, start_all, stop_all

STATE = VAR / "stack.json"
READY_TIMEOUT = 180


def manage(env: dict[str, str], *args: str) -> None:
    print(f"$ manage.py {' '.join(args)}", flush=True)
    started = time.monotonic()
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)
    print(f"  ({time.monotonic() - started:.0f} s)", flush=True)


def prepare(layout: Layout, env: dict[str, str], *, clean: bool) -> None:
    """The database, its schema, the static files and the demo facility."""
    if clean:
        empty_broker(layout)
        for folder in (layout.maildir, layout.media_root, layout.private_root, layout.logs):
            shutil.rmtree(folder, ignore_errors=True)
    ensure_database(layout.database_url, fresh=clean)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    manage(env, "seed_demo")


def empty_broker(layout: Layout) -> None:
    """Forget queued tasks and cached values, which name rows of a database now gone."""
    redis.Redis.from_url(layout.redis_url).flushdb()


def wait_until_ready(layout: Layout, env: dict[str, str]) -> None:
    """Return once the mail sink, the site (through nginx) and every worker answer."""
    deadline = time.monotonic() + READY_TIMEOUT
    checks = {
        "the SMTP sink": lambda: smtp_is_up(layout),
        "/healthz through nginx": lambda: web_is_healthy(layout),
        "every worker": lambda: workers_answering(env) >= set(WORKERS),
    }
    for what, check in checks.items():
        while not check():
            if dead := dead_services():
                raise RuntimeError(f"{', '.join(dead)} exited; see {layout.logs}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not answer in {READY_TIMEOUT} s")
            time.sleep(0.5)


def start(layout: Layout, *, clean: bool) -> None:
    if recorded_pids():
        stop_all()
    env = environment(layout)
    prepare(layout, env, clean=clean)
    start_all(layout, env)
    try:
        wait_until_ready(layout, env)
    except BaseException:
        stop_all()
        raise
    STATE.write_text(
        json.dumps(
            {
                "base_url": layout.base_url,
                "maildir": str(layout.maildir),
                "database_url": layout.database_url,
                "logs": str(layout.logs),
            }
        )
    )


def up(layout: Layout) -> None:
    """Start, print where everything is, and stop cleanly on Ctrl-C (or a crashed part)."""
    # Ctrl-C even when started with SIGINT ignored (as background jobs are); a closed
    # terminal or `kill` stop it the same way.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for stopping in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stopping, lambda *_: sys.exit(0))
    try:
        start(layout, clean=False)
        print(
            f"\nLabitory (production settings) is at {layout.base_url}/ "
            f"(admin at {layout.base_url}/admin/)\n"
            f"  gunicorn 127.0.0.1:{layout.app_port}, SMTP sink 127.0.0.1:{layout.smtp_port} "
            f"(mail in {layout.maildir})\n"
            f"  logs in {layout.logs}\n"
            "Staff codes: the authenticator key above in any authenticator app.\n"
            "Ctrl-C stops everything.",
            flush=True,
        )
        while not (dead := dead_services()):
            time.sleep(1)
        print(f"{', '.join(dead)} exited; stopping the stack (see {layout.logs})")
    except (KeyboardInterrupt, SystemExit):
        print("\nStopping the stack…", flush=True)
    finally:
        stop_all()
        STATE.unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["up", "start", "stop"])
    parser.add_argument(
        "--clean", action="store_true", help="a new database and an empty Redis database"
    )
    options = parser.parse_args()
    layout = layout_from_env()
    if options.command == "up":
        up(layout)
    elif options.command == "start":
        start(layout, clean=options.clean)
        print(f"Labitory stack is up at {layout.base_url}/", flush=True)
    else:
        stop_all()
        STATE.unlink(missing_ok=True)
        if options.clean:
            empty_broker(layout)


if __name__ == "__main__":
    main()
