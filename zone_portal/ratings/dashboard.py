"""What the good/bad ratings (好差评) and their rectifications count on the dashboards: the rating
fact, the ratings section (levels, satisfaction, the one coverage figure, rectifications), its
columns in the comparisons and the department score, its drill-downs. Found by the dashboard's
AppConfig like any app's `dashboard.py`; it knows no kind of case by name.

- **Coverage**: cases that became rateable in the period (`rateable_register(…, finished_at=…)`:
  completed filings, closed problems, …) and were rated ÷ those cases, over every rated kind of
  case; a park counts the cases of its park, a department those it handled (a kind declares the
  lookups). Kept in the daily rollups like the other facts (`COVERAGE`: by the day a case became
  rateable, park and department); a case changed or rated since the last refresh is recounted
  (`_coverage_touched`), and so is a case deleted, or whose rating was deleted or whose
  enterprise moved park (the receivers below).
"""

from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, Q, Value
from django.db.models.functions import Cast
from django.db.models.signals import pre_delete, pre_save
from django.utils.translation import gettext_lazy as _

from zone_portal.dashboard import charts, rollup
from zone_portal.dashboard.drilldown import Metric, Source, drilldown_register
from zone_portal.dashboard.exports import rate_cell
from zone_portal.dashboard.facts import Fact, FactUnion, changes_register, counts_sum, fact_register
from zone_portal.dashboard.parts import Part, Weight, part_register
from zone_portal.dashboard.rates import rate
from zone_portal.dashboard.scope import Scope

from .models import RECTIFICATION_FINAL, Rating, Rectification, RectificationStatus, Score
from .registry import rateable_kinds, rateable_listen
from .selectors import rated

SCORES = [s.value for s in sorted(Score, key=lambda s: -s.value)]  # 5 … 1
GOOD_SCORE_MIN = Score.BASICALLY_SATISFIED  # 非常满意, 满意, 基本满意 count as satisfied


def _scores(now):
    return {f"score_{s}": Q(score=s) for s in SCORES}


RATING = Fact(
    name="rating",
    anchor="created_at",
    keys=("handler_department_id", "park_id"),
    source=lambda: Rating.objects.annotate(park_id=F("enterprise__park_id")),
    conditions=_scores,
)


def ratings_changed(model, since):
    """The ids (`object_id`) of `model`'s cases rated, or whose rating changed, after `since`: a
    subquery for a rated kind's change reader (a rating's change changes its case's counts)."""
    concrete = model._meta.concrete_model._meta
    return Rating.objects.filter(
        updated_at__gt=since,
        content_type__app_label=concrete.app_label,
        content_type__model=concrete.model_name,
    ).values("object_id")


def rating_deletions_mark(model, facts: tuple[str, ...]) -> None:
    """Connect the receiver that marks a case of `model` in `facts` when its rating is deleted (no
    `updated_at` tells of it): for an app whose facts count its cases' ratings."""

    def deleting(sender, instance, **kwargs):
        if instance.content_type.model_class() is model:
            rollup.mark(facts, instance.object_id)

    pre_delete.connect(
        deleting, sender=Rating, weak=False, dispatch_uid=f"rollup_rating_deleting_{model._meta.label}"
    )


def _touched(since, touched) -> None:
    """Ratings changed since. One query."""
    touched.add(("rating",), *Rating.objects.filter(updated_at__gt=since).values_list("pk", flat=True))


def _rating_deleting(sender, instance, **kwargs):
    """The rating, and its case's coverage (the case counted rated)."""
    rollup.mark(("rating",), instance.pk)
    if instance.content_type.model_class() in _kinds_by_model():
        rollup.mark(("coverage",), instance.object_id)


def _enterprise_saving(sender, instance, **kwargs):
    """Ratings, and the rated kinds' cases counted under their enterprise's park (`park` read
    through `enterprise__`), are counted under the enterprise's park: a move recounts them."""
    if not rollup.park_moved(sender, instance, kwargs.get("update_fields")):
        return
    rollup.mark(("rating",), *Rating.objects.filter(enterprise=instance).values_list("pk", flat=True))
    for kind in rateable_kinds():
        if isinstance(kind.park, str) and kind.park.startswith("enterprise__"):
            cases = kind.model._default_manager.filter(enterprise=instance)
            rollup.mark(("coverage",), *cases.values_list("pk", flat=True))


