"""Figures computed on constructed data sets: every count and rate, for the zone, a park and a
department, including the edges (outside the period, late by a minute, zero denominators)."""

from datetime import timedelta

import pytest

from services.models import RequestStatus
from tests.dashboard.factories import at, completed, make_request, rate_case, rectify
from tests.factories import EnterpriseFactory
from zone_portal.dashboard.scope import Scope
from zone_portal.dashboard.selectors import dashboard_summary, department_score, rate
from zone_portal.ratings.models import RectificationStatus

NOW = at(2026, 4, 15, 10, 0)

pytestmark = pytest.mark.django_db


def summary(scope, period, user):
    return dashboard_summary(scope, period, user=user, now=NOW)


def test_rate_is_a_share_or_none_without_denominator():
    assert rate(131, 131) == 1.0
    assert rate(1, 3) == 0.3333
    assert rate(0, 5) == 0.0
    assert rate(0, 0) is None
    assert rate(3, None) is None


def test_131_requests_completed_on_time_give_an_on_time_rate_of_one(
    catalog, march, ent_a, enterprise_a, admin_user
):
    for day in range(131):
        accepted = at(2026, 3, 2, 9, 0) + timedelta(hours=day * 4)
        completed(
            catalog["seal-engraving"],
            by=ent_a,
            enterprise=enterprise_a,
            accepted_at=accepted,
            closed_at=accepted + timedelta(hours=1),
        )

    figures = summary(Scope(), march, admin_user)["service_requests"]

    assert figures["submitted"] == 131
    assert figures["completed"] == 131
    assert figures["on_time"] == 131
    assert figures["on_time_rate"] == 1.0


def test_zero_denominators_give_none_everywhere(demo, march, admin_user):
    out = summary(Scope(), march, admin_user)

    services, ratings = out["service_requests"], out["ratings"]
    assert services["submitted"] == services["completed"] == 0
    assert services["on_time_rate"] is None
    assert services["coverage"]["rate"] is None
    assert services["bundles"]["rate"] is None
    assert ratings["satisfaction_rate"] is None
    assert ratings["coverage"] is None
    assert ratings["rectifications"]["on_time_rate"] is None
    assert out["by_department"] == []


@pytest.fixture
def constructed(demo, catalog, ent_a, ent_b, cso1, enterprise_a, enterprise_b):
    """March 2026 in three parks' worth of requests (A and B are in park 1, C in park 2)."""
    seal, license_, invoice, land = (
        catalog["seal-engraving"],
        catalog["business-license"],
        catalog["invoice"],
        catalog["land-planning-permit"],
    )
    enterprise_c = EnterpriseFactory(name="远景光电有限公司", park=demo.parks["park2"])
    rows = {}
    # Park 1: two seals on time, one seal late by a minute; one rated 5, one rated 1.
    rows["on_time_1"] = completed(
        seal, by=ent_a, enterprise=enterprise_a, accepted_at=at(2026, 3, 3, 9), closed_at=at(2026, 3, 3, 10)
    )
    rows["on_time_2"] = completed(
        seal, by=ent_b, enterprise=enterprise_b, accepted_at=at(2026, 3, 4, 9), closed_at=at(2026, 3, 4, 10)
    )
    rows["late"] = completed(
        seal,
        by=ent_a,
        enterprise=enterprise_a,
        accepted_at=at(2026, 3, 5, 9),
        closed_at=at(2026, 3, 5, 11, 1),
        due_at=at(2026, 3, 5, 11, 0),
    )
    good = rate_case(rows["on_time_1"], score=5, rater=ent_a, created_at=at(2026, 3, 3, 12))
    bad = rate_case(rows["late"], score=1, rater=ent_a, created_at=at(2026, 3, 5, 12))
    rows["good"], rows["bad"] = good, bad
    # Its rectification: not verified, both deadlines passed before NOW.
    rows["rectification"] = rectify(
        bad, opened_at=at(2026, 3, 5, 12), verify_due_at=at(2026, 3, 6, 12), fix_due_at=at(2026, 3, 26, 12)
    )
    # Submitted in February, completed in March: completed, not submitted, in March.
    rows["from_february"] = completed(
        license_,
        by=ent_a,
        enterprise=enterprise_a,
        submitted_at=at(2026, 2, 27, 9),
        accepted_at=at(2026, 2, 27, 10),
        closed_at=at(2026, 3, 2, 9),
    )
    # Filed by the officer (help and agency), accepted and overdue now.
    rows["overdue"] = make_request(
        land,
        by=cso1,
        agent=cso1,
        enterprise=enterprise_a,
        submitted_at=at(2026, 3, 10, 9),
        status=RequestStatus.ACCEPTED,
        accepted_at=at(2026, 3, 10, 10),
        due_at=at(2026, 4, 8, 10),
    )
    # Outside the period on both ends.
    make_request(seal, by=ent_a, enterprise=enterprise_a, submitted_at=at(2026, 4, 1, 0, 0))
    make_request(seal, by=ent_a, enterprise=enterprise_a, submitted_at=at(2026, 2, 28, 23, 59))
    # A company being founded (no enterprise yet, so no park).
    rows["founding"] = make_request(license_, by=cso1, agent=cso1, submitted_at=at(2026, 3, 11, 9))
    # Park 2: one invoice, on time.
    rows["park2"] = completed(
        invoice,
        by=ent_a,
        enterprise=enterprise_c,
        accepted_at=at(2026, 3, 12, 9),
        closed_at=at(2026, 3, 12, 10),
    )
    # A start-up bundle for enterprise B, finished within its day; its three items too.
    bundle = completed(
        catalog["enterprise-startup"],
        by=ent_b,
        enterprise=enterprise_b,
        accepted_at=at(2026, 3, 16, 9),
        closed_at=at(2026, 3, 16, 15),
        is_bundle=True,
    )
    for item in (license_, seal, invoice):
        completed(
            item,
            by=ent_b,
            enterprise=enterprise_b,
            accepted_at=at(2026, 3, 16, 9),
            closed_at=at(2026, 3, 16, 15),
            parent=bundle,
        )
    rows["bundle"] = bundle
    rows["enterprise_c"] = enterprise_c
    return rows


