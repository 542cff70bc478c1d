"""Usage lines as fixed-width ledger rows: one text run per line instead of eight table
cells. WeasyPrint lays out each cell separately, so a table of 10,000 lines costs several
times more than the same lines as text; a monospaced ledger keeps its columns aligned."""

from collections.abc import Sequence

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# (heading, key, width, right-aligned); headings in the statement's language.
Column = tuple[str | Promise, str, int, bool]

PROJECT_COLUMNS: Sequence[Column] = (
    (_("Date"), "date", 17, False),
    (_("Instrument"), "resource", 28, False),
    (_("User"), "user", 20, False),
    (_("Kind"), "kind", 10, False),
    (_("Hours"), "hours", 6, True),
    (_("Rate/h"), "rate", 9, True),
    (_("Amount"), "amount", 11, True),
)
DEPARTMENT_COLUMNS: Sequence[Column] = (
    (_("Date"), "date", 17, False),
    (_("Instrument"), "resource", 22, False),
    (_("User"), "user", 18, False),
    (_("Project"), "project", 10, False),
    (_("Kind"), "kind", 10, False),
    (_("Hours"), "hours", 6, True),
    (_("Rate/h"), "rate", 9, True),
    (_("Amount"), "amount", 11, True),
)
SHORT_KINDS = {"Late cancellation": _("Late canc.")}


def cell(value: str, width: int, right: bool) -> str:
    value = str(SHORT_KINDS.get(value, value))
    if len(value) > width:
        value = value[: width - 1] + "…"
    return value.rjust(width) if right else value.ljust(width)


def ledger_row(values: dict, columns: Sequence[Column]) -> str:
    return " ".join(cell(str(values[key]), width, right) for _heading, key, width, right in columns)


def ledger_heading(columns: Sequence[Column]) -> str:
    return " ".join(cell(str(heading), width, right) for heading, _key, width, right in columns)