# --------------------------------------------------------------------------------------------------
# Coverage: every rated kind of case


def _lookup(path):
    if path is None:
        return Cast(Value(None), IntegerField())  # typed: a bare NULL is text in SQL's UNION
    return F(path) if isinstance(path, str) else path


COVERAGE_KEYS = ("cov_park", "cov_department")


def _coverage_part(kind) -> Fact:
    """One rated kind's cases that became rateable, by that day, park and department, and those
    of them rated."""
    return Fact(
        name="coverage",
        anchor=kind.finished_at,
        keys=COVERAGE_KEYS,
        source=lambda: kind.finished().annotate(
            cov_park=_lookup(kind.park), cov_department=_lookup(kind.department)
        ),
        conditions=lambda now: {"finished": None, "rated": Q(rated(kind.model))},
    )


class CoverageFact:
    """Coverage as a rollup fact: every rated kind of case (a `FactUnion` of one `Fact` per kind)
    by the day it became rateable. The kinds are asked when counting, not at import: the apps
    register them in their `ready()`, after this module is read."""

    name = "coverage"
    keys = COVERAGE_KEYS
    counts = ("finished", "rated")

    def _union(self) -> FactUnion:
        return FactUnion(self.name, self.keys, tuple(_coverage_part(kind) for kind in rateable_kinds()))

    def cells(self, days, now) -> list[dict]:
        return self._union().cells(days, now)

    def case_cells(self, now, *, cases=None) -> list[dict]:
        return self._union().case_cells(now, cases=cases)

    def case_sql(self, now) -> tuple[str, list] | None:
        return self._union().case_sql(now)


COVERAGE = CoverageFact()


def _kinds_by_model() -> dict:
    return {kind.model: kind for kind in rateable_kinds()}


def _coverage_touched(since, touched) -> None:
    """The rateable cases changed (or rated) since. One query (a UNION ALL over the kinds)."""
    parts = []
    for kind in rateable_kinds():
        cases = kind.model._default_manager
        parts.append(cases.filter(updated_at__gt=since).values("pk").order_by())
        parts.append(cases.filter(pk__in=ratings_changed(kind.model, since)).values("pk").order_by())
    if parts:
        touched.add(("coverage",), *parts[0].union(*parts[1:], all=True).values_list("pk", flat=True))


def _case_deleting(sender, instance, **kwargs):
    """Connected per rated kind (`rateable_listen`): a deleted case leaves the coverage."""
    rollup.mark(("coverage",), instance.pk)


def _coverage(cells) -> dict:
    counts = counts_sum(cells, ("finished", "rated"))
    return {
        "rated": counts["rated"],
        "completed": counts["finished"],
        "rate": rate(counts["rated"], counts["finished"]),
    }


# --------------------------------------------------------------------------------------------------
# Levels and rectifications


def _in_scope(cell: dict, scope: Scope, *, department_key: str = "department_id") -> bool:
    if scope.department is not None:
        return cell[department_key] == scope.department.pk
    return scope.park is None or cell["park_id"] == scope.park.pk


def _rating_totals(cells) -> dict:
    """Levels of the shared ratings (好差评) in the cells: every rated kind of case."""
    counts = {str(s): sum(cell[f"score_{s}"] for cell in cells) for s in SCORES}
    total = sum(counts.values())
    bad = sum(counts[str(s)] for s in SCORES if s < GOOD_SCORE_MIN)
    return {
        "counts": counts,
        "total": total,
        "bad": bad,
        "satisfied": total - bad,
        "satisfaction_rate": rate(total - bad, total),
    }


def rectification_conditions(period, now) -> dict[str, Q]:
    # Due in the period (and already due) unless voided on appeal; replied by the deadline.
    due = Q(fix_due_at__gte=period.start, fix_due_at__lt=min(period.end, now)) & ~Q(
        status=RectificationStatus.VOIDED
    )
    replied_on_time = due & Q(replied_at__lte=F("fix_due_at"))
    overdue = Q(status=RectificationStatus.OPEN, verify_due_at__lte=now) | Q(
        status__in=[RectificationStatus.OPEN, RectificationStatus.FIXING, RectificationStatus.APPEALED],
        fix_due_at__lte=now,
    )
    return {
        "opened": period.at_times("opened_at"),
        "open": ~Q(status__in=RECTIFICATION_FINAL),
        "overdue": overdue,
        "closed": period.at_times("closed_at"),
        "due": due,
        "replied_on_time": replied_on_time,
        "late": due & ~Q(replied_at__lte=F("fix_due_at")),
    }


