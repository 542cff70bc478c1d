"""The Prometheus files in deploy/prometheus/: valid, and the alerts fire when they should
(alerts_test.yml feeds each rule a story and says what must fire when)."""

import shutil
import subprocess
from pathlib import Path

import pytest

PROMETHEUS = Path(__file__).resolve().parents[2] / "deploy" / "prometheus"
PROMTOOL = shutil.which("promtool")

pytestmark = pytest.mark.skipif(
    PROMTOOL is None,
    reason="promtool is missing: deploy/system-deps.sh installs it (Debian's prometheus)",
)


def promtool(*args: str) -> str:
    done = subprocess.run(
        [PROMTOOL, *args], cwd=PROMETHEUS, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_alert_rules_are_valid():
    assert "SUCCESS" in promtool("check", "rules", "alerts.yml")


def test_the_scrape_configuration_is_valid_and_loads_the_rules():
    assert "1 rule files found" in promtool("check", "config", "prometheus.yml")


def test_each_alert_fires_when_it_should_and_not_before():
    assert "SUCCESS" in promtool("test", "rules", "alerts_test.yml")


def test_every_alert_has_a_story_in_the_rule_tests():
    rules = (PROMETHEUS / "alerts.yml").read_text()
    stories = (PROMETHEUS / "alerts_test.yml").read_text()
    alerts = {line.split(":", 1)[1].strip() for line in rules.splitlines() if "- alert:" in line}
    untested = {alert for alert in alerts if f"alertname: {alert}" not in stories}
    assert untested == set()
