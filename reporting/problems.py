"""Refusals of the money services: a stable machine code and a sentence for people."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    field: str | None = None


class ReportingRefused(Exception):
    """The change breaks a money rule; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(f"{p.code}: {p.message}" for p in problems))
        self.problems = problems

    @property
    def codes(self) -> list[str]:
        return [problem.code for problem in self.problems]


class PeriodRefused(ReportingRefused):
    """A billing period cannot be closed, or does not exist, or is closed already."""


class AdjustmentRefused(ReportingRefused):
    """An adjustment line is not acceptable as given."""
