"""Start and stop the local production-like stack (deploy/stack/run.py) around a test run
or a benchmark. The stack starts clean (new database, empty Redis database) and is stopped
whatever happens, leaving no queued task behind."""

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUN = ROOT / "deploy" / "stack" / "run.py"
STATE = ROOT / "var" / "stack" / "stack.json"
START_TIMEOUT = 900


@dataclass(frozen=True)
class RunningStack:
    base_url: str
    maildir: Path
    database_url: str
    logs: Path


def run(*args: str, timeout: float) -> None:
    result = subprocess.run(
        [sys.executable, str(RUN), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(
            f"run.py {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            + log_tails()
        )


def log_tails(lines: int = 15) -> str:
    """The end of each service's log, for a failure report (CI keeps nothing else)."""
    tails = [
        f"\n--- {log.name}\n" + "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
        for log in sorted((ROOT / "var" / "stack" / "logs").glob("*.log"))
    ]
    return "".join(tails)


@contextmanager
def running_stack() -> Iterator[RunningStack]:
    try:
        run("start", "--clean", timeout=START_TIMEOUT)
        state = json.loads(STATE.read_text())
        yield RunningStack(
            base_url=state["base_url"],
            maildir=Path(state["maildir"]),
            database_url=state["database_url"],
            logs=Path(state["logs"]),
        )
    finally:
        run("stop", "--clean", timeout=300)