RECTIFICATION_COUNTS = ("opened", "open", "overdue", "closed", "due", "replied_on_time")


def _rectification_cells(period, now) -> list[dict]:
    conditions = rectification_conditions(period, now)
    counted = conditions["opened"] | conditions["closed"] | conditions["open"] | period.at_times("fix_due_at")
    return list(
        Rectification.objects.filter(counted)
        .values("department_id", park_id=F("rating__enterprise__park_id"))
        .annotate(**{name: Count("id", filter=conditions[name]) for name in RECTIFICATION_COUNTS})
        .order_by()
    )


def _rectification_totals(cells) -> dict:
    totals = counts_sum(cells, RECTIFICATION_COUNTS)
    totals["on_time_rate"] = rate(totals["replied_on_time"], totals["due"])
    return totals


# --------------------------------------------------------------------------------------------------
# The section


@dataclass(frozen=True)
class RatingRows:
    ratings: list
    rectifications: list
    coverage: list


def _rating_read(period, now, dirty, *, departments=True) -> RatingRows:
    return RatingRows(
        ratings=rollup.read(RATING, period, dirty, now),
        rectifications=_rectification_cells(period, now),
        coverage=[
            {"park_id": c["cov_park"], "department_id": c["cov_department"], **c}
            for c in rollup.read(COVERAGE, period, dirty, now)
        ],
    )


def rating_figures(scope: Scope, reading) -> dict:
    rows = reading.rows["ratings"]
    figures = _rating_totals(
        [c for c in rows.ratings if _in_scope(c, scope, department_key="handler_department_id")]
    )
    coverage = _coverage([c for c in rows.coverage if _in_scope(c, scope)])
    figures["coverage"] = coverage["rate"]
    figures["coverage_detail"] = coverage
    figures["rectifications"] = _rectification_totals([c for c in rows.rectifications if _in_scope(c, scope)])
    return figures


def _ratings_of(reading, value, *, rating_key: str, rectification_key: str) -> tuple[dict, dict]:
    """The rating and rectification totals of one park or department (`value` of those keys)."""
    rows = reading.rows["ratings"]
    ratings = _rating_totals([c for c in rows.ratings if c[rating_key] == value])
    rect = _rectification_totals([c for c in rows.rectifications if c[rectification_key] == value])
    return ratings, rect


def _rating_columns(ratings: dict) -> dict:
    return {
        "ratings": ratings["total"],
        "bad": ratings["bad"],
        "satisfaction_rate": ratings["satisfaction_rate"],
    }


def _open_rectification_columns(rect: dict) -> dict:
    return {"rectifications_open": rect["open"], "rectifications_overdue": rect["overdue"]}


def _rating_park_columns(park_id, reading) -> tuple[dict, bool]:
    ratings, rect = _ratings_of(reading, park_id, rating_key="park_id", rectification_key="park_id")
    columns = _rating_columns(ratings) | _open_rectification_columns(rect)
    return columns, bool(ratings["total"])


def _rating_department_columns(department_id, reading) -> tuple[dict, dict, bool]:
    ratings, rect = _ratings_of(
        reading, department_id, rating_key="handler_department_id", rectification_key="department_id"
    )
    columns = (
        _rating_columns(ratings)
        | {"rectifications_due": rect["due"], "rectification_on_time_rate": rect["on_time_rate"]}
        | _open_rectification_columns(rect)
    )
    rates = {"satisfaction": ratings["satisfaction_rate"], "rectification_on_time": rect["on_time_rate"]}
    return columns, rates, bool(ratings["total"] or rect["opened"] or rect["open"])


def _rating_public(reading) -> dict:
    rows = reading.rows["ratings"]
    ratings = _rating_totals(rows.ratings)
    return {
        "counts": ratings["counts"],
        "total": ratings["total"],
        "satisfaction_rate": ratings["satisfaction_rate"],
        "coverage": _coverage(rows.coverage)["rate"],
    }


def _levels() -> list[tuple[int, str]]:
    return [(score.value, score.label) for score in sorted(Score, key=lambda s: -s.value)]


# --------------------------------------------------------------------------------------------------
# Drill-downs


