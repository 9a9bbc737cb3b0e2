"""HTML pages of social supervision: observations (supervisors, the service center, departments),
the roster, indicators (departments enter, administrators set and confirm), the ranking (leaders)
and its .xlsx. Thin: parse → check → one action → redirect; reads through the selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zone_portal.accounts.roles import Role
from zone_portal.api.permissions import role_required
from zone_portal.errors import DomainError
from zone_portal.events.log import events_for
from zone_portal.ratings.selectors import rating_for
from zone_portal.uploads import file_download
from zone_portal.web.submit import form_act, form_flash, verb_entry
from zone_portal.xlsx import xlsx_response

from . import actions, exports, permissions, selectors
from .forms import (
    AnswerForm,
    AssignForm,
    DecideForm,
    EntryForm,
    IndicatorForm,
    ObservationForm,
    PhotoForm,
    RateForm,
    ResolveForm,
    SettingsForm,
    SupervisorForm,
)
from .models import IndicatorGroup, ObservationStatus, RankingWeight
from .scoring import FORMULA

# --------------------------------------------------------------------------------------------------
# Observations


@role_required(*permissions.READERS)
def observation_list(request):
    status = request.GET.get("status", "")
    if status not in ObservationStatus.values:
        status = ""
    qs = selectors.observation_list(request.user, status=status)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/observation_list.html",
        {
            "page": page,
            "status": status,
            "statuses": ObservationStatus.choices,
            "may_file": permissions.may_file(request.user),
            "now": timezone.now(),
        },
    )


@role_required(Role.SUPERVISOR)
def observation_new(request):
    form = ObservationForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        done, status = form_act(
            request, form, actions.observation_file, success=_("Your observation was filed.")
        )
        if done:
            return done
    return render(request, "supervision/observation_form.html", {"form": form}, status=status)


def _observation_context(request, observation, forms=None) -> dict:
    user = request.user
    may_answer = permissions.may_answer(user, observation)
    rating = rating_for(observation)
    can = {
        "answer": may_answer and observation.status == ObservationStatus.SUBMITTED,
        "resolve": may_answer and observation.status == ObservationStatus.TRACKING,
        "rate": permissions.may_rate(user, observation)
        and observation.status == ObservationStatus.RESOLVED
        and rating is None,
        "assign": permissions.may_manage(user) and observation.status != ObservationStatus.RESOLVED,
        "photos": observation.supervisor_id == user.pk or may_answer,
    }
    forms = forms or {}
    return {
        "obj": observation,
        "rating": rating,
        "photos": list(observation.photos.all()),
        "events": events_for(observation),
        "can": can,
        "forms": {
            "answer": forms.get("answer") or AnswerForm(),
            "resolve": forms.get("resolve") or ResolveForm(),
            "rate": forms.get("rate") or RateForm(),
            "assign": forms.get("assign") or AssignForm(initial={"department": observation.department_id}),
            "photos": forms.get("photos") or PhotoForm(),
        },
    }


@login_required
def observation_detail(request, pk):
    observation = selectors.observation_for(request.user, pk)
    return render(request, "supervision/observation_detail.html", _observation_context(request, observation))


def _answer(actor, observation, **data):
    return actions.observation_answer(actor=actor, observation=observation, **data)


def _resolve(actor, observation, **data):
    return actions.observation_resolve(actor=actor, observation=observation, **data)


def _rate(actor, observation, **data):
    return actions.observation_rate(actor=actor, observation=observation, **data)


def _assign(actor, observation, **data):
    return actions.observation_assign(actor=actor, observation=observation, **data)


def _photos(actor, observation, **data):
    return actions.observation_photo_add(actor=actor, observation=observation, **data)


_VERBS = {
    "answer": (AnswerForm, _answer),
    "resolve": (ResolveForm, _resolve),
    "rate": (RateForm, _rate),
    "assign": (AssignForm, _assign),
    "photos": (PhotoForm, _photos),
}


@login_required
@require_POST
def observation_act(request, pk, verb):
    observation = selectors.observation_for(request.user, pk)  # 404 before anything else
    form_class, action = verb_entry(_VERBS, verb)
    form = form_class(request.POST, request.FILES)
    submitted = form_flash(
        request,
        form,
        lambda data: action(request.user, observation, **data),
        success=_("Saved."),
        refusal_on_form=True,
    )
    if submitted.ok:
        return redirect(observation)
    observation = selectors.observation_for(request.user, pk)
    context = _observation_context(request, observation, {verb: form})
    return render(request, "supervision/observation_detail.html", context, status=submitted.status)


@login_required
def photo_download(request, pk):
    photo = (
        selectors.observation_photos_visible_to(request.user).filter(pk=pk).first()
        if request.user.is_authenticated
        else None
    )
    if photo is None:
        raise Http404
    return file_download(photo.file, content_type=photo.content_type, label="photo", pk=photo.pk)


# --------------------------------------------------------------------------------------------------
# The roster


@role_required(Role.ADMIN, Role.LEADER)
def roster(request):
    form = SupervisorForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not permissions.may_manage(request.user):
            raise Http404
        done, status = form_act(
            request, form, actions.supervisor_add, success=_("Saved."), to="supervision:roster"
        )
        if done:
            return done
    supervisors = selectors.supervisors_visible_to(request.user)
    today = timezone.localdate()
    return render(
        request,
        "supervision/roster.html",
        {
            "supervisors": supervisors,
            "form": form,
            "today": today,
            "may_manage": permissions.may_manage(request.user),
        },
        status=status,
    )


# --------------------------------------------------------------------------------------------------
# Indicators


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _indicators_context(request, year: int, *, form=None) -> dict:
    manage = permissions.may_manage(request.user)
    return {
        "year": year,
        "rows": selectors.indicator_table(request.user, year),
        "groups": IndicatorGroup.choices,
        "form": form or IndicatorForm(),
        "manage": manage,
        "entry_form": EntryForm(),
        "decide_form": DecideForm(),
        "to_confirm": selectors.entries_to_confirm() if manage else [],
        "formula": FORMULA,
        "settings": selectors.supervision_settings(),
    }


@role_required(*permissions.OWNERS)
def indicators(request):
    """A department's (or park's) indicators of the year with their months; for administrators
    every owner's, the form that sets one, and the entries to confirm."""
    year = _year(request)
    form = IndicatorForm(request.POST or None)
    status = 200
    manage = permissions.may_manage(request.user)
    if request.method == "POST":
        if not manage:
            raise Http404
        done, status = form_act(
            request,
            form,
            actions.indicator_create,
            year=year,
            success=_("Saved."),
            to=f"{reverse('supervision:indicators')}?year={year}",
        )
        if done:
            return done
    context = _indicators_context(request, year, form=form)
    return render(request, "supervision/indicators.html", context, status=status)


