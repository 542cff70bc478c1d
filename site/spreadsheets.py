"""Cells of the spreadsheets the site hands out (CSV and XLSX): text that a spreadsheet would
run as a formula is written as text.

Excel, LibreOffice and Google Sheets treat a cell that begins with `=`, `+`, `-`, `@`, a tab
or a carriage return as a formula, in a CSV file too (`=HYPERLINK(...)`, `=cmd|...`,
`@SUM(...)`). Names, e-mail addresses, project codes and page titles are typed by people the
reader of an export should not have to trust, so every text cell goes through `cell()`, which
puts a single quote in front, as OWASP's CSV-injection guidance advises: the spreadsheet shows
the text as typed and never runs it. Numbers, dates and empty cells are left alone, so that
finance can still add up amounts (a negative amount is a number, not text).

The one home for this rule. Every spreadsheet export uses it: Wagtail's own exports (listing
exports of model viewsets, the reports including site history, redirects, form submissions)
through `protect_wagtail_exports()`, run once at start-up, and tablib datasets (reporting's
usage export) through `protected_dataset()`. `tests/site/test_spreadsheets.py` fails when a
view in the URLconf writes spreadsheets some other way.
"""

from typing import Any

import tablib
from wagtail.admin.views.mixins import SpreadsheetExportMixin

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PROTECTED = "_labitory_protects_formulas"


def cell(value: Any) -> Any:
    """`value` as a spreadsheet cell: text that would start a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def protected_dataset(dataset: tablib.Dataset) -> tablib.Dataset:
    """A copy of `dataset` with every heading and value passed through `cell`."""
    return tablib.Dataset(
        *(tuple(cell(value) for value in row) for row in dataset),
        headers=[cell(heading) for heading in dataset.headers or ()],
        title=dataset.title,
    )


def protect_wagtail_exports() -> None:
    """Make Wagtail's SpreadsheetExportMixin write every value and heading through `cell`.

    Wagtail's CSV export writes text as it is (its XLSX export only stops `=`), and it has no
    setting or hook for this, so the mixin's two per-cell methods are wrapped here, once.
    Every Wagtail export inherits them; none of Wagtail's views overrides them.
    """
    mixin = SpreadsheetExportMixin
    if getattr(mixin.preprocess_field_value, PROTECTED, False):
        return
    preprocess, heading = mixin.preprocess_field_value, mixin.get_heading

    def preprocess_field_value(self, field, value, export_format):
        return cell(preprocess(self, field, value, export_format))

    def get_heading(self, queryset, field):
        return cell(heading(self, queryset, field))

    for method in (preprocess_field_value, get_heading):
        setattr(method, PROTECTED, True)
    mixin.preprocess_field_value = preprocess_field_value
    mixin.get_heading = get_heading
