"""Every write of supervision: the roster, observations and their answers, the indicators, their
monthly entries and the quarterly scoring, the ranking's weights.

Each action is atomic; a case's row is locked (`select_for_update`) and its status changes only
through `zone_portal.cases.transitions.transition` (409 on a wrong move); events and
notifications are written in the same transaction. Permission is checked before the input (a
user who may not act learns nothing from a 400).
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zone_portal.accounts.models import User, UserRole
from zone_portal.accounts.roles import Role
from zone_portal.cases.clock import deadline_after, deadline_until, working_days
from zone_portal.cases.told import case_told
from zone_portal.cases.transitions import transition
from zone_portal.cases.unique import refuse_duplicate
from zone_portal.checks import text_input
from zone_portal.dashboard.periods import Period
from zone_portal.dates import parse_date_in_range
from zone_portal.errors import Conflict, InvalidInput, PermissionDeniedError
from zone_portal.events.log import event_record
from zone_portal.ratings.actions import rating_submit
from zone_portal.uploads import (
    DOCUMENTS,
    PHOTOS,
    content_type_of,
    upload_count_check,
    upload_kind,
    uploads_check,
)

from . import notices, permissions, scoring
from .models import (
    Combine,
    EntryStatus,
    Indicator,
    IndicatorEntry,
    IndicatorGroup,
    IndicatorResult,
    Measure,
    Observation,
    ObservationCategory,
    ObservationPhoto,
    ObservationStatus,
    Place,
    RankingWeight,
    SupervisionSettings,
    Supervisor,
)
from .selectors import quarter_bounds, quarter_months, supervision_settings

OS = ObservationStatus


def _date(value, field: str):
    """A date (or `YYYY-MM-DD`) within the accepted range, or InvalidInput naming the field."""
    from django.core.exceptions import ValidationError

    if isinstance(value, date):
        value = value.isoformat()
    try:
        return parse_date_in_range(str(value or ""))
    except ValidationError as exc:
        raise InvalidInput(fields={field: list(exc.messages)}) from None


def _forbid(message=None):
    raise PermissionDeniedError(message or _("You may not do this."))


def _require(condition: bool, message=None):
    if not condition:
        _forbid(message)


def _decimal(value, field: str, *, minimum: Decimal | None = None) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise InvalidInput(fields={field: [_("Enter a number.")]}) from None
    if not number.is_finite() or abs(number) >= Decimal("1e10"):
        raise InvalidInput(fields={field: [_("Enter a number.")]})
    if minimum is not None and number < minimum:
        raise InvalidInput(fields={field: [_("At least %(n)s.") % {"n": minimum}]})
    return number.quantize(Decimal("0.01"))


def _whole(value, field: str, *, low: int, high: int, message) -> int:
    """A whole number from `low` to `high` (a form's text or the API's number); `message` on
    `field` otherwise."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = low - 1
    if not low <= number <= high:
        raise InvalidInput(fields={field: [message]})
    return number


def _choice(value, choices, field: str) -> str:
    if value not in choices.values:
        raise InvalidInput(fields={field: [_("Choose one from the list.")]})
    return value


# --------------------------------------------------------------------------------------------------
# Settings and the roster


def supervision_settings_update(*, actor, **values) -> SupervisionSettings:
    _require(permissions.may_manage(actor))
    settings = supervision_settings()
    for name in ("answer_days", "at_risk_ratio"):
        if name in values:
            setattr(settings, name, _decimal(values[name], name, minimum=Decimal("0.01")))
    if "at_risk_ratio" in values and not settings.at_risk_ratio < 1:
        raise InvalidInput(fields={"at_risk_ratio": [_("Less than 1.")]})
    for name in ("quantitative_count", "key_count", "highlight_count"):
        if name in values:
            try:
                count = int(values[name])
            except (TypeError, ValueError):
                count = -1
            if not 0 <= count <= 50:
                raise InvalidInput(fields={name: [_("A whole number from 0 to 50.")]})
            setattr(settings, name, count)
    settings.save()
    return settings


