"""Money: rate cards, billing periods, usage records, adjustments and statements."""

from .periods import Adjustment, BillingPeriod
from .rates import RateCard
from .statements import Statement
from .usage import UsageRecord

__all__ = ["Adjustment", "BillingPeriod", "RateCard", "Statement", "UsageRecord"]
