"""The hazards' deadline sweep on the case engine's set-based step (`zone_portal.cases.sweep`).

Two steps, each one conditional `UPDATE … RETURNING id` over a partial index, with its events and
notifications written in the same transaction and keyed by `zone_portal.cases.keys.dedupe_key`
(per deadline round): the reminder at the at-risk point (to the enterprise), and the overdue
escalation (to the bureau's leader, the enterprise's park, the inspector and the enterprise). A
row is claimed once however many sweeps overlap; the statement count does not depend on how many
hazards are due. Only hazards being rectified (`open`) run on the clock: a reported fix waits for
the re-inspection, and a reopening starts a new round with its marks cleared.
"""

from django.db.models import Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from zone_portal.cases.sweep import Notice, sweep_record, sweep_step
from zone_portal.cases.transitions import transition_q
from zone_portal.dates import minute_text

from . import notices
from .models import Hazard, HazardStatus
from .selectors import bureau_leaders, enterprise_staff, park_staff, safety_settings


def _rows(ids):
    return list(
        Hazard.objects.filter(id__in=ids).values(
            "id",
            "severity",
            "description",
            "due_at",
            "deadline_round",
            "enterprise_id",
            "enterprise__name",
            "enterprise__park_id",
            "inspection__inspector_id",
        )
    )


def _remind(now):
    def write(ids):
        rows = _rows(ids)
        staff = enterprise_staff(row["enterprise_id"] for row in rows)
        told = [
            Notice(
                case_id=row["id"],
                recipients=staff.get(row["enterprise_id"], []),
                code=notices.HAZARD_DUE,
                params={"due": minute_text(row["due_at"])},
                url=reverse("safety:hazard", args=[row["id"]]),
                data={"due_at": row["due_at"].isoformat()},
                round=row["deadline_round"],
            )
            for row in rows
        ]
        sweep_record(Hazard, told, kind="reminded", at=now, notification_kind="safety_hazard")

    return write


def _escalate(now):
    def write(ids):
        rows = _rows(ids)
        leaders = bureau_leaders(safety_settings())
        parks = park_staff(row["enterprise__park_id"] for row in rows)
        staff = enterprise_staff(row["enterprise_id"] for row in rows)
        told = [
            Notice(
                case_id=row["id"],
                recipients=[
                    *leaders,
                    *parks.get(row["enterprise__park_id"], []),
                    row["inspection__inspector_id"],
                    *staff.get(row["enterprise_id"], []),
                ],
                code=notices.HAZARD_OVERDUE,
                params={"enterprise": row["enterprise__name"], "text": row["description"][:500]},
                url=reverse("safety:hazard", args=[row["id"]]),
                data={"due_at": row["due_at"].isoformat(), "severity": row["severity"]},
                round=row["deadline_round"],
            )
            for row in rows
        ]
        sweep_record(Hazard, told, kind="overdue", at=now, notification_kind="safety_hazard")

    return write


def hazards_sweep(*, now=None) -> dict:
    """Remind and escalate the hazards whose moments have come, each once per round."""
    now = now or timezone.now()
    # Running on the clock: the statuses from which a fix may be reported (the transition table).
    running = transition_q(Hazard, HazardStatus.REPORTED)
    reminded = sweep_step(
        Hazard.objects.filter(running, reminded_at=None, risk_at__lte=now, due_at__gt=now),
        mark={"reminded_at": now},
        effects=_remind(now),
    )
    overdue = sweep_step(
        Hazard.objects.filter(running, overdue_marked_at=None, due_at__lte=now),
        # An overdue hazard is past its reminder too: it leaves the reminder step's index.
        mark={"overdue_marked_at": now, "reminded_at": Coalesce("reminded_at", Value(now))},
        effects=_escalate(now),
    )
    return {"reminded": reminded, "overdue": overdue}
