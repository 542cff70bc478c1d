"""Every string people read in these modules goes through the translation machinery.

The list grows module by module until it covers every app (templates are checked separately
once they are marked). Codes (`slot_taken`) are never translated and never match: they are
lower-case single words.
"""

from pathlib import Path

import pytest

from tests.i18n.marks import unmarked

ROOT = Path(__file__).resolve().parents[2]

MODULES = [
    # Rules and every refusal.
    "booking/rules.py",
    "site/refusals.py",
    "booking/services/attendance.py",
    "booking/services/blocking.py",
    "booking/services/bookings.py",
    "booking/services/kiosks.py",
    "booking/services/on_behalf.py",
    "booking/services/policies.py",
    "booking/services/series.py",
    "booking/services/status.py",
    "booking/services/waitlist.py",
    "reporting/rules.py",
    "reporting/permissions.py",
    "reporting/services/adjustments.py",
    "reporting/services/periods.py",
    "workflows/approvals.py",
    "workflows/links.py",
    "workflows/outbox.py",
    "workflows/preferences.py",
    "operations/services.py",
    "operations/attachments.py",
    "people/api_tokens.py",
    "people/two_factor.py",
    # The API's own messages.
    "site/api/authentication.py",
    "site/api/errors.py",
    "site/api/fields.py",
    "site/api/filters.py",
    "site/api/pagination.py",
    # Forms.
    "booking/forms.py",
    "people/forms.py",
    "people/views/tokens.py",
    "people/views/two_factor.py",
    # Calendar files and statements.
    "booking/ics.py",
    "reporting/rendering/ledger.py",
    "reporting/services/statements.py",
]

# Strings that match the pattern but are not read by people, each with its reason.
ALLOWED = frozenset(
    {
        # The Authorization header's scheme (RFC 6750), not a word for people.
        "Bearer",
        # Names of second-factor devices, stored in the database (people/two_factor.py).
        "Authenticator app",
        "Backup codes",
        "Demo authenticator",
        # The API schema's descriptions: documentation for developers, in English.
        "Stable machine code, e.g. slot_taken.",
        "For people.",
        "ISO 8601 with a UTC offset, in the years 1900–2999.",
        # Stored with the data (a cancellation's reason, an approval request's rule name) and
        # read back as a prefix by code: translated when blocked-time labels are (see README).
        "Down: ",
        "Maintenance",
        "f-string: Down: ",
        "Outside opening hours",
    }
)


@pytest.mark.parametrize("module", MODULES)
def test_every_string_people_read_is_marked(module):
    found = [f"{module}:{line}: {text!r}" for line, text in unmarked(ROOT / module, ALLOWED)]
    assert not found, "Not marked for translation:\n" + "\n".join(found)


def test_the_check_finds_what_it_should(tmp_path):
    module = tmp_path / "sample.py"
    module.write_text(
        '"""Docstrings are for developers."""\n'
        "from django.utils.translation import gettext as _\n"
        'MARKED = _("Choose a project.")\n'
        'CODE = "slot_taken"\n'
        'PLAIN = "Choose a project."\n'
        'WORD = "Booked"\n'
        "def f(name, day):\n"
        '    if name == "Not for people":\n'
        '        raise ValueError("Developers read this.")\n'
        '    return f"Hello {name}", f"{day:%d %B}"\n'
    )
    found = [text for _line, text in unmarked(module)]
    assert found == [
        "Choose a project.",
        "Booked",
        "f-string: Hello ",
        "date pattern with English names: %d %B",
    ] or sorted(found) == sorted(
        [
            "Choose a project.",
            "Booked",
            "f-string: Hello ",
            "date pattern with English names: %d %B",
        ]
    )
