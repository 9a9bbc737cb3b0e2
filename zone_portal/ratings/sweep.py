"""The rectifications' deadline sweep on the case engine's set-based step
(`zone_portal.cases.sweep`): each overdue verification or fix is claimed once by a conditional
UPDATE, with its event and its notifications, however many sweeps overlap; a constant number of
queries whatever the number of rectifications due."""

from django.utils import timezone

from zone_portal.accounts.models import User
from zone_portal.cases.sweep import Notice, sweep_record, sweep_step

from . import notices
from .models import RECTIFICATION_OVERDUE_Q, Rectification
from .registry import rectification_overseers, rectification_url


def _department_members(department_ids) -> dict[int, list[int]]:
    by_department: dict[int, list[int]] = {}
    for user_id, department_id in User.objects.filter(
        departments__in=set(department_ids) - {None}, is_active=True
    ).values_list("id", "departments"):
        by_department.setdefault(department_id, []).append(user_id)
    return by_department


def _effects(*, kind: str, due_field: str, code: str, now):
    def write(ids):
        overseers = rectification_overseers()
        rows = list(
            Rectification.objects.filter(id__in=ids).values(
                "id", "department_id", "handler_id", "rating__case_label", due_field
            )
        )
        members = _department_members(row["department_id"] for row in rows)
        told = [
            Notice(
                case_id=row["id"],
                recipients=[row["handler_id"], *members.get(row["department_id"], []), *overseers],
                code=code,
                params={"case": row["rating__case_label"]},
                url=rectification_url(row["id"]),
                data={"due_at": row[due_field].isoformat()},
                # A new fix deadline (after a dissatisfied enterprise) is a new occurrence.
                round=f"{row[due_field]:%Y%m%d%H%M}" if due_field == "fix_due_at" else None,
            )
            for row in rows
        ]
        sweep_record(Rectification, told, kind=kind, at=now, notification_kind="rectification_overdue")

    return write


def rectifications_sweep(*, now=None) -> dict:
    """Mark rectifications whose verification or fix is overdue (each deadline once), telling the
    department, the handler and the overseers (the center's head)."""
    now = now or timezone.now()
    verify = sweep_step(
        Rectification.objects.filter(
            RECTIFICATION_OVERDUE_Q["verify"], verify_due_at__lte=now, verify_overdue_marked_at=None
        ),
        mark={"verify_overdue_marked_at": now},
        effects=_effects(
            kind="verify_overdue",
            due_field="verify_due_at",
            code=notices.VERIFY_OVERDUE,
            now=now,
        ),
    )
    fix = sweep_step(
        Rectification.objects.filter(
            RECTIFICATION_OVERDUE_Q["fix"], fix_due_at__lte=now, fix_overdue_marked_at=None
        ),
        mark={"fix_overdue_marked_at": now},
        effects=_effects(kind="fix_overdue", due_field="fix_due_at", code=notices.FIX_OVERDUE, now=now),
    )
    return {"verify_overdue": verify, "fix_overdue": fix}
