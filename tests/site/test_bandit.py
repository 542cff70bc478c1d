"""bandit, the security linter, finds nothing of high severity in the application code."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = [
    "people",
    "booking",
    "labpages",
    "workflows",
    "reporting",
    "operations",
    "training",
    "dashboards",
    "demo",
    "site",
]


def test_bandit_reports_no_high_severity_issue():
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-q", "-r", *APPS, "-lll", "-x", "*/migrations/*"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stdout + result.stderr
