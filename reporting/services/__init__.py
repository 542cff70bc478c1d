"""Every change to money records: views, admin, tasks and commands call these only."""

from .adjustments import add_adjustment
from .periods import close_period, open_period_for, period_by_code, period_containing
from .statements import render_statement, request_statements
from .usage import record_usage, reprice_unpriced

__all__ = [
    "add_adjustment",
    "close_period",
    "open_period_for",
    "period_by_code",
    "period_containing",
    "record_usage",
    "render_statement",
    "reprice_unpriced",
    "request_statements",
]
