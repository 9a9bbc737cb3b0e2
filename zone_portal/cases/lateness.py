"""How late a case is: one vocabulary, one Python form and one SQL form over the same stored moments.

A case that runs on a clock stores when it becomes at risk (`risk_at`, also the reminder point) and
when it is due (`due_at`). At `now` it is overdue once `due_at <= now`, at risk once
`risk_at <= now`, on track before; a case whose clock is paused or finished says so in its own
terms (`PAUSED`, `DONE`), decided by its status. `lateness_at` (a row) and `lateness_case` /
`lateness_q` (the database) agree on every row, tested on the same rows; `lateness_on` /
`lateness_on_q` are the same for a clock kept in calendar dates (a milestone's planned date).
"""

from datetime import date, timedelta

from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext_lazy as _

from .clock import risk_on


class Lateness(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OVERDUE = "overdue", _("Overdue")
    PAUSED = "paused", _("Paused")
    DONE = "done", _("Done")


def lateness_at(now, *, risk_at, due_at) -> Lateness:
    """The lateness of a running clock at `now` (a missing moment never passes)."""
    if due_at is not None and due_at <= now:
        return Lateness.OVERDUE
    if risk_at is not None and risk_at <= now:
        return Lateness.AT_RISK
    return Lateness.ON_TRACK


def _lateness_of(state: str, *, overdue: Q, risky: Q) -> Q:
    if state == Lateness.OVERDUE:
        return overdue
    if state == Lateness.AT_RISK:
        return risky & ~overdue
    if state == Lateness.ON_TRACK:
        return ~overdue & ~risky
    raise ValueError(f"{state!r} is decided by the case's status, not by its clock")


def lateness_q(state: str, now, *, risk_at: str = "risk_at", due_at: str = "due_at") -> Q:
    """The rows of a running clock that are in `state` at `now` (`risk_at`, `due_at`: field names)."""
    return _lateness_of(state, overdue=Q(**{f"{due_at}__lte": now}), risky=Q(**{f"{risk_at}__lte": now}))


# A clock kept in calendar dates (a project's milestone is due on its planned date): the case is due
# at the end of `due_on` and at risk from `clock.risk_on(due_on, days)`, so the moments compared are
# whole days; the arithmetic is done on `today`'s side to keep the database's indexes usable.


def lateness_on(today: date, *, due_on: date | None, at_risk_days: int) -> Lateness:
    """`lateness_at` for a clock kept in dates, on the day `today`."""
    if due_on is None:
        return Lateness.ON_TRACK
    return lateness_at(today, risk_at=risk_on(due_on, at_risk_days), due_at=due_on + timedelta(days=1))


def lateness_on_q(state: str, today: date, *, due_on: str, at_risk_days: int) -> Q:
    """The rows of a clock kept in dates (`due_on`: a date field) in `state` on the day `today`:
    the twin of `lateness_on`."""
    return _lateness_of(
        state,
        overdue=Q(**{f"{due_on}__lt": today}),
        risky=Q(**{f"{due_on}__lte": today + timedelta(days=at_risk_days)}),
    )


def lateness_case(
    now,
    *,
    risk_at: str = "risk_at",
    due_at: str = "due_at",
    running: Q | None = None,
    otherwise: str = Lateness.DONE,
):
    """`lateness_at` as a SQL expression (annotate with it, group by it). Rows outside `running`
    (when given) get `otherwise`."""
    clock = [
        When(Q(**{f"{due_at}__lte": now}), then=Value(Lateness.OVERDUE)),
        When(Q(**{f"{risk_at}__lte": now}), then=Value(Lateness.AT_RISK)),
    ]
    if running is None:
        return Case(*clock, default=Value(Lateness.ON_TRACK), output_field=models.CharField())
    return Case(
        *[When(running & w.condition, then=w.result) for w in clock],
        When(running, then=Value(Lateness.ON_TRACK)),
        default=Value(otherwise),
        output_field=models.CharField(),
    )