def supervisor_add(
    *,
    actor,
    username: str,
    name: str,
    phone: str,
    term_start,
    term_end,
    organisation: str = "",
    password=None,
) -> Supervisor:
    """Put a person on the roster: their account (created if new) gets the supervisor role."""
    _require(permissions.may_manage(actor))
    username = text_input(username, "username", limit=150)
    name = text_input(name, "name", limit=100)
    phone = text_input(phone, "phone", limit=32)
    term_start = _date(term_start, "term_start")
    term_end = _date(term_end, "term_end")
    if term_end < term_start:
        raise InvalidInput(fields={"term_end": [_("The term cannot end before it starts.")]})
    with transaction.atomic():
        user, created = User.objects.get_or_create(username=username, defaults={"display_name": name})
        if created:
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
        if Supervisor.objects.filter(user=user).exists():
            raise Conflict(
                _("This account is on the roster already."),
                fields={"username": [_("Already on the roster.")]},
            )
        UserRole.objects.get_or_create(user=user, role=Role.SUPERVISOR)
        supervisor = Supervisor.objects.create(
            user=user,
            name=name,
            phone=phone,
            organisation=organisation.strip()[:200],
            term_start=term_start,
            term_end=term_end,
        )
        event_record(case=supervisor, kind="appointed", actor=actor, data={"until": term_end.isoformat()})
    return supervisor


def supervisor_update(*, actor, supervisor: Supervisor, **values) -> Supervisor:
    _require(permissions.may_manage(actor))
    with transaction.atomic():
        supervisor = Supervisor.objects.select_for_update().get(pk=supervisor.pk)
        for name in ("name", "phone", "organisation"):
            if name in values:
                setattr(
                    supervisor,
                    name,
                    text_input(values[name], name, required=name != "organisation", limit=200),
                )
        for name in ("term_start", "term_end"):
            if name in values:
                setattr(supervisor, name, _date(values[name], name))
        if supervisor.term_end < supervisor.term_start:
            raise InvalidInput(fields={"term_end": [_("The term cannot end before it starts.")]})
        if "active" in values:
            supervisor.active = bool(values["active"])
        supervisor.save()
        event_record(case=supervisor, kind="updated", actor=actor)
    return supervisor


# --------------------------------------------------------------------------------------------------
# Observations


def _responders(observation) -> list[int]:
    """Who answers: the department's officers and clerks, or (no department) the hall's clerks; the
    administrators always."""
    from zone_portal.access.scopes import DEPARTMENT_ROLES

    admins = User.objects.filter(is_active=True, role_grants__role=Role.ADMIN)
    if observation.department_id is None:
        people = User.objects.filter(is_active=True, role_grants__role=Role.CLERK)
    else:
        people = User.objects.filter(
            is_active=True, departments=observation.department_id, role_grants__role__in=DEPARTMENT_ROLES
        )
    return sorted(set(people.values_list("id", flat=True)) | set(admins.values_list("id", flat=True)))


def observation_file(
    *,
    actor,
    category: str,
    place: str,
    description: str,
    place_detail: str = "",
    park=None,
    department=None,
    enterprise=None,
    observed_at: datetime | None = None,
    photos=(),
) -> Observation:
    """A supervisor files an observation, with or without an enterprise (a queue-number machine of
    the hall concerns none). The answer's clock starts on the working calendar."""
    _require(permissions.may_file(actor), _("Only a social supervisor files observations."))
    roster = Supervisor.objects.filter(user=actor).first()
    if roster is None or not roster.in_office_on(timezone.localdate()):
        _forbid(_("Your term of office as a social supervisor is not running."))
    category = _choice(category, ObservationCategory, "category")
    place = _choice(place, Place, "place")
    description = text_input(description, "description", limit=4000)
    if place == Place.PARK_OFFICE and park is None:
        raise InvalidInput(fields={"park": [_("Choose the park.")]})
    if place == Place.DEPARTMENT and department is None:
        raise InvalidInput(fields={"department": [_("Choose the department.")]})
    now = timezone.now()
    observed_at = observed_at or now
    if observed_at > now + timedelta(minutes=5):
        raise InvalidInput(fields={"observed_at": [_("Not in the future.")]})
    photos = list(photos)
    kinds = uploads_check(photos, accept=PHOTOS, field="photos")
    upload_count_check(existing=0, adding=len(photos), field="photos")
    settings = supervision_settings()
    clock = deadline_after(now, working_days(settings.answer_days), at_risk_ratio=settings.at_risk_ratio)
    with transaction.atomic():
        observation = Observation.objects.create(
            supervisor=actor,
            category=category,
            place=place,
            place_detail=(place_detail or "").strip()[:100],
            park=park,
            department=department,
            enterprise=enterprise,
            observed_at=observed_at,
            description=description,
            created_at=now,
            risk_at=clock.risk_at,
            due_at=clock.due_at,
        )
        for upload, kind in zip(photos, kinds, strict=True):
            _photo_save(observation, upload, kind, actor)
        case_told(
            observation,
            kind="filed",
            actor=actor,
            to_state=OS.SUBMITTED,
            reason=description[:200],
            recipients=_responders(observation),
            code=notices.TO_ANSWER,
            params=notices.observation_params(observation),
            notification_kind="observation_filed",
        )
    return observation


