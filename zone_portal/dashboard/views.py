"""Dashboard pages: the zone (administrators), a park, a department; drill-downs; the .xlsx export;
the public figures page. Thin: parse the period and the scope, read the selectors, draw the charts."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from zone_portal.accounts.roles import Role
from zone_portal.api.permissions import role_required
from zone_portal.errors import InvalidInput, NotFoundError, PermissionDeniedError
from zone_portal.org.models import Department, Park
from zone_portal.pagination import CappedPaginator
from zone_portal.replica import replica_view
from zone_portal.web.navigation import desk_for
from zone_portal.xlsx import xlsx_response

from . import charts, exports
from .drilldown import METRICS, drilldown_rows, drilldown_template
from .parts import department_weight_labels, department_weights, parts, placed, score_labels
from .periods import Period, period_from_params
from .scope import DASHBOARD_ROLES, PARK_ROLES, scope_for
from .selectors import dashboard_summary, dashboard_summary_kept, headline_figures, public_figures

PERIODS = [
    ("month", _("This month")),
    ("quarter", _("This quarter")),
    ("year", _("This year")),
    ("custom", _("Custom dates")),
]
PUBLIC_CACHE_SECONDS = 300


def department_formula(weights: dict[str, int] | None = None) -> str:
    labels = department_weight_labels()
    weights = department_weights() if weights is None else weights
    parts = " + ".join(f"{weight} × {labels.get(key, key)}" for key, weight in weights.items())
    return str(_("score = (%(parts)s) ÷ the weights of the parts that had cases") % {"parts": parts})


def _period_params(period: Period) -> dict:
    return {"period": "custom", "from": period.first.isoformat(), "to": period.last.isoformat()}


def _charts(pages: list[dict], rates: list[tuple]) -> dict:
    """The SVG charts of a summary: the rates, and the parts' own (Part.page; a weekly trend's comes
    with its table, see weeks.py); the template prints each one's numbers as a table too."""
    out = {
        "rates": charts.bar_chart(
            title=str(_("Rates")),
            width=560,
            items=[(str(label), value) for label, value, _m in rates],
        ),
    }
    for page in pages:
        out.update(page.get("charts", {}))
    return out


def _dashboard(request, *, view: str, title):
    user = request.user
    context = {"title": title, "periods": PERIODS, "chosen_period": request.GET.get("period") or "year"}
    if not request.GET.get("period") and (request.GET.get("from") or request.GET.get("to")):
        context["chosen_period"] = "custom"
    try:
        scope = scope_for(user, request.GET, view=view)
        period = period_from_params(request.GET)
    except (NotFoundError, PermissionDeniedError):
        raise Http404 from None
    except InvalidInput as exc:
        context["error"] = exc
        return render(request, "dashboard/dashboard.html", context, status=400)
    summary = dashboard_summary_kept(scope, period, user=user)
    pages = [part.page(summary) for part in parts() if part.page]  # what the apps add to the page
    # (label, rate, drill-down metric of the cases that missed) for the rates chart and table
    rates = placed(summary, "rates")
    period_params = _period_params(period)
    for page in pages:
        context.update({key: value for key, value in page.items() if key != "charts"})
    context.update(
        scope=scope,
        period=period,
        summary=summary,
        charts=_charts(pages, rates),
        rate_rows=rates,
        score_labels=score_labels(),
        period_params=period_params,
        base_params={**period_params, **scope.as_params()},
        base_query=urlencode({**period_params, **scope.as_params()}),
        rating_rows=[
            (score, label, summary["ratings"]["counts"][str(score)]) for score, label in score_labels()
        ],
        department_formula=department_formula(summary.get("department_weights")),
        # Every section in the parts' order; a part with figures shows when it has some.
        part_templates=[
            part.template
            for part in parts()
            if part.template and (part.figures is None or summary.get(part.name) is not None)
        ],
        url_name=request.resolver_match.view_name,
    )
    if view == "zone":
        context["parks"] = Park.objects.all()
        context["departments"] = Department.objects.all()
    elif view == "park" and len(user.park_ids) > 1:
        context["parks"] = Park.objects.filter(pk__in=user.park_ids)
    elif view == "department" and len(user.department_ids) > 1:
        context["departments"] = Department.objects.filter(pk__in=user.department_ids)
    return render(request, "dashboard/dashboard.html", context)


@replica_view
@login_required
def index(request):
    """The zone's dashboard for administrators; anyone else is sent to the dashboard of their park
    or department, or to their own page (a leader's desk), never to a bare 404."""
    user = request.user
    if not user.is_zone_admin:
        if user.has_role(*PARK_ROLES):
            return redirect("dashboard:park")
        if user.has_role(Role.DEPARTMENT_OFFICER):
            return redirect("dashboard:department")
        desk = desk_for(user)
        if desk is None:
            raise Http404
        return redirect(desk)
    return _dashboard(request, view="zone", title=_("Zone dashboard"))


