"""Refusals of the money services (the vocabulary is the project's: labitory.refusals)."""

from labitory.refusals import Refused


class PeriodRefused(Refused):
    """A billing period cannot be closed, or does not exist, or is closed already."""


class AdjustmentRefused(Refused):
    """An adjustment line is not acceptable as given."""