def _photo_save(observation, upload, kind, actor) -> ObservationPhoto:
    content_type = content_type_of(kind)
    photo = ObservationPhoto(
        observation=observation,
        content_type=content_type,
        name=(getattr(upload, "name", "") or "")[:200],
        uploaded_by=actor,
    )
    photo.file.save(f"upload.{kind}", upload, save=False)
    photo.save()
    return photo


def observation_photo_add(*, actor, observation: Observation, photos) -> list[ObservationPhoto]:
    _require(observation.supervisor_id == actor.pk or permissions.may_answer(actor, observation))
    photos = list(photos)
    kinds = uploads_check(photos, accept=PHOTOS, field="photos")
    with transaction.atomic():
        observation = Observation.objects.select_for_update().get(pk=observation.pk)
        upload_count_check(existing=observation.photos.count(), adding=len(photos), field="photos")
        return [
            _photo_save(observation, upload, kind, actor) for upload, kind in zip(photos, kinds, strict=True)
        ]


def observation_assign(*, actor, observation: Observation, department) -> Observation:
    """An administrator gives an unanswered or tracked observation to a department (None: back to
    the service center); the clock runs on."""
    _require(permissions.may_manage(actor))
    with transaction.atomic():
        observation = Observation.objects.select_for_update().get(pk=observation.pk)
        if observation.status == OS.RESOLVED:
            raise Conflict(_("This observation is rectified already."))
        if observation.place == Place.DEPARTMENT and department is None:
            raise InvalidInput(fields={"department": [_("Choose the department.")]})
        observation.department = department
        observation.save(update_fields=["department"])
        case_told(
            observation,
            kind="assigned",
            actor=actor,
            # no department: the service center, named in the reader's language (`timeline.py`)
            data={"department_name": department.name} if department else {"service_center": True},
            recipients=_responders(observation),
            code=notices.TO_ANSWER,
            params=notices.observation_params(observation),
            notification_kind="observation_filed",
        )
    return observation


def _end_of_day(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(17, 30)))


def observation_answer(
    *, actor, observation: Observation, measures: str, fixed_at_once: bool, rectify_by=None
) -> Observation:
    """The service center or the department answers with its measures: fixed at once (立行立改,
    rectified now), or tracked to the end with a deadline — a new clock on the engine (its own
    round, so the sweep reminds and escalates once for it)."""
    _require(permissions.may_answer(actor, observation))
    measures = text_input(measures, "measures", limit=4000)
    now = timezone.now()
    if not fixed_at_once:
        if not rectify_by:
            raise InvalidInput(fields={"rectify_by": [_("Give the date by which it is rectified.")]})
        rectify_by = _date(rectify_by, "rectify_by")
        if rectify_by < timezone.localdate(now):
            raise InvalidInput(fields={"rectify_by": [_("Not in the past.")]})
    with transaction.atomic():
        observation = Observation.objects.select_for_update().get(pk=observation.pk)
        to = OS.RESOLVED if fixed_at_once else OS.TRACKING
        previous = transition(observation, to)
        late = observation.due_at is not None and observation.due_at <= now
        observation.answered_at, observation.answered_by, observation.measures = now, actor, measures
        observation.fixed_at_once = bool(fixed_at_once)
        observation.was_overdue = observation.was_overdue or late
        if fixed_at_once:
            observation.resolved_at, observation.result = now, measures
        else:
            due = _end_of_day(rectify_by)
            settings = supervision_settings()
            clock = deadline_until(now, due, at_risk_ratio=settings.at_risk_ratio)
            observation.rectify_by, observation.risk_at, observation.due_at = due, clock.risk_at, due
            observation.deadline_round += 1
            observation.reminded_at = observation.overdue_at = None
        observation.save()
        case_told(
            observation,
            kind="fixed_at_once" if fixed_at_once else "tracked",
            actor=actor,
            from_state=previous,
            to_state=to,
            reason=measures[:200],
            data={} if fixed_at_once else {"rectify_by": rectify_by.isoformat()},
            recipients=[observation.supervisor_id],
            code=notices.ANSWERED,
            params=notices.observation_params(observation),
            notification_kind="observation_answered",
        )
    return observation


