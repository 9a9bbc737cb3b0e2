"""The rectifications' deadline sweep: each overdue verification or fix is marked once, with its
event and its notifications, however many sweeps overlap.

The claim-and-mark step below is the services sweep's, moved as it is; it goes when the case
engine's shared sweep step lands.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zone_portal.accounts.models import User
from zone_portal.events.log import events_record_many
from zone_portal.events.models import Event
from zone_portal.notifications.actions import notify_many
from zone_portal.notifications.models import Notification

from .models import RECTIFICATION_OVERDUE_Q, Rectification
from .registry import rectification_overseers


def _sweep_kind(*, queryset, mark_field: str, now, describe) -> int:
    """Claim the rows of one kind with a lock that skips rows another sweep holds, mark them with one
    conditional UPDATE, and write their events and notifications in bulk: a constant number of
    queries, and each row is reported once however many sweeps overlap (dedupe keys back it up)."""
    with transaction.atomic():
        rows = list(
            queryset.filter(**{mark_field: None})
            .select_for_update(skip_locked=True, of=("self",))
            .values(*describe["fields"])
        )
        if not rows:
            return 0
        ids = [row["id"] for row in rows]
        marked = queryset.model.objects.filter(id__in=ids, **{mark_field: None}).update(**{mark_field: now})
        if not marked:
            return 0
        ct = ContentType.objects.get_for_model(queryset.model)
        events, notes = [], []
        heads = describe["heads"]()
        members = describe.get("members", lambda rows: {})(rows)
        for row in rows:
            key = describe["key"](row)
            events.append(
                Event(
                    content_type=ct,
                    object_id=row["id"],
                    kind=describe["kind"],
                    at=now,
                    data=describe["data"](row),
                    dedupe_key=key,
                )
            )
            title, url = describe["title"](row), describe["url"](row)
            recipients = {*heads, *describe["recipients"](row, members)} - {None}
            notes += [
                Notification(
                    recipient_id=user_id,
                    kind=describe["notification_kind"],
                    title=str(title)[:200],
                    url=url,
                    dedupe_key=f"{key}:{user_id}",
                )
                for user_id in recipients
            ]
        events_record_many(events)
        notify_many(notes)
    return marked


def rectifications_sweep(*, now=None) -> dict:
    """Mark rectifications whose verification or fix is overdue (each deadline once), telling the
    department, the handler and the center's head."""
    now = now or timezone.now()

    def members(rows):
        departments = {row["department_id"] for row in rows} - {None}
        by_department: dict[int, list[int]] = {}
        for user_id, department_id in User.objects.filter(
            departments__in=departments, is_active=True
        ).values_list("id", "departments"):
            by_department.setdefault(department_id, []).append(user_id)
        return by_department

    common = {
        "fields": ["id", "department_id", "handler_id", "rating__case_label", "verify_due_at", "fix_due_at"],
        "heads": rectification_overseers,
        "members": members,
        "recipients": lambda row, by_dept: [row["handler_id"], *by_dept.get(row["department_id"], [])],
        "url": lambda row: reverse("services:rectification-detail", args=[row["id"]]),
        "notification_kind": "rectification_overdue",
    }
    verify = _sweep_kind(
        queryset=Rectification.objects.filter(RECTIFICATION_OVERDUE_Q["verify"], verify_due_at__lte=now),
        mark_field="verify_overdue_marked_at",
        now=now,
        describe={
            **common,
            "kind": "verify_overdue",
            "key": lambda row: f"services.rectification:{row['id']}:verify_overdue",
            "data": lambda row: {"due_at": row["verify_due_at"].isoformat()},
            "title": lambda row: _("Verification overdue: %(case)s") % {"case": row["rating__case_label"]},
        },
    )
    fix = _sweep_kind(
        queryset=Rectification.objects.filter(RECTIFICATION_OVERDUE_Q["fix"], fix_due_at__lte=now),
        mark_field="fix_overdue_marked_at",
        now=now,
        describe={
            **common,
            "kind": "fix_overdue",
            # A new fix deadline (after a dissatisfied enterprise) is a new event.
            "key": lambda row: (
                f"services.rectification:{row['id']}:fix_overdue:{row['fix_due_at']:%Y%m%d%H%M}"
            ),
            "data": lambda row: {"due_at": row["fix_due_at"].isoformat()},
            "title": lambda row: _("Rectification overdue: %(case)s") % {"case": row["rating__case_label"]},
        },
    )
    return {"verify_overdue": verify, "fix_overdue": fix}
