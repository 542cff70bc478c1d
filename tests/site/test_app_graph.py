"""Which app imports which, read from the source: apps import downward only.

    demo → labpages, operations, training, workflows, reporting → booking → people;
    operations, training → workflows
    dashboards (the admin home's panels) → operations, workflows, reporting, booking, people

and labitory (site/) holds shared modules that import no app, except the modules that wire
the apps together (settings, URLs, the API's URLs, the branding provider filled at start-up)
and the few listed in UPWARD, so that no new one is added. Tests and migrations are not
read. Run as a script to print the graph.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = {
    "people": "people",
    "labpages": "labpages",
    "booking": "booking",
    "workflows": "workflows",
    "reporting": "reporting",
    "operations": "operations",
    "training": "training",
    "dashboards": "dashboards",
    "demo": "demo",
    "labitory": "site",
}
# Each app and the apps it may import; anything lower is allowed, nothing sideways or up.
BELOW = {
    "labitory": set(),
    "people": {"labitory"},
    "booking": {"people", "labitory"},
    "labpages": {"booking", "people", "labitory"},
    "workflows": {"booking", "people", "labitory"},
    "reporting": {"booking", "people", "labitory"},
    # Problem reports tell the lab's staff through the outbox.
    "operations": {"workflows", "booking", "people", "labitory"},
    # Training tells trainers and attendees through the outbox.
    "training": {"workflows", "booking", "people", "labitory"},
    "dashboards": {"operations", "workflows", "reporting", "booking", "people", "labitory"},
    "demo": {
        "labpages",
        "operations",
        "training",
        "workflows",
        "reporting",
        "booking",
        "people",
        "labitory",
    },
}
# The project's wiring names every app by design.
WIRING = {
    "site/settings",
    "site/urls.py",
    "site/api/urls.py",
    "site/apps.py",
    "site/statement_branding.py",
}
# Shared modules that still read an app: API tokens and the last-app check (people), the
# recurrence error the API reports (booking).
UPWARD = {
    "site/api/authentication.py",
    "site/api/throttling.py",
    "site/api/errors.py",
    "site/beat.py",
}


def sources(folder: str):
    for path in sorted((ROOT / folder).rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" in relative or "/tests/" in relative:
            continue
        if relative in UPWARD or any(relative.startswith(wired) for wired in WIRING):
            continue
        yield path


def imported_apps(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names & set(APPS)


def app_graph() -> dict[str, set[str]]:
    return {
        app: set().union(*(imported_apps(path) for path in sources(folder))) - {app}
        for app, folder in APPS.items()
    }


def test_apps_import_downward_only():
    wrong = {
        app: sorted(imports - BELOW[app])
        for app, imports in app_graph().items()
        if imports - BELOW[app]
    }
    assert wrong == {}, f"imports that go sideways or up: {wrong}"


if __name__ == "__main__":
    for app, imports in app_graph().items():
        print(f"{app} → {', '.join(sorted(imports)) or '(nothing)'}")
