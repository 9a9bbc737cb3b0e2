"""Every write of the projects app: atomic, checked against the model's rules, recorded as events.

Sweeps (`projects_flag_delays`, `projects_flag_missing_supervision`) are set-based and exactly-once:
a fixed number of statements whatever the number of projects, unique keys on what they write.
"""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from itertools import permutations

from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zone_portal.accounts.roles import Role
from zone_portal.cases.keys import dedupe_key
from zone_portal.cases.lateness import Lateness, lateness_on_q
from zone_portal.cases.sweep import Notice, sweep_claim_insert, sweep_record, sweep_step
from zone_portal.cases.unique import refuse_duplicate
from zone_portal.errors import Conflict, InvalidInput, PermissionDeniedError, TransitionForbidden
from zone_portal.events.log import event_record
from zone_portal.notifications.actions import notify
from zone_portal.uploads import PHOTOS, content_type_of, upload_count_check, uploads_check

from . import notices, permissions
from .models import (
    EARLIEST_DATE,
    SCORE_FIELDS,
    SCORE_MAX,
    STAGE_FLOW,
    SUPERVISED_STAGES,
    TEAM_DEPARTMENTS,
    LedgerEntry,
    LedgerPhoto,
    Milestone,
    Project,
    SiteObservation,
    Stage,
    Supervision,
    SupervisionGap,
    latest_date,
    week_start,
)

MAX_PHOTOS_PER_ENTRY = 10

# What each of the six ones is called in a "missing" message, keyed by the API field.
SIX_ONES_LABELS = {
    "name": gettext_lazy("the project name"),
    "enterprise": gettext_lazy("the investor enterprise"),
    "industry": gettext_lazy("the industry"),
    "content": gettext_lazy("the construction content"),
    "total_investment": gettext_lazy("the total investment"),
    "park": gettext_lazy("the responsible park"),
    "leader": gettext_lazy("the assigned leader"),
    "team": gettext_lazy("the service team"),
    "goal": gettext_lazy("the completion goal"),
    "target_date": gettext_lazy("the target completion date"),
}
PROJECT_FIELDS = (
    "name",
    "enterprise",
    "park",
    "industry",
    "content",
    "total_investment",
    "leader",
    "goal",
    "target_date",
)


def _today() -> date:
    return timezone.localdate()


def _project_url(project_id: int) -> str:
    return reverse("projects:detail", args=[project_id])


# --- the six ones -------------------------------------------------------------------------------


def team_slots(team) -> dict[str, object]:
    """Match three users to the trio's slots (investment, enterprise service, platform).

    Raises InvalidInput naming what is wrong: not three distinct people, or no way to take one
    member from each of the three departments.
    """
    members = [m for m in (team or []) if m is not None]
    if len({m.pk for m in members}) != 3 or len(members) != 3:
        raise InvalidInput(
            _("The service team is three different people."),
            fields={"team": [_("Give exactly three different people.")]},
        )
    codes = {m.pk: set(m.departments.values_list("code", flat=True)) for m in members}
    slots = list(TEAM_DEPARTMENTS.items())
    for order in permutations(members):
        if all(slot_code in codes[m.pk] for m, (_slot, slot_code) in zip(order, slots, strict=True)):
            return {slot: m for m, (slot, _code) in zip(order, slots, strict=True)}
    covered = set().union(*codes.values())
    missing = [code for code in TEAM_DEPARTMENTS.values() if code not in covered]
    from zone_portal.org.models import Department

    names = dict(Department.objects.filter(code__in=TEAM_DEPARTMENTS.values()).values_list("code", "name"))
    detail = (
        _("No member from: %(departments)s.") % {"departments": "、".join(names.get(c, c) for c in missing)}
        if missing
        else _("One person cannot fill two places.")
    )
    raise InvalidInput(
        _(
            "The service team needs one member each from the investment, enterprise service and "
            "platform departments."
        ),
        fields={"team": [detail]},
    )