def _rating_rows(metric, scope, period, *, now, score=None, **filters):
    qs = Rating.objects.filter(period.at_times("created_at"))
    qs = scope.narrow(qs, department="handler_department", park="enterprise__park")
    if metric.condition == "bad":
        qs = qs.filter(score__lt=GOOD_SCORE_MIN)
    if score is not None:
        qs = qs.filter(score=score)
    return qs.select_related("enterprise", "handler_department").order_by("-created_at", "-id")


def _rectification_rows(metric, scope, period, *, now, **filters):
    qs = Rectification.objects.filter(rectification_conditions(period, now)[metric.condition])
    qs = scope.narrow(qs, department="department", park="rating__enterprise__park")
    return qs.select_related("rating", "rating__enterprise", "department").order_by("fix_due_at", "id")


METRICS = {
    "ratings": Metric(_("Ratings"), "ratings", "in_period"),
    "ratings-bad": Metric(_("Bad reviews"), "ratings", "bad"),
    "rectifications-opened": Metric(_("Rectifications opened"), "rectifications", "opened"),
    "rectifications-open": Metric(_("Rectifications open now"), "rectifications", "open"),
    "rectifications-overdue": Metric(_("Rectifications overdue now"), "rectifications", "overdue"),
    "rectifications-late": Metric(
        _("Rectifications not replied by their deadline"), "rectifications", "late"
    ),
}


# --------------------------------------------------------------------------------------------------
# The page's chart and rates, the export's rows and sheet (after the requests', place 30)


def _page(summary) -> dict:
    chart = charts.levels_chart(
        title=str(_("Ratings by level")), levels=_levels(), counts=summary["ratings"]["counts"]
    )
    return {"charts": {"ratings": chart}}


def _rates(ratings) -> list[tuple]:
    rect = ratings["rectifications"]
    return [
        (30, _("Ratings at basically satisfied or better"), ratings["satisfaction_rate"], "ratings-bad"),
        (30, _("Rectifications replied on time"), rect["on_time_rate"], "rectifications-late"),
    ]


def _overview(ratings, scope) -> list[tuple]:
    rect = ratings["rectifications"]
    return [
        (30, _("Ratings"), ratings["total"]),
        (30, _("Bad reviews"), ratings["bad"]),
        (30, _("Satisfaction rate"), rate_cell(ratings["satisfaction_rate"])),
        (30, _("Rectifications open now"), rect["open"]),
        (30, _("Rectifications overdue now"), rect["overdue"]),
        (30, _("Rectifications replied on time"), rate_cell(rect["on_time_rate"])),
    ]


def _sheets(ratings) -> list[tuple]:
    counts = [[str(label), ratings["counts"][str(value)]] for value, label in _levels()]
    return [(30, _("Ratings"), [_("Level"), _("Ratings")], counts)]


# --------------------------------------------------------------------------------------------------
# Registration

fact_register(RATING, COVERAGE)
changes_register(_touched)
changes_register(_coverage_touched)
pre_delete.connect(_rating_deleting, sender=Rating, dispatch_uid="rollup_rating_deleting")
# The rateable kinds' deletions, each kind's model connected as it registers (a receiver for
# every model would take Django's one-statement delete from every other table).
rateable_listen(
    lambda kind: pre_delete.connect(
        _case_deleting, sender=kind.model, dispatch_uid=f"rollup_coverage_deleting_{kind.model._meta.label}"
    )
)
# The enterprise model is named by the rating's reference, so the foundation imports no domain app.
pre_save.connect(
    _enterprise_saving,
    sender=Rating._meta.get_field("enterprise").related_model,
    dispatch_uid="rollup_rating_enterprise_saving",
)
part_register(
    Part(
        name="ratings",
        order=30,
        template="dashboard/_ratings.html",
        read=_rating_read,
        figures=rating_figures,
        park_columns=_rating_park_columns,
        department_columns=_rating_department_columns,
        weights={
            "satisfaction": Weight(20, _("satisfaction rate")),
            "rectification_on_time": Weight(15, _("rectifications replied on time")),
        },
        public=_rating_public,
        levels=_levels,
        page=_page,
        rates=_rates,
        overview=_overview,
        sheets=_sheets,
    )
)
drilldown_register(
    {
        "ratings": Source(_rating_rows, "ratings/_drill_ratings.html"),
        "rectifications": Source(_rectification_rows, "ratings/_drill_rectifications.html"),
    },
    METRICS,
)