def observation_resolve(*, actor, observation: Observation, result: str) -> Observation:
    """A tracked observation is rectified: the result is reported and the clock stops."""
    _require(permissions.may_answer(actor, observation))
    result = text_input(result, "result", limit=4000)
    now = timezone.now()
    with transaction.atomic():
        observation = Observation.objects.select_for_update().get(pk=observation.pk)
        previous = transition(observation, OS.RESOLVED)
        observation.resolved_at, observation.result = now, result
        observation.was_overdue = observation.was_overdue or (
            observation.due_at is not None and observation.due_at <= now
        )
        observation.save()
        case_told(
            observation,
            kind="resolved",
            actor=actor,
            from_state=previous,
            to_state=OS.RESOLVED,
            reason=result[:200],
            recipients=[observation.supervisor_id],
            code=notices.RECTIFIED,
            params=notices.observation_params(observation),
            notification_kind="observation_answered",
        )
    return observation


def observation_rate(*, actor, observation: Observation, score, comment: str = ""):
    """The supervisor rates the answer of a rectified observation, on the one good/bad scale of the
    portal (`zone_portal.ratings`): one rating per observation; a bad one opens a rectification
    owned by the answering department."""
    _require(
        permissions.may_rate(actor, observation), _("Only the supervisor who filed it rates the answer.")
    )
    if observation.status != OS.RESOLVED:
        raise Conflict(_("An observation is rated once it is rectified."), code="not_rectified")
    return rating_submit(actor=actor, case=observation, score=score, comment=(comment or "").strip()[:2000])


# --------------------------------------------------------------------------------------------------
# Indicators


def indicator_create(
    *,
    actor,
    year,
    group,
    name,
    weight,
    target,
    unit,
    measure,
    source="",
    combine=Combine.SUM,
    department=None,
    park=None,
    order=100,
) -> Indicator:
    """An administrator sets an indicator of a department or a park for a year. A group holds at
    most the number of indicators the settings give it (10 / 5 / 2 by default)."""
    _require(permissions.may_manage(actor))
    year = _whole(year, "year", low=2000, high=2100, message=_("A year from 2000 to 2100."))
    if (department is None) == (park is None):
        raise InvalidInput(fields={"department": [_("Choose a department or a park (one of them).")]})
    group = _choice(group, IndicatorGroup, "group")
    measure = _choice(measure, Measure, "measure")
    combine = _choice(combine or Combine.SUM, Combine, "combine")
    from .figures import SOURCES

    source = (source or "").strip()
    if measure == Measure.PORTAL and source not in SOURCES:
        raise InvalidInput(fields={"source": [_("Choose the portal figure it is measured by.")]})
    if measure == Measure.ENTRY:
        source = ""
    values = {
        "name": text_input(name, "name", limit=200),
        "unit": text_input(unit, "unit", limit=20),
        "weight": _decimal(weight, "weight", minimum=Decimal("0.01")),
        "target": _decimal(target, "target", minimum=Decimal("0.01")),
    }
    with transaction.atomic():
        owner = {"department": department} if department is not None else {"park": park}
        # Lock the owner's indicators of the year so two creations cannot both pass the count.
        existing = list(
            Indicator.objects.select_for_update()
            .filter(year=year, group=group, **owner)
            .values_list("id", flat=True)
        )
        limit = supervision_settings().group_count(group)
        if len(existing) >= limit:
            raise Conflict(
                _("This group holds %(n)d indicators at most (an administrator's setting).") % {"n": limit},
                code="group_full",
                fields={"group": [_("Full.")]},
            )
        indicator = Indicator.objects.create(
            year=year,
            group=group,
            measure=measure,
            source=source,
            combine=combine,
            order=int(order or 100),
            **owner,
            **values,
        )
    return indicator