def _check_six_ones(values: dict, team) -> dict:
    """Return the team slots; raise one 400 naming every missing or invalid part of the six ones."""
    missing = []
    for key in SIX_ONES_LABELS:  # in the order people read the six ones
        value = team if key == "team" else values.get(key)
        if value is None or (isinstance(value, str | list) and not value) or str(value).strip() == "":
            missing.append(key)
        elif key == "total_investment":
            try:
                positive = Decimal(value) > 0
            except (InvalidOperation, TypeError):
                positive = False
            if not positive:
                missing.append(key)
    if missing:
        raise InvalidInput(
            _("A key project needs all six ones. Missing: %(parts)s.")
            % {"parts": "、".join(str(SIX_ONES_LABELS[k]) for k in missing)},
            fields={k: [_("Required for the six ones.")] for k in missing},
        )
    leader = values["leader"]
    if not leader.has_role(Role.LEADER):
        raise InvalidInput(
            _("The assigned leader must hold the leader role."),
            fields={"leader": [_("%(user)s is not a leader.") % {"user": leader}]},
        )
    return team_slots(team)


@transaction.atomic
def project_create(
    *,
    actor,
    name: str,
    enterprise,
    park,
    industry: str,
    content: str,
    total_investment: Decimal,
    leader,
    team: list,
    goal: str,
    target_date: date,
    stage: str = Stage.NEGOTIATING,
    stage_date: date | None = None,
) -> Project:
    """Create a key project with all six ones (400 naming what is missing) and its first event."""
    if not permissions.can_manage_projects(actor):
        raise PermissionDeniedError()
    values = {
        "name": name,
        "enterprise": enterprise,
        "park": park,
        "industry": industry,
        "content": content,
        "total_investment": total_investment,
        "leader": leader,
        "goal": goal,
        "target_date": target_date,
    }
    slots = _check_six_ones(values, team)
    _in_range(target_date, "target_date")
    _in_range(stage_date, "stage_date")
    if stage not in Stage.values or stage == Stage.SUSPENDED:
        raise InvalidInput(fields={"stage": [_("Choose a stage on the project's path.")]})
    on = stage_date or _today()
    project = Project(**values, **slots, stage=stage, stage_changed_on=on)
    if STAGE_FLOW.index(stage) >= STAGE_FLOW.index(Stage.CONSTRUCTION_STARTED):
        project.construction_started_on = on
    project.save()
    event_record(case=project, kind="project_created", actor=actor, to_state=stage, data={"date": str(on)})
    notify(
        recipients=[leader, *slots.values()],
        code=notices.ASSIGNED,
        params={"name": project.name, "park": park, "leader": leader, "date": target_date},
        url=_project_url(project.pk),
        kind="project_assigned",
        dedupe_key=f"projects:assigned:{project.pk}",
    )
    return project


@transaction.atomic
def project_update(*, actor, project: Project, team: list | None = None, **changes) -> Project:
    """Change the six ones of a project (administrators); `stage` moves it through `project_change_stage`."""
    if not permissions.can_manage_projects(actor):
        raise PermissionDeniedError()
    project = Project.objects.select_for_update().get(pk=project.pk)
    to_stage = changes.pop("stage", None)
    stage_date = changes.pop("stage_date", None)
    unknown = set(changes) - set(PROJECT_FIELDS)
    if unknown:
        raise InvalidInput(fields={k: [_("This field cannot be changed here.")] for k in sorted(unknown)})
    values = {key: getattr(project, key) for key in PROJECT_FIELDS} | changes
    team = team if team is not None else project.team
    slots = _check_six_ones(values, team)
    if "target_date" in changes:
        _in_range(changes["target_date"], "target_date")
    changed = [k for k in PROJECT_FIELDS if values[k] != getattr(project, k)]
    changed += [k for k, user in slots.items() if getattr(project, f"{k}_id") != user.pk]
    for key, value in (values | slots).items():
        setattr(project, key, value)
    if changed:
        project.save()
        event_record(case=project, kind="project_updated", actor=actor, data={"fields": sorted(changed)})
    if to_stage and to_stage != project.stage:
        project = project_change_stage(actor=actor, project=project, to_stage=to_stage, on_date=stage_date)
    return project