@login_required
@require_POST
def indicator_enter(request, pk):
    indicator = selectors.indicator_for(request.user, pk)
    form = EntryForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.indicator_entry_submit(actor=request.user, indicator=indicator, **form.cleaned_data)
        except DomainError as exc:
            messages.error(
                request,
                str(exc.message) + " " + " ".join(str(r) for v in (exc.fields or {}).values() for r in v),
            )
            return redirect(f"{reverse('supervision:indicators')}?year={indicator.year}", status=exc.status)
        messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Please correct the form."))
    return redirect(f"{reverse('supervision:indicators')}?year={indicator.year}")


@login_required
@require_POST
def entry_decide(request, pk):
    entry = selectors.indicator_entry_for(request.user, pk)
    form_flash(
        request,
        DecideForm(request.POST),
        lambda data: actions.indicator_entry_decide(actor=request.user, entry=entry, **data),
        success=_("Saved."),
    )
    return redirect(f"{reverse('supervision:indicators')}?year={entry.indicator.year}")


@login_required
def entry_evidence(request, pk):
    entry = selectors.indicator_entry_for(request.user, pk)
    if not entry.evidence:
        raise Http404
    return file_download(entry.evidence, content_type=entry.evidence_type, label="evidence", pk=entry.pk)


# --------------------------------------------------------------------------------------------------
# Ranking, export, settings


def _quarter(request) -> tuple[int, int]:
    today = timezone.localdate()
    scored = selectors.scored_quarters()
    default = scored[0] if scored else (today.year, (today.month - 1) // 3 + 1)
    try:
        year = int(request.GET.get("year") or default[0])
        quarter = int(request.GET.get("quarter") or default[1])
    except ValueError:
        return default
    if not (2000 <= year <= 2100 and 1 <= quarter <= 4):
        return default
    return year, quarter


@role_required(*permissions.OWNERS)
def ranking(request):
    """The quarter's ranking: the indicators' scores of departments and parks, and the 四比四看
    score (rates + indicators) with the administrators' weights; the formula beside them."""
    year, quarter = _quarter(request)
    if request.method == "POST":
        if not permissions.may_manage(request.user):
            raise Http404
        try:
            count = actions.indicators_score_quarter(actor=request.user, year=year, quarter=quarter)
        except DomainError as exc:
            messages.error(
                request,
                str(exc.message) + " " + " ".join(str(r) for v in (exc.fields or {}).values() for r in v),
            )
        else:
            messages.success(request, _("%(n)d indicators scored.") % {"n": count})
        return redirect(f"{reverse('supervision:ranking')}?year={year}&quarter={quarter}")
    context = {
        **selectors.combined_ranking(request.user, year, quarter),
        "formula": FORMULA,
        "scored": selectors.scored_quarters(),
        "manage": permissions.may_manage(request.user),
        "quarters": [1, 2, 3, 4],
    }
    return render(request, "supervision/ranking.html", context)


@role_required(*permissions.OWNERS)
def ranking_xlsx(request):
    year, quarter = _quarter(request)
    content = exports.ranking_workbook(selectors.combined_ranking(request.user, year, quarter))
    return xlsx_response(content, f"ranking-{year}Q{quarter}.xlsx")


@role_required(Role.ADMIN)
def settings_page(request):
    from zone_portal.dashboard.parts import default_department_weights, department_weights

    current = selectors.supervision_settings()
    form = SettingsForm(
        request.POST or None,
        initial={
            f: getattr(current, f)
            for f in ("answer_days", "at_risk_ratio", "quantitative_count", "key_count", "highlight_count")
        },
    )
    status = 200
    if request.method == "POST":
        weights = {k[len("weight_") :]: v for k, v in request.POST.items() if k.startswith("weight_")}

        def save(*, actor, **data):
            actions.supervision_settings_update(actor=actor, **data)
            if weights:
                actions.ranking_weights_update(actor=actor, weights=weights)

        done, status = form_act(request, form, save, success=_("Saved."), to="supervision:settings")
        if done:
            return done
    from zone_portal.dashboard.parts import department_weight_labels

    labels = department_weight_labels()
    context = {
        "form": form,
        "weights": department_weights(),
        # Each part by its name, not its code (issue 14: no internal codes on a page).
        "weight_rows": [(key, labels.get(key, key), weight) for key, weight in department_weights().items()],
        "defaults": default_department_weights(),
        "overridden": set(RankingWeight.objects.values_list("part", flat=True)),
    }
    return render(request, "supervision/settings.html", context, status=status)
