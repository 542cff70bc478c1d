"""mypy (with django-stubs and djangorestframework-stubs) over the annotated modules: the
rules, the query layer, the services, each app's permissions, the tasks and the shared API
layer. CI runs it through this test; `make lint` runs the same command."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The project package is read as `labitory` through .mypy-path/labitory (pyproject's mypy_path).
TYPED = [
    *("-m", "booking.rules", "-m", "booking.queries", "-p", "booking.services"),
    *("-m", "booking.permissions", "-m", "people.permissions"),
    *("-m", "reporting.permissions", "-m", "workflows.permissions"),
    *("-m", "booking.tasks", "-m", "reporting.tasks", "-m", "workflows.tasks"),
    *("-m", "labpages.tasks", "-m", "labitory.tasks"),
    *("-m", "training.services", "-m", "training.permissions", "-m", "training.expiry"),
    *("-m", "training.queries", "-m", "training.tasks"),
    *("-m", "labitory.refusals", "-p", "labitory.api"),
]


def test_the_annotated_modules_type_check():
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", "/tmp/labitory-mypy-cache", *TYPED],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


if __name__ == "__main__":
    print(" ".join(TYPED))
