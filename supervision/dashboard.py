"""Supervision's part of the dashboards (imported by the dashboard's AppConfig): the indicators'
score joins the department scoreboard (四比四看) as one more weighted rate — the score of the
quarter that holds the period's last day, when that quarter is scored — and the public figures
page gets the observations' aggregate (filed, fixed at once, tracked, overdue)."""

from django.utils.translation import gettext_lazy as _

from zone_portal.dashboard.parts import Part, Weight, part_register

from .selectors import observation_counts, owner_scores


def _read(period, now, dirty, *, departments: bool) -> dict:
    last = period.last
    return {"scores": owner_scores(last.year, (last.month - 1) // 3 + 1)}


def _department_columns(department_id, reading) -> tuple[dict, dict, bool]:
    score = reading.rows["supervision"]["scores"].get(("department", department_id))
    rate = None if score is None else score / 100
    return {"indicator_score": score}, {"indicators": rate}, score is not None


def _park_columns(park_id, reading) -> tuple[dict, bool]:
    return {"indicator_score": reading.rows["supervision"]["scores"].get(("park", park_id))}, False


def _public(reading) -> dict:
    return observation_counts(reading.period, now=reading.now)


part_register(
    Part(
        name="supervision",
        order=60,
        read=_read,
        park_columns=_park_columns,
        department_columns=_department_columns,
        weights={"indicators": Weight(20, _("indicators (指标考核)"))},
        public=_public,
        public_template="supervision/_public.html",
    )
)
