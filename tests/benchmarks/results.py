"""bench-results.json: each benchmark adds its figures; `make bench` ends by printing them all
in one table against the targets the project has set, and fails when one is missed.

Run alone (`python tests/benchmarks/results.py`) it prints the table of the last run.
"""

import json
import operator
import sys
from pathlib import Path

PATH = Path(__file__).resolve().parents[2] / "bench-results.json"

# figure: (comparison, target). Figures without a target are printed for information.
TARGETS = {
    "availability_4w_ms_p50": ("<", 20),
    "booking_create_per_s": (">=", 200),
    "api_availability_4w_ms_p50": ("<", 30),
    "api_create_8clients_per_s": (">=", 100),
    "api_overlaps": ("==", 0),
    "load_errors": ("==", 0),
    "load_overlaps": ("==", 0),
    "ics_feed_304_ms_p50": ("<=", 5),
    # Pages against floors of the same run (bench_pages.py), the API against its floor
    # (bench_api.py), and the whole stack under 200 researchers (bench_load.py).
    "instrument_anon_over_floor": ("<=", 1.0),
    "instrument_user_over_floor": ("<=", 1.5),
    "wagtail_page_floor_over_hello": ("<=", 3),
    "api_create_vs_floor": ("<=", 1.5),
    "load_p95_ms": ("<=", 150),
    "load_p99_ms": ("<=", 400),
}
COMPARE = {"<": operator.lt, "<=": operator.le, ">=": operator.ge, "==": operator.eq}


def record(figures: dict) -> None:
    """Print the figures and add them to bench-results.json (replacing older values)."""
    for name, value in figures.items():
        print(f"{name:36} {value}", flush=True)
    existing = json.loads(PATH.read_text()) if PATH.exists() else {}
    PATH.write_text(json.dumps({**existing, **figures}, indent=2) + "\n")


def verdict(name: str, value) -> str:
    if name not in TARGETS:
        return ""
    comparison, target = TARGETS[name]
    return "met" if COMPARE[comparison](value, target) else "MISSED"


def report() -> int:
    """Print every figure with its target; 1 if a target was missed or never measured."""
    figures = json.loads(PATH.read_text()) if PATH.exists() else {}
    rows = [(name, value, verdict(name, value)) for name, value in sorted(figures.items())]
    rows += [(name, "not measured", "MISSED") for name in TARGETS if name not in figures]
    print(f"\n{'figure':36} {'value':>14}  {'target':>10}  verdict")
    for name, value, outcome in rows:
        target = " ".join(map(str, TARGETS[name])) if name in TARGETS else ""
        print(f"{name:36} {value!s:>14}  {target:>10}  {outcome}")
    return 1 if any(outcome == "MISSED" for _, _, outcome in rows) else 0


if __name__ == "__main__":
    sys.exit(report())