@transaction.atomic
def project_change_stage(
    *, actor, project: Project, to_stage: str, on_date: date | None = None, reason: str = ""
) -> Project:
    """Move a project to the next stage, suspend it, or resume it; one event with date and who."""
    if not permissions.can_change_stage(actor, project):
        raise PermissionDeniedError()
    project = Project.objects.select_for_update().get(pk=project.pk)
    on = on_date or _today()
    _not_future(on, "date")
    if not project.can_change_stage(to_stage):
        raise TransitionForbidden(
            _("A project cannot go from “%(from)s” to “%(to)s”.")
            % {
                "from": Stage(project.stage).label,
                "to": Stage(to_stage).label if to_stage in Stage.values else to_stage,
            }
        )
    if to_stage == Stage.SUSPENDED and not reason.strip():
        raise InvalidInput(fields={"reason": [_("Say why the project is suspended.")]})
    from_stage = project.stage
    project.suspended_from = from_stage if to_stage == Stage.SUSPENDED else ""
    project.stage = to_stage
    project.stage_changed_on = on
    if to_stage in SUPERVISED_STAGES and project.construction_started_on is None:
        project.construction_started_on = on
    project.save(
        update_fields=["stage", "suspended_from", "stage_changed_on", "construction_started_on", "updated_at"]
    )
    event_record(
        case=project,
        kind="stage_changed",
        actor=actor,
        from_state=from_stage,
        to_state=to_stage,
        reason=reason,
        data={"date": str(on)},
    )
    notify(
        recipients=[u for u in [project.leader_id, *project.team_ids] if u != actor.pk],
        code=notices.STAGE,
        params={"name": project.name, "stage": to_stage, "text": reason},
        url=_project_url(project.pk),
        kind="project_stage",
    )
    return project


# --- milestones ---------------------------------------------------------------------------------


def _require_worker(actor, project):
    if not permissions.can_work_on(actor, project):
        raise PermissionDeniedError()


def _in_range(day: date | None, field: str) -> None:
    """Refuse a date outside EARLIEST_DATE … twenty years ahead."""
    if day is None:
        return
    latest = latest_date(_today())
    if not EARLIEST_DATE <= day <= latest:
        raise InvalidInput(
            fields={
                field: [
                    _("Choose a date between %(earliest)s and %(latest)s.")
                    % {"earliest": EARLIEST_DATE.isoformat(), "latest": latest.isoformat()}
                ]
            }
        )


def _not_future(day: date, field: str):
    if day > _today():
        raise InvalidInput(fields={field: [_("The date cannot be in the future.")]})
    _in_range(day, field)


@transaction.atomic
def milestone_add(
    *, actor, project: Project, name: str, planned_date: date, actual_date: date | None = None, note: str = ""
) -> Milestone:
    _require_worker(actor, project)
    if not (name or "").strip():
        raise InvalidInput(fields={"name": [_("Name the milestone.")]})
    _in_range(planned_date, "planned_date")
    if actual_date:
        _not_future(actual_date, "actual_date")
    milestone = Milestone.objects.create(
        project=project, name=name.strip(), planned_date=planned_date, actual_date=actual_date, note=note
    )
    event_record(
        case=project,
        kind="milestone_added",
        actor=actor,
        data={"milestone": milestone.name, "planned_date": str(planned_date)},
    )
    return milestone


@transaction.atomic
def milestone_update(
    *,
    actor,
    milestone: Milestone,
    actual_date: date | None = None,
    planned_date: date | None = None,
    note: str | None = None,
    reason: str = "",
) -> Milestone:
    """Record that a milestone was reached, or re-plan it (a new planned date needs a reason)."""
    milestone = Milestone.objects.select_for_update().select_related("project").get(pk=milestone.pk)
    project = milestone.project
    _require_worker(actor, project)
    if actual_date is not None:
        _not_future(actual_date, "actual_date")
        if milestone.actual_date is not None and milestone.actual_date != actual_date:
            raise Conflict(
                _("This milestone was already reached on %(date)s.") % {"date": milestone.actual_date}
            )
        if milestone.actual_date is None:
            milestone.actual_date = actual_date
            event_record(
                case=project,
                kind="milestone_reached",
                actor=actor,
                data={
                    "milestone": milestone.name,
                    "planned_date": str(milestone.planned_date),
                    "actual_date": str(actual_date),
                },
            )
    if planned_date is not None and planned_date != milestone.planned_date:
        _in_range(planned_date, "planned_date")
        if milestone.actual_date is not None:
            raise TransitionForbidden(_("A reached milestone cannot be re-planned."))
        if not reason.strip():
            raise InvalidInput(fields={"reason": [_("Say why the milestone is re-planned.")]})
        event_record(
            case=project,
            kind="milestone_replanned",
            actor=actor,
            reason=reason,
            data={"milestone": milestone.name, "from": str(milestone.planned_date), "to": str(planned_date)},
        )
        milestone.planned_date = planned_date
    if note is not None:
        milestone.note = note
    milestone.save()
    return milestone


