"""Usage lines as fixed-width ledger rows: one text run per line instead of eight table
cells. WeasyPrint lays out each cell separately, so a table of 10,000 lines costs several
times more than the same lines as text; a monospaced ledger keeps its columns aligned."""

from collections.abc import Sequence

# (heading, key, width, right-aligned)
Column = tuple[str, str, int, bool]

PROJECT_COLUMNS: Sequence[Column] = (
    ("Date", "date", 17, False),
    ("Instrument", "resource", 28, False),
    ("User", "user", 20, False),
    ("Kind", "kind", 10, False),
    ("Hours", "hours", 6, True),
    ("Rate/h", "rate", 9, True),
    ("Amount", "amount", 11, True),
)
DEPARTMENT_COLUMNS: Sequence[Column] = (
    ("Date", "date", 17, False),
    ("Instrument", "resource", 22, False),
    ("User", "user", 18, False),
    ("Project", "project", 10, False),
    ("Kind", "kind", 10, False),
    ("Hours", "hours", 6, True),
    ("Rate/h", "rate", 9, True),
    ("Amount", "amount", 11, True),
)
SHORT_KINDS = {"Late cancellation": "Late canc."}


def cell(value: str, width: int, right: bool) -> str:
    value = SHORT_KINDS.get(value, value)
    if len(value) > width:
        value = value[: width - 1] + "…"
    return value.rjust(width) if right else value.ljust(width)


def ledger_row(values: dict, columns: Sequence[Column]) -> str:
    return " ".join(cell(str(values[key]), width, right) for _, key, width, right in columns)


def ledger_heading(columns: Sequence[Column]) -> str:
    return " ".join(cell(heading, width, right) for heading, _, width, right in columns)
