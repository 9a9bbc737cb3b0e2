"""The observations' deadline sweep on the case engine's set-based step
(`zone_portal.cases.sweep`): for each running clock (the answer's, then the rectification's), a
reminder once at the at-risk point and an escalation once when overdue — to the responders, the
service center's head and the leaders — each claimed by one conditional UPDATE, with its event
and notifications keyed by (observation, round, kind). Two sweeps at once, or one rerun, change
nothing more; the number of statements does not depend on the number of observations due."""

from django.urls import reverse
from django.utils import timezone

from zone_portal.access.scopes import DEPARTMENT_ROLES
from zone_portal.accounts.models import User
from zone_portal.accounts.roles import Role
from zone_portal.cases.sweep import Notice, sweep_record, sweep_step
from zone_portal.cases.transitions import transition_q
from zone_portal.ratings.registry import rectification_overseers

from . import notices
from .models import Observation, ObservationStatus


def _running():
    # The statuses whose clock runs: those the table lets move on (to RESOLVED).
    return transition_q(Observation, ObservationStatus.RESOLVED)


def _people() -> tuple[dict[int, list[int]], list[int], list[int], list[int]]:
    """(department → its officers and clerks, the hall's clerks, administrators, leaders): one
    query whatever the number of observations."""
    by_department: dict[int, set] = {}
    clerks, admins, leaders = set(), set(), set()
    rows = User.objects.filter(is_active=True).values_list("id", "role_grants__role", "departments")
    for user_id, role, department_id in rows:
        if role in DEPARTMENT_ROLES and department_id:
            by_department.setdefault(department_id, set()).add(user_id)
        if role == Role.CLERK:
            clerks.add(user_id)
        if role == Role.ADMIN:
            admins.add(user_id)
        if role == Role.LEADER:
            leaders.add(user_id)
    return {k: sorted(v) for k, v in by_department.items()}, sorted(clerks), sorted(admins), sorted(leaders)


def _effects(*, kind: str, code: str, escalate: bool, now):
    def write(ids):
        departments, clerks, admins, leaders = _people()
        higher = [*rectification_overseers(), *admins, *(leaders if escalate else [])]
        rows = Observation.objects.filter(id__in=ids).values(
            "id", "department_id", "deadline_round", "due_at", "status"
        )
        told = [
            Notice(
                case_id=row["id"],
                recipients=[
                    *(departments.get(row["department_id"], []) if row["department_id"] else clerks),
                    *(higher if escalate else []),
                ],
                code=code,
                params={"id": row["id"]},
                url=reverse("supervision:observation", args=[row["id"]]),
                data={"due_at": row["due_at"].isoformat(), "status": row["status"]},
                round=row["deadline_round"],
            )
            for row in rows
        ]
        sweep_record(Observation, told, kind=kind, at=now, notification_kind=f"observation_{kind}")

    return write


def observations_sweep(*, now=None) -> dict:
    """Remind at the at-risk point and escalate once overdue, each once per deadline."""
    now = now or timezone.now()
    reminded = sweep_step(
        Observation.objects.filter(_running(), reminded_at=None, risk_at__lte=now),
        mark={"reminded_at": now},
        effects=_effects(kind="reminded", code=notices.DUE_SOON, escalate=False, now=now),
    )
    escalated = sweep_step(
        Observation.objects.filter(_running(), overdue_at=None, due_at__lte=now),
        mark={"overdue_at": now},
        effects=_effects(kind="overdue", code=notices.OVERDUE, escalate=True, now=now),
    )
    return {"reminded": reminded, "overdue": escalated}