def test_zone_figures_count_filings_in_the_period(constructed, march, admin_user):
    services = summary(Scope(), march, admin_user)["service_requests"]

    # on_time_1, on_time_2, late, overdue, founding, park2, bundle (its items are not filings)
    assert services["submitted"] == 7
    # on_time_1, on_time_2, late, from_february, park2, bundle
    assert services["completed"] == 6
    assert services["on_time"] == 5
    assert services["late"] == 1
    assert services["on_time_rate"] == rate(5, 6)
    assert services["agency"] == 2
    assert services["overdue_now"] == 1
    assert services["bundles"] == {"completed": 1, "within_limit": 1, "rate": 1.0}
    assert services["coverage"] == {"rated": 2, "completed": 6, "rate": rate(2, 6)}


def test_ratings_and_rectifications_of_the_period(constructed, march, admin_user):
    ratings = summary(Scope(), march, admin_user)["ratings"]

    assert ratings["counts"] == {"5": 1, "4": 0, "3": 0, "2": 0, "1": 1}
    assert ratings["total"] == 2
    assert ratings["bad"] == 1
    assert ratings["satisfaction_rate"] == 0.5
    rect = ratings["rectifications"]
    assert rect["opened"] == 1 and rect["open"] == 1 and rect["overdue"] == 1
    assert rect["due"] == 1 and rect["replied_on_time"] == 0 and rect["on_time_rate"] == 0.0


def test_a_rectification_replied_in_time_counts_as_on_time(constructed, march, admin_user):
    rect = constructed["rectification"]
    rect.status, rect.replied_at = RectificationStatus.REPLIED, at(2026, 3, 20, 9)
    rect.save()

    figures = summary(Scope(), march, admin_user)["ratings"]["rectifications"]

    assert figures["overdue"] == 0
    assert figures["on_time_rate"] == 1.0


def test_park_figures_count_only_the_parks_enterprises(constructed, march, admin_user, demo):
    park1 = summary(Scope(park=demo.parks["park1"]), march, admin_user)
    park2 = summary(Scope(park=demo.parks["park2"]), march, admin_user)

    assert park1["service_requests"]["submitted"] == 5  # no park2 request, no founding company
    assert park1["service_requests"]["completed"] == 5
    assert park1["ratings"]["total"] == 2
    assert park2["service_requests"]["submitted"] == 1
    assert park2["service_requests"]["on_time_rate"] == 1.0
    assert park2["ratings"]["total"] == 0
    assert park2["ratings"]["satisfaction_rate"] is None
    assert park1["by_park"] is None and park1["by_department"] is None


def test_by_park_rows_add_up_to_the_zone(constructed, march, admin_user):
    out = summary(Scope(), march, admin_user)

    rows = out["by_park"]
    assert sum(r["submitted"] for r in rows) == out["service_requests"]["submitted"]
    assert sum(r["completed"] for r in rows) == out["service_requests"]["completed"]
    without_park = [r for r in rows if r["park"] is None]
    assert len(without_park) == 1 and without_park[0]["submitted"] == 1


