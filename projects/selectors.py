"""Every read of the projects app: scoping, the battle map, the ledger with cumulative sums, the
quarterly ranking. Each list is a fixed number of queries, whatever the number of projects."""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zone_portal.access import get_visible_or_404
from zone_portal.accounts.roles import Role
from zone_portal.cases.lateness import Lateness, lateness_on_q
from zone_portal.errors import InvalidInput
from zone_portal.filters import filter_given

from .models import (
    EARLIEST_DATE,
    STAGE_FLOW,
    LedgerEntry,
    LedgerPhoto,
    Milestone,
    Project,
    ProjectSettings,
    SiteObservation,
    Stage,
    Supervision,
    SupervisionGap,
    latest_date,
    week_start,
)
from .permissions import PROJECT_READER_ROLES

ZERO = Decimal("0")
MONEY = DecimalField(max_digits=18, decimal_places=2)


class Health:
    """How a project stands on the battle map (挂图作战), in the cases' lateness words
    (`zone_portal.cases.lateness`); only overdue keeps the projects' own word, "delayed" (延期),
    which the map, the filters and the API have always shown."""

    ON_TRACK = Lateness.ON_TRACK.value
    AT_RISK = Lateness.AT_RISK.value
    DELAYED = "delayed"
    LABELS = {ON_TRACK: Lateness.ON_TRACK.label, AT_RISK: Lateness.AT_RISK.label, DELAYED: _("Delayed")}


def projects_visible_to(user) -> QuerySet:
    """Zone officers and leaders read every key project; enterprise staff only their enterprise's
    projects; everyone else nothing."""
    qs = Project.objects.select_related(
        "park", "enterprise", "leader", "investment_member", "service_member", "platform_member"
    )
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser or user.has_role(*PROJECT_READER_ROLES):
        return qs
    if user.has_role(Role.ENTERPRISE_STAFF):
        return qs.filter(enterprise_id__in=user.enterprise_ids)
    return qs.none()


def project_for(user, pk, *, with_status: bool = False) -> Project:
    """The project `pk` if the user may see it (with `projects_with_status`'s figures if asked);
    Http404 alike for missing and not theirs."""
    visible = projects_visible_to(user)
    return get_visible_or_404(projects_with_status(visible) if with_status else visible, pk)


def projects_involving(qs: QuerySet, user) -> QuerySet:
    """The projects a person leads or serves on the trio of."""
    return qs.filter(
        Q(leader=user) | Q(investment_member=user) | Q(service_member=user) | Q(platform_member=user)
    )


def _sum_subquery(qs, field_name: str):
    """A correlated `SUM(field)` per project, as one subquery (no row multiplication from joins)."""
    return Coalesce(
        Subquery(
            qs.filter(project=OuterRef("pk"))
            .order_by()
            .values("project")
            .annotate(total=Sum(field_name))
            .values("total")[:1],
            output_field=MONEY,
        ),
        Value(ZERO),
        output_field=MONEY,
    )