# --- ledger -------------------------------------------------------------------------------------


def _check_photos(photos) -> tuple[list, list]:
    """The photos and their kinds, by the portal's one upload rule (JPEG, PNG or WebP by content)."""
    photos = list(photos or [])
    if len(photos) > MAX_PHOTOS_PER_ENTRY:
        raise InvalidInput(
            fields={"photos": [_("At most %(n)d photos per entry.") % {"n": MAX_PHOTOS_PER_ENTRY}]}
        )
    return photos, uploads_check(photos, accept=PHOTOS, field="photos")


@transaction.atomic
def ledger_entry_add(
    *,
    actor,
    project: Project,
    entry_date: date,
    investment_completed: Decimal,
    progress_percent: int,
    problems: str = "",
    note: str = "",
    photos=(),
) -> LedgerEntry:
    """Append a dated ledger line; cumulative figures are derived from the lines, never typed."""
    _require_worker(actor, project)
    _not_future(entry_date, "entry_date")
    errors = {}
    if investment_completed is None or Decimal(investment_completed) < 0:
        errors["investment_completed"] = [_("Enter an amount of zero or more yuan.")]
    if progress_percent is None or not 0 <= int(progress_percent) <= 100:
        errors["progress_percent"] = [_("Progress is a percentage from 0 to 100.")]
    if errors:
        raise InvalidInput(fields=errors)
    photos, kinds = _check_photos(photos)
    if photos:  # the project's photos are counted under its row lock, so two uploads cannot pass the cap
        Project.objects.select_for_update().filter(pk=project.pk).first()
        existing = LedgerPhoto.objects.filter(entry__project=project).count()
        upload_count_check(existing=existing, adding=len(photos), field="photos")
    entry = LedgerEntry.objects.create(
        project=project,
        entry_date=entry_date,
        investment_completed=Decimal(investment_completed),
        progress_percent=int(progress_percent),
        problems=problems,
        note=note,
        recorded_by=actor,
    )
    for photo, kind in zip(photos, kinds, strict=True):
        LedgerPhoto.objects.create(entry=entry, file=photo, content_type=content_type_of(kind))
    event_record(
        case=project,
        kind="ledger_entry_added",
        actor=actor,
        data={
            "date": str(entry_date),
            "investment_completed": str(entry.investment_completed),
            "progress_percent": entry.progress_percent,
        },
    )
    return entry


# --- supervision cycles -------------------------------------------------------------------------


@transaction.atomic
def supervision_record(
    *, actor, project: Project, supervised_on: date, findings: str, problems: str = ""
) -> Supervision:
    """Record a weekly supervision (周督导) of a project under construction."""
    _require_worker(actor, project)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not project.is_supervised:
        raise TransitionForbidden(_("Weekly supervision is recorded for projects under construction."))
    _not_future(supervised_on, "supervised_on")
    if not (findings or "").strip():
        raise InvalidInput(fields={"findings": [_("Write down what was found.")]})
    supervision = Supervision.objects.create(
        project=project,
        week_start=week_start(supervised_on),
        supervised_on=supervised_on,
        supervisor=actor,
        findings=findings.strip(),
        problems=problems.strip(),
    )
    event_record(
        case=project,
        kind="supervision_recorded",
        actor=actor,
        data={"date": str(supervised_on), "week_start": str(supervision.week_start)},
    )
    return supervision


@transaction.atomic
def observation_record(
    *, actor, project: Project, observed_on: date, scores: dict, remarks: str = ""
) -> SiteObservation:
    """Record the month's site observation (月观摩) with its five scores (0–20 each); once a month."""
    if not permissions.can_observe(actor):
        raise PermissionDeniedError()
    _not_future(observed_on, "observed_on")
    if project.stage == Stage.NEGOTIATING:
        raise TransitionForbidden(_("A project still negotiating has no site to observe."))
    errors = {}
    for field in SCORE_FIELDS:
        value = scores.get(field)
        if value is None or not 0 <= int(value) <= SCORE_MAX:
            errors[field] = [_("A score from 0 to %(max)d.") % {"max": SCORE_MAX}]
    if errors:
        raise InvalidInput(fields=errors)
    month = observed_on.replace(day=1)
    with refuse_duplicate(Conflict(_("This month's site observation of the project is already recorded."))):
        observation = SiteObservation.objects.create(
            project=project,
            month=month,
            observed_on=observed_on,
            observer=actor,
            remarks=remarks,
            **{f: int(scores[f]) for f in SCORE_FIELDS},
        )
    event_record(
        case=project,
        kind="observation_recorded",
        actor=actor,
        data={"month": f"{month:%Y-%m}", "total": observation.total_score},
    )
    return observation