def test_a_department_counts_the_items_it_handles_including_bundle_items(
    constructed, march, admin_user, demo
):
    tax = summary(Scope(department=demo.departments["tax"]), march, admin_user)
    approval = summary(Scope(department=demo.departments["approval"]), march, admin_user)

    # tax: the park-2 invoice and the bundle's invoice item
    assert tax["service_requests"]["completed"] == 2
    assert tax["service_requests"]["bundles"] is None
    # approval: three seals, the license from February, the bundle's license and seal (the bundle
    # container itself is not an item)
    assert approval["service_requests"]["completed"] == 6
    assert approval["ratings"]["total"] == 2  # the ratings of the requests it handled
    assert tax["enterprises"] is None and tax["projects"] is None


def test_department_rank_among_peers_follows_the_formula(constructed, march, admin_user, demo):
    out = summary(Scope(department=demo.departments["tax"]), march, admin_user)

    rows = {r["department"]["code"]: r for r in out["by_department"]}
    # tax: 2 of 2 on time, no ratings, no rectifications → only the on-time part counts → 100
    assert rows["tax"]["score"] == 100.0
    # approval: 5 of 6 on time; satisfaction 1 of 2; its one rectification due and not replied;
    # no whistles, so the two whistle parts are left out and the other weights scaled up
    expected = round((25 * rate(5, 6) + 20 * 0.5 + 15 * 0.0) * 100 / 60, 2)
    assert rows["approval"]["score"] == expected
    assert rows["tax"]["rank"] == 1
    assert out["department_rank"]["rank"] == 1
    assert out["department_rank"]["of"] == len([r for r in out["by_department"] if r["rank"]])


def test_department_score_leaves_out_parts_without_cases():
    rates = {
        "whistle_report_on_time": 1.0,
        "whistle_answer_on_time": None,
        "service_on_time": 0.5,
        "satisfaction": None,
        "rectification_on_time": None,
    }
    # (20 × 1.0 + 25 × 0.5) × 100 ÷ (20 + 25)
    assert department_score(rates) == round(32.5 * 100 / 45, 2)
    rates["whistle_report_on_time"] = rates["service_on_time"] = None
    assert department_score(rates) is None


def test_by_service_rows_carry_the_promised_limit(constructed, march, admin_user):
    rows = summary(Scope(), march, admin_user)["service_requests"]["by_service"]

    seal = next(r for r in rows if r["service"]["code"] == "seal-engraving")
    assert seal["submitted"] == 3 and seal["completed"] == 3 and seal["on_time"] == 2
    assert seal["limit_hours"] == 2.0
    assert seal["median_hours"] == 1.0  # 1 h, 1 h, 2 h 1 min of working time
    assert seal["median_within_limit"] is True


def test_weekly_trend_counts_each_request_in_its_week(constructed, march, admin_user):
    weeks = {w["week"]: w for w in summary(Scope(), march, admin_user)["service_requests"]["by_week"]}

    assert list(weeks)[0] == "2026-02-23"  # the week of March 1st (a Sunday)
    assert weeks["2026-03-02"]["submitted"] == 3  # on_time_1, on_time_2, late
    assert weeks["2026-03-02"]["completed"] == 4  # the same three and the license from February
    assert sum(w["submitted"] for w in weeks.values()) == 7
    assert sum(w["completed"] for w in weeks.values()) == 6


def test_enterprise_figures_by_qualification_and_officer(demo, march, admin_user):
    from datetime import date

    park1 = demo.parks["park1"]
    EnterpriseFactory(
        park=park1, high_tech_certificate="GR2025", high_tech_expires_on=date(2028, 1, 1), patents=7
    )
    EnterpriseFactory(
        park=park1, high_tech_certificate="GR2020", high_tech_expires_on=date(2023, 1, 1)
    )  # expired
    EnterpriseFactory(park=demo.parks["park2"], is_high_tech_reserve=True, tech_sme_year=2026)

    zone = summary(Scope(), march, admin_user)["enterprises"]
    one = summary(Scope(park=park1), march, admin_user)["enterprises"]

    assert zone["total"] == 5 and one["total"] == 4
    assert one["high_tech"] == 1 and zone["reserve"] == 1 and zone["tech_sme"] == 1
    assert one["patents"] == 7 and one["with_patents"] == 1
    assert one["without_officer"] == 2  # A and B have their officers
    assert {o["name"] for o in one["officers"]} == {"首席服务员 张伟", "首席服务员 刘洋"}