def indicator_update(*, actor, indicator: Indicator, **values) -> Indicator:
    _require(permissions.may_manage(actor))
    with transaction.atomic():
        indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
        if "name" in values:
            indicator.name = text_input(values["name"], "name", limit=200)
        if "unit" in values:
            indicator.unit = text_input(values["unit"], "unit", limit=20)
        for name in ("weight", "target"):
            if name in values:
                setattr(indicator, name, _decimal(values[name], name, minimum=Decimal("0.01")))
        indicator.save()
    return indicator


def indicator_remove(*, actor, indicator: Indicator) -> None:
    _require(permissions.may_manage(actor))
    with transaction.atomic():
        if indicator.entries.filter(status=EntryStatus.CONFIRMED).exists() or indicator.results.exists():
            raise Conflict(_("This indicator has confirmed entries or results; change its weight instead."))
        indicator.delete()


def indicator_entry_submit(
    *, actor, indicator: Indicator, month, value, note: str = "", evidence=None
) -> IndicatorEntry:
    """The department (or park) enters a month's value with its evidence; a returned entry is
    entered again; a confirmed one stays as it is (409)."""
    _require(permissions.may_enter(actor, indicator), _("Only the indicator's department or park enters it."))
    if indicator.measure != Measure.ENTRY:
        raise Conflict(
            _("This indicator is measured from the portal's own figures."), code="measured_by_portal"
        )
    month = _whole(month, "month", low=1, high=12, message=_("A month from 1 to 12."))
    today = timezone.localdate()
    if (indicator.year, month) > (today.year, today.month):
        raise InvalidInput(fields={"month": [_("This month has not begun.")]})
    value = _decimal(value, "value")
    kind = upload_kind(evidence, accept=DOCUMENTS, field="evidence") if evidence else None
    with transaction.atomic():
        entry = IndicatorEntry.objects.select_for_update().filter(indicator=indicator, month=month).first()
        if entry is None:
            with refuse_duplicate(
                Conflict(_("This month was just entered by someone else; reload."), code="entered")
            ):
                entry = IndicatorEntry.objects.create(
                    indicator=indicator,
                    month=month,
                    value=value,
                    note=note.strip()[:2000],
                    entered_by=actor,
                )
            previous = ""
        else:
            previous = transition(
                entry, EntryStatus.ENTERED, message=_("This month's value is confirmed already.")
            )
            entry.value, entry.note, entry.entered_by, entry.entered_at = (
                value,
                note.strip()[:2000],
                actor,
                timezone.now(),
            )
        if kind is not None:
            entry.evidence_type = content_type_of(kind)
            entry.evidence.save(f"upload.{kind}", evidence, save=False)
        entry.save()
        event_record(
            case=entry,
            kind="entered",
            actor=actor,
            from_state=previous,
            to_state=EntryStatus.ENTERED,
            data={"value": str(value)},
        )
    return entry


def indicator_entry_decide(*, actor, entry: IndicatorEntry, confirm: bool, note: str = "") -> IndicatorEntry:
    """An administrator confirms an entry (it counts from then on) or returns it with a reason."""
    _require(permissions.may_manage(actor))
    note = (note or "").strip()
    if not confirm and not note:
        raise InvalidInput(fields={"note": [_("Say why it is returned.")]})
    with transaction.atomic():
        entry = IndicatorEntry.objects.select_for_update().get(pk=entry.pk)
        to = EntryStatus.CONFIRMED if confirm else EntryStatus.RETURNED
        previous = transition(entry, to)
        entry.decided_by, entry.decided_at, entry.decision_note = actor, timezone.now(), note[:2000]
        entry.save()
        case_told(
            entry,
            kind=to,
            actor=actor,
            from_state=previous,
            to_state=to,
            reason=note[:200],
            recipients=[entry.entered_by_id],
            code=notices.ENTRY_CONFIRMED if confirm else notices.ENTRY_RETURNED,
            params={"name": entry.indicator.name},
            url="",
            notification_kind="indicator_entry",
        )
    return entry


