from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from feedback.actions import escalation_defaults_install

ZONE = ZoneInfo("Asia/Shanghai")
# Monday 2 March 2026, 09:00: an ordinary working week (no holiday until Qingming on 4 April).
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=ZONE)


@pytest.fixture
def org(demo):
    """The demo organisation with the escalation defaults (policies, category → departments)."""
    escalation_defaults_install()
    return demo


def at(day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A moment in March 2026 (the 2nd is a Monday)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=ZONE)