def _count_subquery(qs):
    return Coalesce(
        Subquery(
            qs.filter(project=OuterRef("pk"))
            .order_by()
            .values("project")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def milestone_lateness_q(state: str, today: date, at_risk_days: int) -> Q:
    """Open milestones in `state` on `today` on the cases' clock kept in dates: overdue once their
    planned date has passed, at risk from `at_risk_days` before it (`cases.lateness.lateness_on_q`)."""
    return lateness_on_q(state, today, due_on="planned_date", at_risk_days=at_risk_days)


def projects_with_status(qs: QuerySet, *, today: date | None = None, at_risk_days: int | None = None):
    """Annotate what the board and the lists show, computed from the rows in the same query:
    `is_delayed`, `is_at_risk`, `missed_last_week`, `invested` (yuan), `progress` (latest %),
    `next_milestone_name` / `next_milestone_date`."""
    today = today or timezone.localdate()
    if at_risk_days is None:
        at_risk_days = ProjectSettings.current().at_risk_days
    open_milestones = Milestone.objects.filter(project=OuterRef("pk"), actual_date=None)
    next_open = open_milestones.order_by("planned_date", "id")
    past_week = week_start(today) - timedelta(days=7)
    latest_entry = LedgerEntry.objects.filter(project=OuterRef("pk")).order_by("-entry_date", "-id")
    return qs.annotate(
        is_delayed=Exists(
            open_milestones.filter(milestone_lateness_q(Lateness.OVERDUE, today, at_risk_days))
        ),
        is_at_risk=Exists(
            open_milestones.filter(milestone_lateness_q(Lateness.AT_RISK, today, at_risk_days))
        ),
        missed_last_week=Exists(SupervisionGap.objects.filter(project=OuterRef("pk"), week_start=past_week))
        & ~Exists(Supervision.objects.filter(project=OuterRef("pk"), week_start=past_week)),
        invested=_sum_subquery(LedgerEntry.objects.all(), "investment_completed"),
        progress=Coalesce(Subquery(latest_entry.values("progress_percent")[:1]), Value(0)),
        next_milestone_name=Subquery(next_open.values("name")[:1]),
        next_milestone_date=Subquery(next_open.values("planned_date")[:1]),
    )


def project_health(project) -> str:
    """Delayed when a milestone is overdue; at risk when one falls due soon or last week's
    supervision is missing; on track otherwise. Needs `projects_with_status` annotations."""
    if project.is_delayed:
        return Health.DELAYED
    if project.is_at_risk or project.missed_last_week:
        return Health.AT_RISK
    return Health.ON_TRACK


def projects_filtered(qs: QuerySet, *, park=None, leader=None, stage=None, health=None) -> QuerySet:
    qs = filter_given(qs, park_id=park, leader_id=leader, stage=stage)
    if health == Health.DELAYED:
        qs = qs.filter(is_delayed=True)
    elif health == Health.AT_RISK:
        qs = qs.filter(is_delayed=False).filter(Q(is_at_risk=True) | Q(missed_last_week=True))
    elif health == Health.ON_TRACK:
        qs = qs.filter(is_delayed=False, is_at_risk=False, missed_last_week=False)
    return qs


@dataclass
class BoardColumn:
    stage: str
    label: str
    cards: list = field(default_factory=list)


def project_board(user, *, park=None, leader=None, today=None) -> dict:
    """The battle map: every visible project in its stage column, with its health. One query for
    the projects (plus the settings row), however many there are."""
    qs = projects_filtered(
        projects_with_status(projects_visible_to(user), today=today), park=park, leader=leader
    )
    columns = {stage: BoardColumn(stage, Stage(stage).label) for stage in [*STAGE_FLOW, Stage.SUSPENDED]}
    counts = {Health.ON_TRACK: 0, Health.AT_RISK: 0, Health.DELAYED: 0}
    for project in qs:
        project.health = project_health(project)
        counts[project.health] += 1
        columns[project.stage].cards.append(project)
    return {"columns": list(columns.values()), "counts": counts, "total": sum(counts.values())}


def leaders_with_projects():
    from zone_portal.accounts.models import User

    return User.objects.filter(led_projects__isnull=False).distinct().order_by("username")


def ledger_cumulative_window():
    """Investment completed up to and including this entry (yuan), summed by the database."""
    return Window(
        Sum("investment_completed"),
        partition_by=[F("project_id")],
        order_by=[F("entry_date").asc(), F("id").asc()],
        output_field=MONEY,
    )


def ledger_entry_with_cumulative(entry_id: int) -> LedgerEntry:
    """One entry with its `cumulative` over the whole project. (A window over a queryset filtered
    to that one entry would sum that entry alone: the filter applies before the window.)"""
    return (
        LedgerEntry.objects.select_related("recorded_by")
        .prefetch_related("photos")
        .annotate(cumulative=_cumulative_up_to_row())
        .get(pk=entry_id)
    )


def _cumulative_up_to_row():
    """The same sum as `ledger_cumulative_window`, as a subquery for rows read on their own."""
    earlier = (
        LedgerEntry.objects.filter(project_id=OuterRef("project_id"))
        .filter(
            Q(entry_date__lt=OuterRef("entry_date"))
            | Q(entry_date=OuterRef("entry_date"), id__lte=OuterRef("id"))
        )
        .order_by()
        .values("project_id")
        .annotate(total=Sum("investment_completed"))
        .values("total")
    )
    return Subquery(earlier, output_field=MONEY)


def ledger_photo_for(user, project_id: int, photo_id: int) -> LedgerPhoto:
    """A ledger photo of a project `user` may see; Http404 alike for missing and not theirs."""
    visible = projects_visible_to(user).filter(pk=project_id).values("pk")
    return get_visible_or_404(LedgerPhoto.objects.filter(entry__project__in=visible), photo_id)


def ledger_with_cumulative(project) -> list[LedgerEntry]:
    """The project's ledger, oldest first, each entry with its `cumulative` (yuan) and photos."""
    return list(
        LedgerEntry.objects.filter(project=project)
        .select_related("recorded_by")
        .prefetch_related("photos")
        .annotate(cumulative=ledger_cumulative_window())
        .order_by("entry_date", "id")
    )


def ledger_totals(project) -> dict:
    invested = LedgerEntry.objects.filter(project=project).aggregate(total=Sum("investment_completed"))[
        "total"
    ]
    invested = invested or ZERO
    ratio = (invested / project.total_investment * 100) if project.total_investment else ZERO
    return {"invested": invested, "ratio": ratio.quantize(Decimal("0.01"), ROUND_HALF_UP)}


def project_supervisions(project):
    return Supervision.objects.filter(project=project).select_related("supervisor")


def project_observations(project):
    return SiteObservation.objects.filter(project=project).select_related("observer")


def project_gaps(project):
    return SupervisionGap.objects.filter(project=project)


# --- quarterly evaluation (季评比) ---------------------------------------------------------------

QUARTER_RE = re.compile(r"^(\d{4})Q([1-4])$")
# The formula, also written in the README and shown on the ranking page.
WEIGHTS = {
    "observation": Decimal("0.4"),
    "milestones": Decimal("0.3"),
    "investment": Decimal("0.2"),
    "supervision": Decimal("0.1"),
}
GAP_PENALTY = Decimal("25")  # points of the supervision part lost per week without a record
HUNDRED = Decimal("100")


def quarter_parse(text: str | None, *, today: date | None = None) -> tuple[str, date, date]:
    """'2026Q4' → ('2026Q4', 2026-10-01, 2026-12-31); empty means the current quarter."""
    today = today or timezone.localdate()
    if not text:
        text = f"{today.year}Q{(today.month - 1) // 3 + 1}"
    match = QUARTER_RE.match(text.strip().upper())
    if not match:
        raise InvalidInput(fields={"quarter": [_("Write the quarter like 2026Q4.")]})
    year, q = int(match[1]), int(match[2])
    first_year, last_year = EARLIEST_DATE.year, latest_date(today).year
    if not first_year <= year <= last_year:
        raise InvalidInput(
            fields={
                "quarter": [
                    _("Choose a quarter from %(earliest)s to %(latest)s.")
                    % {"earliest": f"{first_year}Q1", "latest": f"{last_year}Q4"}
                ]
            }
        )
    start = date(year, 3 * q - 2, 1)
    end = (date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)) - timedelta(days=1)
    return f"{year}Q{q}", start, end


def _pct(part, whole) -> Decimal:
    return (Decimal(part) / Decimal(whole) * HUNDRED) if whole else HUNDRED


def _q2(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


def _competition_ranks(rows: list[dict]) -> list[dict]:
    """Sort by score (then name) and number them 1, 2, 2, 4: equal scores share a rank."""
    rows.sort(key=lambda r: (-r["score"], r["name"]))
    for i, row in enumerate(rows):
        row["rank"] = rows[i - 1]["rank"] if i and row["score"] == rows[i - 1]["score"] else i + 1
    return rows


def projects_ranking(user, *, quarter: str | None = None, today: date | None = None) -> dict:
    """Rank the visible projects (all but those still negotiating) and their parks for a quarter.

    score = 0.4·O + 0.3·M + 0.2·I + 0.1·S, each part on 0–100:
      O  average total of the quarter's monthly site observations (0 without one);
      M  share of the milestones planned in the quarter (and already due) reached on or before the
         planned date (100 when none was due);
      I  investment completed up to the quarter's end ÷ total investment (at most 100);
      S  100 − 25 per week of the quarter flagged without a weekly supervision (at least 0).
    A park's score is the average of its projects' scores. One query, whatever the number of projects.
    """
    today = today or timezone.localdate()
    label, start, end = quarter_parse(quarter, today=today)
    due_until = min(end, today - timedelta(days=1))
    quarter_milestones = Milestone.objects.filter(planned_date__gte=start, planned_date__lte=due_until)
    observations = (
        SiteObservation.objects.filter(project=OuterRef("pk"), month__gte=start, month__lte=end)
        .order_by()
        .values("project")
        .annotate(
            total=Sum(
                F("progress_score")
                + F("investment_score")
                + F("quality_score")
                + F("safety_score")
                + F("service_score")
            ),
            n=Count("pk"),
        )
    )
    qs = (
        projects_visible_to(user)
        .exclude(stage=Stage.NEGOTIATING)
        .annotate(
            obs_total=Coalesce(Subquery(observations.values("total")[:1]), Value(0)),
            obs_count=Coalesce(Subquery(observations.values("n")[:1]), Value(0)),
            due=_count_subquery(quarter_milestones),
            on_time=_count_subquery(quarter_milestones.filter(actual_date__lte=F("planned_date"))),
            invested_to_end=_sum_subquery(
                LedgerEntry.objects.filter(entry_date__lte=end), "investment_completed"
            ),
            gaps=_count_subquery(SupervisionGap.objects.filter(week_start__gte=start, week_start__lte=end)),
        )
    )
    rows = []
    for p in qs:
        parts = {
            "observation": Decimal(p.obs_total) / p.obs_count if p.obs_count else ZERO,
            "milestones": _pct(p.on_time, p.due),
            "investment": min(HUNDRED, _pct(p.invested_to_end, p.total_investment))
            if p.total_investment
            else ZERO,
            "supervision": max(ZERO, HUNDRED - GAP_PENALTY * p.gaps),
        }
        score = sum((WEIGHTS[k] * v for k, v in parts.items()), ZERO)
        rows.append(
            {
                "project": p,
                "name": p.name,
                "park": p.park,
                "parts": {k: _q2(v) for k, v in parts.items()},
                "due": p.due,
                "on_time": p.on_time,
                "gaps": p.gaps,
                "observations": p.obs_count,
                "score": _q2(score),
            }
        )
    _competition_ranks(rows)
    parks: dict[int, dict] = {}
    for row in rows:
        entry = parks.setdefault(
            row["park"].pk, {"park": row["park"], "name": row["park"].name, "scores": []}
        )
        entry["scores"].append(row["score"])
    park_rows = [
        {**p, "projects": len(p["scores"]), "score": _q2(sum(p["scores"], ZERO) / len(p["scores"]))}
        for p in parks.values()
    ]
    _competition_ranks(park_rows)
    return {"quarter": label, "start": start, "end": end, "projects": rows, "parks": park_rows}


def ledger_entries_visible_to(user) -> QuerySet:
    """Ledger entries (and their photos) follow their project."""
    return LedgerEntry.objects.filter(project__in=projects_visible_to(user).values("pk"))


def supervisions_visible_to(user) -> QuerySet:
    """Weekly supervision records follow their project."""
    return Supervision.objects.filter(project__in=projects_visible_to(user).values("pk"))


def observations_visible_to(user) -> QuerySet:
    """Monthly site observations follow their project."""
    return SiteObservation.objects.filter(project__in=projects_visible_to(user).values("pk"))
