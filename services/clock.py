"""The promised-time policy of a request: how much working time its service allows.

The arithmetic is the cases' clock (`zone_portal.cases.clock`); this module only reads the service
item's limit. `services.actions` stores the result on the row (`time_limit`, `risk_at`, `due_at`),
so the sweep and the queue only compare with the clock.
"""

from datetime import datetime
from decimal import Decimal

from zone_portal.cases.clock import (
    Deadline,
    close_of_working_day,
    deadline_after,
    deadline_until,
    working_days,
    working_hours,
)

from .models import LimitUnit, ServiceItem


def clock_start(item: ServiceItem, start: datetime, *, at_risk_ratio: Decimal) -> Deadline:
    """The clock of `item` started at `start` (acceptance): due after its promised working time,
    at risk once `at_risk_ratio` of it has passed. A same-day limit ends at the close of the
    working day on which the clock starts (the next working day's, if it starts after hours)."""
    if item.limit_unit == LimitUnit.SAME_DAY:
        return deadline_until(start, close_of_working_day(start), at_risk_ratio=at_risk_ratio)
    if item.limit_unit == LimitUnit.WORKING_HOURS:
        return deadline_after(start, working_hours(item.limit_amount), at_risk_ratio=at_risk_ratio)
    return deadline_after(start, working_days(item.limit_amount), at_risk_ratio=at_risk_ratio)
