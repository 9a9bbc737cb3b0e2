"""The problems part: the source's 131 received / 131 resolved / 100 %, the three rates, overdue by
tier, departments' whistles, and agreement with the feedback app's own `ticket_stats`."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from feedback.actions import (
    escalation_defaults_install,
    ticket_confirm,
    ticket_escalate,
    ticket_raise,
    ticket_resolve,
    ticket_whistle,
    whistle_answer,
    whistle_report,
)
from feedback.models import Ticket
from feedback.selectors import ticket_stats
from tests.dashboard.conftest import MARCH
from tests.dashboard.factories import at
from zone_portal.dashboard.periods import Period
from zone_portal.dashboard.scope import Scope
from zone_portal.dashboard.selectors import dashboard_summary

pytestmark = pytest.mark.django_db
MONDAY = at(2026, 3, 2, 9, 0)
NOW = at(2026, 3, 31, 9, 0)


@pytest.fixture
def org(demo):
    escalation_defaults_install()
    return demo


def raise_(org, *, enterprise="A", by="ent_a", title="用地规划调整", now=MONDAY, category="land"):
    return ticket_raise(
        actor=org.users[by],
        enterprise=org.enterprises[enterprise],
        category=category,
        title=title,
        description="二期厂房用地需调整容积率。",
        now=now,
    )


def summary(scope, user, period=None):
    return dashboard_summary(scope, period or Period(date(2026, 3, 1), date(2026, 3, 31)), user=user, now=NOW)


def test_131_received_131_resolved_is_a_resolution_rate_of_one(org, admin_user, client):
    template = raise_(org, title="template")
    ticket_resolve(
        actor=org.users["cso1"], ticket=template, resolution="已解决", now=MONDAY + timedelta(hours=2)
    )
    template.refresh_from_db()
    fields = [f.attname for f in Ticket._meta.concrete_fields if f.attname not in ("id", "number")]
    Ticket.objects.bulk_create(
        [Ticket(number=f"B{i}", **{f: getattr(template, f) for f in fields}) for i in range(130)]
    )

    figures = summary(Scope(), admin_user)["tickets"]

    assert figures["received"] == 131 and figures["resolved"] == 131
    assert figures["resolution_rate"] == 1.0
    assert figures["on_time_rate"] == 1.0
    client.force_login(admin_user)
    html = client.get("/dashboard/", MARCH).content.decode()
    tile = html[html.index('data-testid="tile-resolution-rate"') :][:300]
    assert "100.0%" in tile and ">131<" in html


def test_no_problem_shows_dashes(org, admin_user, client):
    figures = summary(Scope(), admin_user)["tickets"]

    for name in ("resolution_rate", "on_time_rate", "response_rate", "solution_rate", "satisfaction_rate"):
        assert figures[name] is None, name
    client.force_login(admin_user)
    html = client.get("/dashboard/", MARCH).content.decode()
    tile = html[html.index('data-testid="tile-resolution-rate"') :][:300]
    assert '<div class="figure">—</div>' in tile


@pytest.fixture
def mixed(org):
    """Four problems of park 1 (the feedback app's own example) and one of enterprise C in park 2."""
    from tests.factories import EnterpriseFactory, MembershipFactory

    users = org.users
    good = raise_(org, title="good")
    ticket_resolve(actor=users["cso1"], ticket=good, resolution="ok", now=at(2026, 3, 2, 10))
    ticket_confirm(actor=users["ent_a"], ticket=good, solved=True, score=5, now=at(2026, 3, 2, 11))
    bad = raise_(org, title="bad")
    ticket_resolve(
        actor=users["cso1"], ticket=bad, resolution="ok", now=at(2026, 3, 6, 10)
    )  # after its deadline
    ticket_confirm(actor=users["ent_a"], ticket=bad, solved=True, score=2, now=at(2026, 3, 6, 11))
    again = raise_(org, title="again")
    ticket_resolve(actor=users["cso1"], ticket=again, resolution="ok", now=at(2026, 3, 2, 10))
    ticket_confirm(actor=users["ent_a"], ticket=again, solved=False, comment="没解决", now=at(2026, 3, 2, 11))
    whistled = raise_(org, title="whistled")
    ticket_whistle(
        actor=users["park1"], ticket=whistled, departments=["land", "power"], note="请报到", now=MONDAY
    )
    whistle_report(actor=users["dept_land"], ticket=whistled, now=MONDAY + timedelta(hours=1))
    whistle_answer(actor=users["dept_land"], ticket=whistled, text="已答复", now=MONDAY + timedelta(hours=2))
    enterprise_c = EnterpriseFactory(name="远景光电有限公司", park=org.parks["park2"])
    member = MembershipFactory(enterprise=enterprise_c).user
    other = ticket_raise(
        actor=member, enterprise=enterprise_c, category="tax", title="tax", description="发票额度", now=MONDAY
    )
    ticket_escalate(actor=users["admin"], ticket=other, reason="需联席会议", now=at(2026, 3, 3, 9))
    return {"good": good, "bad": bad, "again": again, "whistled": whistled, "other": other}


def as_fraction(value: Decimal | None):
    return None if value is None else round(float(value) / 100, 3)


@pytest.mark.parametrize("scope_name", ["zone", "park1", "park2", "land", "power", "tax"])
def test_figures_agree_with_the_feedback_apps_statistics(mixed, org, admin_user, scope_name):
    park = org.parks.get(scope_name)
    department = org.departments.get(scope_name)
    scope = Scope(park=park, department=department)

    ours = summary(scope, admin_user)["tickets"]
    theirs = ticket_stats(start=MARCH_START, end=MARCH_END, park=park, department=department, now=NOW)

    for name in (
        "received",
        "resolved",
        "on_time",
        "responded",
        "confirmed",
        "rated",
        "reopened",
        "overdue_now",
    ):
        assert ours[name] == theirs[name], name
    for name in ("resolution_rate", "on_time_rate", "response_rate", "solution_rate", "satisfaction_rate"):
        mine = None if ours[name] is None else round(ours[name], 3)
        assert mine == pytest.approx(as_fraction(theirs[name]), abs=0.0006), name


MARCH_START = datetime(2026, 3, 1, tzinfo=at(2026, 3, 1).tzinfo)
MARCH_END = datetime(2026, 4, 1, tzinfo=at(2026, 3, 1).tzinfo)


def test_overdue_now_by_tier_and_the_three_rates(mixed, admin_user):
    figures = summary(Scope(), admin_user)["tickets"]

    assert figures["received"] == 5
    assert figures["resolved"] == 2 and figures["resolution_rate"] == 0.4
    assert figures["solution_rate"] == 1.0  # both finished ones were confirmed solved
    assert figures["satisfaction_rate"] == 0.5
    assert figures["reopened"] == 1
    # "again" reopened at tier 1; "whistled" and the escalated tax problem at tier 2; all past due
    assert figures["overdue_by_tier"] == {"1": 1, "2": 2, "3": 0}
    assert figures["overdue"] == 3


def test_ticket_ratings_count_once_in_the_ratings_distribution(mixed, admin_user):
    from zone_portal.ratings.models import Rating

    shared = Rating.objects.filter(content_type__app_label="feedback")
    assert shared.count() == 2  # the feedback app hands its ratings to the shared 好差评
    shared.update(created_at=at(2026, 3, 6, 12))

    ratings = summary(Scope(), admin_user)["ratings"]
    assert ratings["counts"]["5"] == 1 and ratings["counts"]["2"] == 1

    # The shared rating is the ticket's only one: without it, the ticket is not rated anywhere.
    shared.filter(object_id=mixed["good"].pk).delete()
    again = summary(Scope(), admin_user)
    assert again["ratings"]["counts"]["5"] == 0 and again["ratings"]["total"] == 1


def test_department_whistles_reported_and_answered_on_time(mixed, org, admin_user):
    land = summary(Scope(department=org.departments["land"]), admin_user)
    power = summary(Scope(department=org.departments["power"]), admin_user)

    assert land["tickets"]["whistled"] == 1
    assert land["tickets"]["report_on_time_rate"] == 1.0
    assert land["tickets"]["answer_on_time_rate"] == 1.0
    # power never reported: its report deadline (1 working day) passed long before NOW
    assert power["tickets"]["report_on_time_rate"] == 0.0
    assert power["tickets"]["pending_overdue"] == 1
    rows = {r["department"]["code"]: r for r in land["by_department"]}
    assert rows["land"]["rank"] < rows["power"]["rank"]


def test_by_park_compares_the_parks_problems(mixed, org, admin_user):
    rows = {r["park"]["id"] if r["park"] else None: r for r in summary(Scope(), admin_user)["by_park"]}

    assert rows[org.parks["park1"].pk]["tickets_received"] == 4
    assert rows[org.parks["park2"].pk]["tickets_received"] == 1
    assert rows[org.parks["park2"].pk]["resolution_rate"] == 0.0
    assert rows[org.parks["park3"].pk]["resolution_rate"] is None


def test_ticket_lists_have_as_many_cases_as_their_figures(mixed, org, admin_user, client):
    client.force_login(admin_user)
    figures = summary(Scope(), admin_user)["tickets"]
    pairs = {
        "tickets-received": figures["received"],
        "tickets-resolved": figures["resolved"],
        "tickets-unresolved": figures["received"] - figures["resolved"],
        "tickets-late": figures["resolved"] - figures["on_time"],
        "tickets-reopened": figures["reopened"],
        "tickets-overdue": figures["overdue"],
    }
    import time_machine

    with time_machine.travel(NOW, tick=False):
        for metric, expected in pairs.items():
            page = client.get(f"/dashboard/cases/{metric}/", MARCH)
            assert page.context["page"].paginator.count == expected, metric
        tier2 = client.get("/dashboard/cases/tickets-overdue/", {**MARCH, "tier": 2})
    assert {t.pk for t in tier2.context["page"]} == {mixed["other"].pk, mixed["whistled"].pk}
    assert f'href="/problems/{mixed["other"].pk}/"' in tier2.content.decode()


def test_a_park_director_sees_only_their_parks_problems(mixed, org, client):
    client.force_login(org.users["park2"])

    body = client.get("/api/v1/dashboard/summary/", MARCH).json()

    assert body["tickets"]["received"] == 1
    page = client.get("/dashboard/cases/tickets-received/", MARCH)
    assert [t.pk for t in page.context["page"]] == [mixed["other"].pk]
    assert "good" not in [t.title for t in page.context["page"]]


def test_project_difficulties_count_problems_of_key_projects(org, admin_user):
    from tests.projects.factories import ProjectFactory

    project = ProjectFactory(park=org.parks["park1"])
    solved = raise_(org, title="施工许可卡点")
    Ticket.objects.filter(pk=solved.pk).update(project=project)
    ticket_resolve(actor=org.users["cso1"], ticket=solved, resolution="ok", now=MONDAY + timedelta(hours=1))
    raise_(org, title="无关")

    figures = summary(Scope(), admin_user)["projects"]["difficulties"]

    assert figures == {"received": 1, "resolved": 1, "rate": 1.0}


def test_rating_coverage_counts_closed_problems_beside_requests(mixed, org, admin_user):
    """The ratings section's coverage is the one figure over every rated kind of case: the two
    problems closed and rated in March count, under their park (no request was completed)."""
    zone = summary(Scope(), admin_user)["ratings"]
    park1 = summary(Scope(park=org.parks["park1"]), admin_user)["ratings"]
    park2 = summary(Scope(park=org.parks["park2"]), admin_user)["ratings"]

    assert zone["coverage_detail"] == {"rated": 2, "completed": 2, "rate": 1.0}
    assert park1["coverage"] == 1.0
    assert park2["coverage_detail"]["completed"] == 0 and park2["coverage"] is None


def test_the_coverage_tile_says_the_counts_of_its_own_figure(mixed, client, admin_user):
    """The tile's figure covers every rated kind, and so do the counts under it (they read the
    requests' own coverage before: 0 of 0 under 100.0%)."""
    client.force_login(admin_user)
    page = client.get("/dashboard/", MARCH).content.decode()
    tile = page.split('data-testid="tile-coverage"', 1)[1].split("</a>", 1)[0]
    assert "100.0%" in tile and "2 件中已评价 2 件" in tile