@replica_view
@role_required(*PARK_ROLES)
def park(request):
    return _dashboard(request, view="park", title=_("Park dashboard"))


@replica_view
@role_required(Role.DEPARTMENT_OFFICER)
def department(request):
    return _dashboard(request, view="department", title=_("Department scoreboard"))


def _dashboard_url_name(user) -> str:
    if user.is_zone_admin:
        return "dashboard:index"
    if user.has_role(*PARK_ROLES):
        return "dashboard:park"
    return "dashboard:department"


def _optional_int(request, name: str) -> int | None:
    value = request.GET.get(name, "")
    if not value:
        return None
    if not value.isdigit():
        raise InvalidInput(fields={name: [_("Choose one from the list.")]})
    return int(value)


@replica_view
@role_required(*DASHBOARD_ROLES)
def drill(request, metric: str):
    """The cases behind one figure, for the same period and scope as the dashboard that linked here."""
    definition = METRICS.get(metric)
    if definition is None:
        raise Http404
    context = {"metric": definition, "slug": metric}
    try:
        scope = scope_for(request.user, request.GET)
        period = period_from_params(request.GET)
        service = _optional_int(request, "service")
        score = _optional_int(request, "score")
        tier = _optional_int(request, "tier")
    except (NotFoundError, PermissionDeniedError):
        raise Http404 from None
    except InvalidInput as exc:
        context["error"] = exc
        return render(request, "dashboard/drilldown.html", context, status=400)
    rows = drilldown_rows(
        definition,
        scope,
        period,
        user=request.user,
        now=timezone.now(),
        service=service,
        score=score,
        tier=tier,
        project=request.GET.get("project") == "1",
        without_park=request.GET.get("without_park") == "1",
    )
    page = CappedPaginator(rows, 25).get_page(request.GET.get("page"))
    period_params = _period_params(period)
    context.update(
        scope=scope,
        period=period,
        page=page,
        back_url=f"{reverse(_dashboard_url_name(request.user))}?{urlencode({**period_params, **scope.as_params()})}",
        now=timezone.now(),
        row_template=drilldown_template(definition.source),
    )
    return render(request, "dashboard/drilldown.html", context)


@replica_view
@role_required(*DASHBOARD_ROLES)
def export(request):
    """The dashboard's tables as one .xlsx workbook (same period and scope as the page)."""
    try:
        scope = scope_for(request.user, request.GET)
        period = period_from_params(request.GET)
    except (NotFoundError, PermissionDeniedError):
        raise Http404 from None
    except InvalidInput as exc:
        return HttpResponse(str(exc.message), status=400, content_type="text/plain; charset=utf-8")
    summary = dashboard_summary(scope, period, user=request.user)
    content = exports.dashboard_workbook(summary, scope=scope, period=period)
    filename = f"dashboard-{scope.kind}-{period.first:%Y%m%d}-{period.last:%Y%m%d}.xlsx"
    return xlsx_response(content, filename)


PUBLIC_PERIODS = PERIODS[:3]


@replica_view
def public(request):
    """The zone's figures without sign-in: aggregates only (no enterprise, no person, no case)."""
    kind = request.GET.get("period") if request.GET.get("period") in dict(PUBLIC_PERIODS) else "year"
    period = period_from_params({"period": kind})
    # The figures hold translated labels (service time limits): one cached copy per language.
    key = f"dashboard:public:{translation.get_language()}:{period.first}:{period.last}"
    figures = cache.get(key)
    if figures is None:
        figures = public_figures(period)
        cache.set(key, figures, PUBLIC_CACHE_SECONDS)
    context = {
        "figures": figures,
        "period": period,
        "periods": PUBLIC_PERIODS,
        "chosen_period": kind,
        "rating_rows": [
            (score, label, figures["ratings"]["counts"][str(score)]) for score, label in score_labels()
        ],
        "ratings_chart": charts.levels_chart(
            title=str(_("Ratings by level")), levels=score_labels(), counts=figures["ratings"]["counts"]
        ),
        "language": translation.get_language(),
        # Sections the page does not lay out by name: each part's own partial.
        "public_sections": [
            {"template": part.public_template, "figures": figures.get(part.name)}
            for part in parts()
            if part.public_template and figures.get(part.name) is not None
        ],
    }
    return render(request, "dashboard/public.html", context)


def home_panel(request) -> dict:
    """The home page panel: this month's headline figures of the user's dashboard, and its link."""
    user = request.user
    view = {"dashboard:index": "zone", "dashboard:park": "park", "dashboard:department": "department"}
    name = _dashboard_url_name(user)
    try:
        scope = scope_for(user, {}, view=view[name])
    except (NotFoundError, PermissionDeniedError):
        return {"figures": None}
    period = period_from_params({"period": "month"})
    return {
        "figures": headline_figures(scope, period),
        "scope": scope,
        "url": reverse(name),
        "drill_query": urlencode({**_period_params(period), **scope.as_params()}),
    }
