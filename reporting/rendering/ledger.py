"""Usage lines as fixed-width ledger rows: one text run per line instead of eight table
cells. WeasyPrint lays out each cell separately, so a table of 10,000 lines costs several
times more than the same lines as text (400 lines: 1.3 s as a ledger, 15.5 s as a table in
the body font, 13 s as inline blocks); a monospaced ledger keeps its columns aligned.

A value longer than its column wraps onto continuation lines of the same row (names are
never cut); `line_count` says how many printed lines a row takes, so that chunks can be cut
to fill whole pages.
"""

import textwrap
from collections.abc import Sequence

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# (heading, key, width, right-aligned); headings in the statement's language.
Column = tuple[str | Promise, str, int, bool]

PROJECT_COLUMNS: Sequence[Column] = (
    (_("Date"), "date", 17, False),
    (_("Booking"), "ref", 8, False),
    (_("Instrument"), "resource", 22, False),
    (_("User"), "user", 18, False),
    (_("Kind"), "kind", 10, False),
    (_("Hours"), "hours", 6, True),
    (_("Rate/h"), "rate", 9, True),
    (_("Amount"), "amount", 11, True),
)
DEPARTMENT_COLUMNS: Sequence[Column] = (
    (_("Date"), "date", 17, False),
    (_("Booking"), "ref", 8, False),
    (_("Instrument"), "resource", 17, False),
    (_("User"), "user", 14, False),
    (_("Project"), "project", 9, False),
    (_("Kind"), "kind", 10, False),
    (_("Hours"), "hours", 6, True),
    (_("Rate/h"), "rate", 9, True),
    (_("Amount"), "amount", 11, True),
)
SHORT_KINDS = {"Late cancellation": _("Late canc.")}


def cell_lines(value: str, width: int, right: bool) -> list[str]:
    """The value in its column, wrapped at spaces (or inside a word longer than the column)."""
    value = str(SHORT_KINDS.get(value, value))
    wrapped = textwrap.wrap(value, width, break_on_hyphens=False) or [""]
    return [part.rjust(width) if right else part.ljust(width) for part in wrapped]


def ledger_row(values: dict, columns: Sequence[Column]) -> str:
    """The row as one or more printed lines joined by newlines (the ledger keeps them)."""
    cells = [cell_lines(str(values[key]), width, right) for _heading, key, width, right in columns]
    height = max(len(lines) for lines in cells)
    padded = [lines + [" " * len(lines[0])] * (height - len(lines)) for lines in cells]
    return "\n".join(" ".join(column[n] for column in padded).rstrip() for n in range(height))


def line_count(row: str) -> int:
    return row.count("\n") + 1


def ledger_heading(columns: Sequence[Column]) -> str:
    return " ".join(
        cell_lines(str(heading), width, right)[0] for heading, _key, width, right in columns
    )


# What a ledger row takes of an A4 page (style.css: 7.3 pt mono, 0.55 mm padding), in
# thousandths of the page's height: measured with WeasyPrint (60 one-line rows fit a page, 35
# two-line rows, 25 three-line rows) and rounded up, so a planned page never overflows.
PAGE = 1000
ROW_COST = 5.1
LINE_COST = 11.6
HEADING_COST = 34  # "Usage lines" above the first row
ROWS_PER_PAGE = int(PAGE // (ROW_COST + LINE_COST))


def paginate(rows: Sequence[str]) -> list[list[int]]:
    """The rows' indices, page by page, as the ledger will lay them out (a row is never split
    across pages)."""
    pages: list[list[int]] = [[]]
    used = HEADING_COST
    for index, row in enumerate(rows):
        cost = ROW_COST + LINE_COST * line_count(row)
        if pages[-1] and used + cost > PAGE:
            pages.append([])
            used = 0
        pages[-1].append(index)
        used += cost
    return pages


def chunk_rows(rows: Sequence, *, most: int, text=lambda row: row) -> list[list]:
    """The rows in parts of about `most` rows, each part ending at a page's end, so that only
    the ledger's last page is partly filled. With `most` below a page's worth (tests that want
    many small parts) the rows are sliced as asked."""
    if most < ROWS_PER_PAGE:
        return [list(rows[i : i + most]) for i in range(0, len(rows), most)]
    pages = paginate([text(row) for row in rows])
    per_part = most // ROWS_PER_PAGE
    return [
        [rows[i] for page in pages[start : start + per_part] for i in page]
        for start in range(0, len(pages), per_part)
        if pages[start]
    ]
