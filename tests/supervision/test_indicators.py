"""Department indicators (指标考核): set by administrators within the group counts, entered monthly
with evidence and confirmed, scored by quarter (attainment against the target, weighted), ranked,
and fed into the 四比四看 score with the administrators' weights."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from supervision import actions, selectors
from supervision.models import IndicatorResult, Observation
from tests.services.conftest import pdf
from zone_portal.dashboard.parts import department_weights
from zone_portal.dashboard.periods import Period
from zone_portal.dashboard.scope import Scope
from zone_portal.dashboard.selectors import dashboard_summary
from zone_portal.errors import Conflict, InvalidInput, PermissionDeniedError, TransitionForbidden

pytestmark = pytest.mark.django_db
YEAR = 2026


def _at(month, day):
    return timezone.make_aware(datetime(YEAR, month, day, 10, 0))


@pytest.fixture
def indicator(admin_user, demo):
    def make(department="market", *, park=None, **values):
        values = {
            "year": YEAR,
            "group": "quantitative",
            "name": "企业走访",
            "weight": 10,
            "target": 30,
            "unit": "家",
            "measure": "entry",
            **values,
        }
        owner = {"park": demo.parks[park]} if park else {"department": demo.departments[department]}
        return actions.indicator_create(actor=admin_user, **owner, **values)

    return make


def _confirm(admin, user, indicator, values: dict):
    for month, value in values.items():
        entry = actions.indicator_entry_submit(actor=user, indicator=indicator, month=month, value=value)
        actions.indicator_entry_decide(actor=admin, entry=entry, confirm=True)


def test_a_constructed_quarter_is_scored_weighted_and_ranked(
    indicator, admin_user, dept_market, dept_tax, park1, supervisor1, demo
):
    market = demo.departments["market"]
    sum_of_months = indicator(name="走访企业", weight=40, target=30)
    average = indicator(name="办结率", weight=30, target=90, unit="%", combine="average")
    never_entered = indicator(name="宣传报道", weight=20, target=4, group="key")
    by_portal = indicator(
        name="监督意见按期整改",
        weight=10,
        target=100,
        unit="%",
        measure="portal",
        source="observations_on_time",
    )
    no_cases = indicator(
        name="任务按期完成", weight=50, target=100, unit="%", measure="portal", source="action_items_done"
    )
    _confirm(admin_user, dept_market, sum_of_months, {1: 10, 2: 10, 3: 5})
    _confirm(admin_user, dept_market, average, {1: 100, 2: 80})
    actions.indicator_entry_submit(actor=dept_market, indicator=average, month=3, value=0)  # not confirmed
    for on_time in (True, False):  # two observations tracked with a deadline in the quarter
        Observation.objects.create(
            supervisor=supervisor1,
            category="pain",
            place="department",
            department=market,
            observed_at=_at(1, 5),
            description="x",
            status="resolved",
            answered_at=_at(1, 6),
            rectify_by=_at(2, 1),
            resolved_at=_at(1, 20) if on_time else _at(2, 10),
        )
    tax_only = indicator("tax", name="纳税服务", weight=5, target=10)
    _confirm(admin_user, dept_tax, tax_only, {1: 12})
    park_one = indicator(park="park1", name="入园企业", weight=10, target=4)
    _confirm(admin_user, park1, park_one, {2: 2})

    assert actions.indicators_score_quarter(actor=admin_user, year=YEAR, quarter=1) == 7
    results = {r.indicator_id: r for r in IndicatorResult.objects.filter(quarter=1)}
    assert results[sum_of_months.pk].actual == Decimal(25) and results[
        sum_of_months.pk
    ].attainment == Decimal("0.8333")
    assert results[average.pk].actual == Decimal(90) and results[average.pk].points == Decimal(30)
    assert results[never_entered.pk].points == 0
    assert results[by_portal.pk].actual == Decimal(50) and results[by_portal.pk].points == Decimal(5)
    assert results[no_cases.pk].points is None  # left out: no action item was due
    assert results[tax_only.pk].attainment == 1  # capped at 100 %

    ranking = selectors.ranking(YEAR, 1)
    # (40 × 0.8333 + 30 × 1 + 20 × 0 + 10 × 0.5) ÷ (40 + 30 + 20 + 10) × 100
    assert [(r["name"], r["score"], r["rank"]) for r in ranking["departments"]] == [
        ("税务局", 100.0, 1),
        ("市场监督管理局", 68.33, 2),
    ]
    assert [(r["name"], r["score"]) for r in ranking["parks"]] == [("尼龙新材料产业园", 50.0)]
    # Scoring again replaces the quarter's results.
    assert actions.indicators_score_quarter(actor=admin_user, year=YEAR, quarter=1) == 7
    assert IndicatorResult.objects.count() == 7

    # The 四比四看 score of the quarter: rates and indicators, with the administrators' weights.
    actions.ranking_weights_update(actor=admin_user, weights={"indicators": 50})
    assert department_weights()["indicators"] == 50
    summary = dashboard_summary(Scope(), Period(date(YEAR, 1, 1), date(YEAR, 3, 31)), user=admin_user)
    rows = {row["department"]["code"]: row for row in summary["by_department"]}
    assert rows["market"]["indicator_score"] == 68.33
    assert rows["market"]["score"] == 68.33  # no other case: the indicators alone
    assert rows["tax"]["rank"] == 1


def test_a_quarter_not_begun_and_a_stranger_are_refused(admin_user, dept_market):
    with pytest.raises(InvalidInput):
        actions.indicators_score_quarter(actor=admin_user, year=2099, quarter=1)
    with pytest.raises(PermissionDeniedError):
        actions.indicators_score_quarter(actor=dept_market, year=YEAR, quarter=1)


def test_a_group_holds_the_number_the_settings_give(indicator, admin_user):
    indicator(group="highlight", name="亮点一")
    indicator(group="highlight", name="亮点二")
    with pytest.raises(Conflict):
        indicator(group="highlight", name="亮点三")
    actions.supervision_settings_update(actor=admin_user, highlight_count=3)
    indicator(group="highlight", name="亮点三")
    indicator("tax", group="highlight", name="另一个部门")  # counted per department


def test_bad_indicators_are_refused_by_field(indicator):
    with pytest.raises(InvalidInput) as source:
        indicator(measure="portal", source="nonsense")
    assert "source" in source.value.fields
    with pytest.raises(InvalidInput) as weight:
        indicator(weight="-3")
    assert "weight" in weight.value.fields


def test_entries_are_entered_by_their_department_and_confirmed_by_an_administrator(
    indicator, admin_user, dept_market, dept_tax
):
    visits = indicator()
    with pytest.raises(PermissionDeniedError):
        actions.indicator_entry_submit(actor=dept_tax, indicator=visits, month=1, value=3)
    with pytest.raises(InvalidInput):
        actions.indicator_entry_submit(actor=dept_market, indicator=visits, month=13, value=3)
    entry = actions.indicator_entry_submit(
        actor=dept_market, indicator=visits, month=1, value=3, evidence=pdf()
    )
    assert entry.evidence_type == "application/pdf" and entry.status == "entered"
    with pytest.raises(PermissionDeniedError):
        actions.indicator_entry_decide(actor=dept_market, entry=entry, confirm=True)
    with pytest.raises(InvalidInput):
        actions.indicator_entry_decide(actor=admin_user, entry=entry, confirm=False)
    returned = actions.indicator_entry_decide(actor=admin_user, entry=entry, confirm=False, note="缺少佐证")
    assert returned.status == "returned"
    again = actions.indicator_entry_submit(actor=dept_market, indicator=visits, month=1, value=4)
    assert again.pk == entry.pk and again.status == "entered" and again.value == 4
    actions.indicator_entry_decide(actor=admin_user, entry=again, confirm=True)
    with pytest.raises(TransitionForbidden):
        actions.indicator_entry_submit(actor=dept_market, indicator=visits, month=1, value=9)
    portal = indicator(measure="portal", source="service_on_time", name="按时办结")
    with pytest.raises(Conflict):
        actions.indicator_entry_submit(actor=dept_market, indicator=portal, month=1, value=9)


def test_weights_are_checked(admin_user):
    with pytest.raises(InvalidInput):
        actions.ranking_weights_update(actor=admin_user, weights={"nonsense": 3})
    zero = {key: 0 for key in department_weights()}
    with pytest.raises(InvalidInput):
        actions.ranking_weights_update(actor=admin_user, weights=zero)
    assert (
        actions.ranking_weights_update(actor=admin_user, weights={"satisfaction": 35})["satisfaction"] == 35
    )


@pytest.mark.parametrize("year", ["²⁰²⁶", "2" * 5000, "20x6"])
def test_a_year_that_is_no_year_is_a_400_not_a_500(admin_user, year):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(admin_user)
    response = client.get("/api/v1/indicators/", {"year": year})
    assert response.status_code == 400
    assert "year" in response.json()["error"]["fields"]