# --- sweeps -------------------------------------------------------------------------------------


def _recipients(project: Project) -> set[int]:
    return {pk for pk in [project.leader_id, *project.team_ids] if pk is not None}


def _project_notices(projects_of, *, code, params_of, key_of, data_of) -> list[Notice]:
    return [
        Notice(
            case_id=project.pk,
            recipients=_recipients(project),
            code=code,
            params=params_of(row, project),
            url=_project_url(project.pk),
            data=data_of(row),
            key=key_of(row),
        )
        for row, project in projects_of
    ]


def projects_flag_delays(*, today: date | None = None) -> int:
    """Record each open milestone whose planned date has passed, once per planned date, and tell the
    project's leader and service team. Returns how many milestones this run recorded.

    Set-based (`zone_portal.cases.sweep`): one conditional UPDATE claims the milestones (the mark is
    the planned date recorded), one query reads them, one INSERT each writes the events and the
    notifications; overlapping runs record each delay exactly once.
    """
    today = today or _today()
    overdue = lateness_on_q(Lateness.OVERDUE, today, due_on="planned_date", at_risk_days=0)
    due = Milestone.objects.filter(overdue, actual_date=None).exclude(delay_flagged_for=F("planned_date"))

    def effects(ids):
        milestones = (
            Milestone.objects.filter(pk__in=ids).select_related("project").order_by("planned_date", "id")
        )
        told = _project_notices(
            [(m, m.project) for m in milestones],
            code=notices.DELAYED,
            params_of=lambda m, project: {
                "project": project.name,
                "milestone": m.name,
                "date": m.planned_date,
            },
            key_of=lambda m: dedupe_key(Milestone, m.pk, "delayed", round=m.planned_date),
            data_of=lambda m: {"milestone": m.name, "planned_date": str(m.planned_date)},
        )
        sweep_record(
            Project, told, kind="milestone_delayed", at=timezone.now(), notification_kind="project_delayed"
        )

    return sweep_step(due, mark={"delay_flagged_for": F("planned_date")}, effects=effects)


def projects_flag_missing_supervision(*, today: date | None = None) -> int:
    """Flag every project under construction (for the whole past week) that has no weekly
    supervision record for the past week (Monday–Sunday), once per project and week.

    The flag row (`SupervisionGap`, unique per project and week) is the claim: one
    `INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING` writes the flags this run is first to
    write, and only those get an event and notifications, so a rerun or an overlapping run changes
    nothing. Returns how many projects this run flagged.
    """
    today = today or _today()
    past_week = week_start(today) - timedelta(days=7)
    missing = (
        Project.objects.filter(stage__in=SUPERVISED_STAGES, construction_started_on__lte=past_week)
        .exclude(Exists(Supervision.objects.filter(project=OuterRef("pk"), week_start=past_week)))
        .exclude(Exists(SupervisionGap.objects.filter(project=OuterRef("pk"), week_start=past_week)))
        .values("pk")
    )
    with transaction.atomic():
        flagged = sweep_claim_insert(
            SupervisionGap,
            missing,
            columns=["project"],
            constants={"week_start": past_week, "flagged_at": timezone.now()},
            returning="project",
        )
        if flagged:
            projects = Project.objects.filter(pk__in=flagged).order_by("id")
            told = _project_notices(
                [(p, p) for p in projects],
                code=notices.SUPERVISION_MISSING,
                params_of=lambda p, project: {"project": project.name, "date": past_week},
                key_of=lambda p: dedupe_key(Project, p.pk, "supervision_missing", round=past_week),
                data_of=lambda p: {"week_start": str(past_week)},
            )
            sweep_record(
                Project,
                told,
                kind="supervision_missing",
                at=timezone.now(),
                notification_kind="supervision_missing",
            )
    return len(flagged)
