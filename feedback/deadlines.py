"""From escalation policies to deadline columns: thin readers of the policy rows. The arithmetic is
the cases' clock (`zone_portal.cases.clock`), on the working calendar."""

from datetime import datetime

from zone_portal.cases.clock import (
    Deadline,
    add_working_time,
    deadline_after,
    deadline_until,
    working_days,
    working_hours,
)

from .models import EscalationPolicy


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


def deadline(start: datetime, *, days=None, hours=None, ratio) -> Deadline | None:
    """The due moment after `days` working days (or `hours` working hours) and its reminder at `ratio`."""
    if days is None and hours is None:
        return None
    allowed = working_days(days) if days is not None else working_hours(hours)
    return deadline_after(start, allowed, at_risk_ratio=ratio)


def _columns(deadline: Deadline | None, *, due: str, risk: str) -> dict:
    """A deadline as its two columns (both empty when the policy sets none)."""
    return {due: deadline.due_at if deadline else None, risk: deadline.risk_at if deadline else None}


def tier_columns(policy: EscalationPolicy, start: datetime) -> dict:
    """The ticket columns a tier starts with: resolve deadline, and at tier 1 the acknowledge one;
    their reminders and overdue marks cleared."""
    resolve = deadline(start, days=policy.resolve_days, ratio=policy.at_risk_ratio)
    ack = (
        deadline(start, hours=policy.acknowledge_hours, ratio=policy.at_risk_ratio)
        if policy.tier == 1
        else None
    )
    return {
        "tier_started_at": start,
        **_columns(resolve, due="due_at", risk="remind_at"),
        **_columns(ack, due="ack_due_at", risk="ack_remind_at"),
        **dict.fromkeys(["reminded_at", "overdue_at", "ack_reminded_at", "ack_overdue_at"]),
    }


def whistle_columns(policy: EscalationPolicy, start: datetime) -> dict:
    """A whistled department's deadlines: report, answer, and the public notice (通报) after the
    report deadline has passed by `notice_days` more working days; their marks cleared."""
    report = deadline(start, days=policy.report_days, ratio=policy.at_risk_ratio)
    answer = deadline(start, days=policy.answer_days, ratio=policy.at_risk_ratio)
    notice_at = None
    if report and policy.notice_days is not None:
        notice_at = add_working_time(report.due_at, working_days(policy.notice_days))
    marks = [
        "report_reminded_at",
        "report_overdue_at",
        "noticed_at",
        "answer_reminded_at",
        "answer_overdue_at",
    ]
    return {
        "whistled_at": start,
        **_columns(report, due="report_due_at", risk="report_remind_at"),
        **_columns(answer, due="answer_due_at", risk="answer_remind_at"),
        "notice_at": notice_at,
        **dict.fromkeys(marks),
    }


def confirm_due(policy: EscalationPolicy, start: datetime) -> datetime:
    return add_working_time(start, working_days(policy.confirm_days))


def action_item_deadline(
    policy: EscalationPolicy, start: datetime, due_at: datetime | None = None
) -> Deadline:
    """An action item's deadline: the one the meeting chose, else the policy's working days; the
    reminder at the policy's share of it."""
    if due_at is not None:
        return deadline_until(start, due_at, at_risk_ratio=policy.at_risk_ratio)
    return deadline(start, days=policy.action_days or 10, ratio=policy.at_risk_ratio)


def extended_deadline(policy: EscalationPolicy, tier_started_at: datetime, due_at: datetime) -> Deadline:
    """The tier's deadline moved to `due_at` by an extension; the reminder at the policy's share."""
    return deadline_until(tier_started_at, due_at, at_risk_ratio=policy.at_risk_ratio)