def _entered_actual(indicator, confirmed: list) -> Decimal | None:
    if not confirmed:
        return None
    total = sum(confirmed, Decimal(0))
    return total / len(confirmed) if indicator.combine == Combine.AVERAGE else total


def indicators_score_quarter(*, actor, year: int, quarter: int, now=None) -> int:
    """Score every indicator of `year` for `quarter` (again, if scored before): the figure from the
    portal or the confirmed entries, the attainment against the target, the weighted points
    (`scoring`). Returns how many indicators were scored. A quarter not yet begun is refused."""
    if actor is not None:
        _require(permissions.may_manage(actor))
    now = now or timezone.now()
    try:
        year, quarter = int(year), int(quarter)
    except (TypeError, ValueError):
        raise InvalidInput(fields={"quarter": [_("Choose a quarter.")]}) from None
    if not 1 <= quarter <= 4 or not 2000 <= year <= 2100:
        raise InvalidInput(fields={"quarter": [_("Choose a quarter.")]})
    first, last = quarter_bounds(year, quarter)
    if first > timezone.localdate(now):
        raise InvalidInput(fields={"quarter": [_("This quarter has not begun.")]})
    indicators = list(Indicator.objects.filter(year=year))
    if not indicators:
        return 0
    figures = {}
    if any(i.measure == Measure.PORTAL for i in indicators):
        from .figures import portal_figures

        figures = portal_figures(Period(first, last), now=now, user=actor)
    months = quarter_months(quarter)
    confirmed: dict[int, list] = {}
    for indicator_id, value in IndicatorEntry.objects.filter(
        indicator__year=year, month__in=months, status=EntryStatus.CONFIRMED
    ).values_list("indicator_id", "value"):
        confirmed.setdefault(indicator_id, []).append(value)
    rows = []
    for indicator in indicators:
        owner = (
            ("department", indicator.department_id)
            if indicator.department_id
            else ("park", indicator.park_id)
        )
        if indicator.measure == Measure.PORTAL:
            actual = figures.get(indicator.source, {}).get(owner)
            actual = None if actual is None else Decimal(str(actual))
            attained = scoring.attainment(actual, indicator.target)
        else:
            actual = _entered_actual(indicator, confirmed.get(indicator.pk, []))
            attained = scoring.attainment(actual, indicator.target) if actual is not None else Decimal(0)
        rows.append(
            IndicatorResult(
                indicator=indicator,
                quarter=quarter,
                actual=actual,
                attainment=attained,
                points=scoring.points(indicator.weight, attained),
                scored_at=now,
            )
        )
    with transaction.atomic():
        IndicatorResult.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["indicator", "quarter"],
            update_fields=["actual", "attainment", "points", "scored_at"],
        )
    return len(rows)


def ranking_weights_update(*, actor, weights: dict) -> dict[str, int]:
    """An administrator sets the weights of the 四比四看 score's parts (rates and indicators). Keys
    are the parts the dashboard knows; each weight 0–100; not all zero."""
    from zone_portal.dashboard.parts import default_department_weights

    _require(permissions.may_manage(actor))
    known = default_department_weights()
    cleaned, errors = {}, {}
    for key, value in weights.items():
        if key not in known:
            errors[key] = [_("Unknown part.")]
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = -1
        if not 0 <= number <= 100:
            errors[key] = [_("A whole number from 0 to 100.")]
        cleaned[key] = number
    if errors:
        raise InvalidInput(fields=errors)
    merged = {**known, **dict(RankingWeight.objects.values_list("part", "weight")), **cleaned}
    if not any(merged[key] for key in known):
        raise InvalidInput(_("At least one weight must be above zero."))
    with transaction.atomic():
        for key, weight in cleaned.items():
            RankingWeight.objects.update_or_create(part=key, defaults={"weight": weight})
    return {key: merged[key] for key in known}
