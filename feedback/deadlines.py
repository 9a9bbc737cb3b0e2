"""From escalation policies to deadline columns. All arithmetic goes through the working-time calendar."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from zone_portal.worktime.calendar import get_calendar

from .models import EscalationPolicy


@dataclass(frozen=True)
class Deadline:
    remind_at: datetime
    due_at: datetime


class Policies:
    """Every escalation policy, read in one query; `for_(tier, category)` falls back to the tier's
    default row, then to the DOMAIN.md defaults."""

    def __init__(self, rows=None):
        rows = list(EscalationPolicy.objects.all()) if rows is None else rows
        self._rows = {(p.tier, p.category): p for p in rows}

    def for_(self, tier: int, category: str = "") -> EscalationPolicy:
        return (
            self._rows.get((tier, category))
            or self._rows.get((tier, ""))
            or EscalationPolicy.default_for(tier)
        )

    def categories_with_own(self, tier: int) -> list[str]:
        return sorted(c for (t, c) in self._rows if t == tier and c)


def deadline(start: datetime, *, days=None, hours=None, ratio=Decimal("0.75")) -> Deadline | None:
    """The due moment after `days` working days (or `hours` working hours) and its reminder at `ratio`."""
    if days is None and hours is None:
        return None
    calendar = get_calendar()
    amount = calendar.day_length * float(days) if days is not None else timedelta(hours=float(hours))
    return Deadline(
        remind_at=calendar.add(start, amount * float(ratio)),
        due_at=calendar.add(start, amount),
    )


def tier_columns(policy: EscalationPolicy, start: datetime) -> dict:
    """The ticket columns a tier starts with: resolve deadline, and at tier 1 the acknowledge one."""
    resolve = deadline(start, days=policy.resolve_days, ratio=policy.remind_ratio)
    ack = (
        deadline(start, hours=policy.acknowledge_hours, ratio=policy.remind_ratio)
        if policy.tier == 1
        else None
    )
    return {
        "tier_started_at": start,
        "due_at": resolve.due_at if resolve else None,
        "remind_at": resolve.remind_at if resolve else None,
        "reminded_at": None,
        "overdue_at": None,
        "ack_due_at": ack.due_at if ack else None,
        "ack_remind_at": ack.remind_at if ack else None,
        "ack_reminded_at": None,
        "ack_overdue_at": None,
    }


def whistle_columns(policy: EscalationPolicy, start: datetime) -> dict:
    """A whistled department's deadlines: report, answer, and the public notice (通报) after the
    report deadline has passed by `notice_days` more working days."""
    report = deadline(start, days=policy.report_days, ratio=policy.remind_ratio)
    answer = deadline(start, days=policy.answer_days, ratio=policy.remind_ratio)
    notice_at = None
    if report and policy.notice_days is not None:
        notice_at = get_calendar().add(report.due_at, get_calendar().day_length * float(policy.notice_days))
    return {
        "whistled_at": start,
        "report_remind_at": report.remind_at if report else None,
        "report_due_at": report.due_at if report else None,
        "report_reminded_at": None,
        "report_overdue_at": None,
        "notice_at": notice_at,
        "noticed_at": None,
        "answer_remind_at": answer.remind_at if answer else None,
        "answer_due_at": answer.due_at if answer else None,
        "answer_reminded_at": None,
        "answer_overdue_at": None,
    }


def confirm_due(policy: EscalationPolicy, start: datetime) -> datetime:
    return get_calendar().add(start, get_calendar().day_length * float(policy.confirm_days))


def action_item_deadline(policy: EscalationPolicy, start: datetime) -> Deadline:
    return deadline(start, days=policy.action_days or Decimal(10), ratio=policy.remind_ratio)


def deadline_from_due(start: datetime, due_at: datetime, ratio) -> Deadline:
    """A deadline someone chose (a meeting's action item): the reminder at `ratio` of the working time."""
    calendar = get_calendar()
    return Deadline(
        remind_at=calendar.add(start, calendar.elapsed(start, due_at) * float(ratio)), due_at=due_at
    )
