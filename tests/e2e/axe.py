"""axe-core (the copy bundled by axe-playwright-python, so nothing is downloaded) run in the
suite's Chromium: a page passes when axe finds no serious or critical violation."""

from axe_playwright_python.sync_playwright import Axe

BLOCKING = ("serious", "critical")
_axe = Axe()


def blocking_violations(page) -> list[str]:
    """Each serious or critical violation on the page as "rule (impact): target, ..."."""
    # Colours mid-transition (a message fading in) would be judged as they are at that moment.
    page.evaluate("Promise.all(document.getAnimations().map(a => a.finished))")
    results = _axe.run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:5])
            found.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return found


def assert_accessible(page) -> None:
    found = blocking_violations(page)
    assert found == [], f"{page.url}:\n" + "\n".join(found)
