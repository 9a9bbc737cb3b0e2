"""The quarterly evaluation (季评比) on a constructed quarter, computed by hand from the formula:
score = 0.4·O + 0.3·M + 0.2·I + 0.1·S (README, "Key projects")."""

from datetime import date
from decimal import Decimal

import pytest

from projects.models import SiteObservation, Stage, SupervisionGap
from projects.selectors import projects_ranking
from tests.factories import ParkFactory

from .factories import LedgerEntryFactory, MilestoneFactory, ProjectFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 30)


def observe(project, month, each, observer):
    SiteObservation.objects.create(
        project=project,
        month=month,
        observed_on=month,
        observer=observer,
        progress_score=each,
        investment_score=each,
        quality_score=each,
        safety_score=each,
        service_score=each,
    )


@pytest.fixture
def quarter(demo, leader1):
    x, y = ParkFactory(code="px", name="甲园区"), ParkFactory(code="py", name="乙园区")
    p1 = ProjectFactory(name="项目一", park=x, total_investment=Decimal("100000000"))
    observe(p1, date(2026, 7, 1), 16, leader1)  # 80
    observe(p1, date(2026, 8, 1), 18, leader1)  # 90 → O = 85
    observe(p1, date(2026, 10, 1), 2, leader1)  # next quarter: ignored
    MilestoneFactory(project=p1, planned_date=date(2026, 7, 10), actual_date=date(2026, 7, 8))
    MilestoneFactory(project=p1, planned_date=date(2026, 8, 20), actual_date=date(2026, 8, 25))
    MilestoneFactory(project=p1, planned_date=date(2026, 9, 15))  # M = 1/3
    MilestoneFactory(project=p1, planned_date=date(2026, 10, 15))  # next quarter: ignored
    LedgerEntryFactory(project=p1, entry_date=date(2026, 6, 30), investment_completed=Decimal("20000000"))
    LedgerEntryFactory(project=p1, entry_date=date(2026, 9, 30), investment_completed=Decimal("30000000"))
    LedgerEntryFactory(project=p1, entry_date=date(2026, 10, 31), investment_completed=Decimal("10000000"))
    SupervisionGap.objects.create(project=p1, week_start=date(2026, 8, 3))  # S = 75

    p2 = ProjectFactory(name="项目二", park=x, total_investment=Decimal("10000000"))
    LedgerEntryFactory(project=p2, entry_date=date(2026, 7, 31), investment_completed=Decimal("20000000"))

    p3 = ProjectFactory(name="项目三", park=y, total_investment=Decimal("40000000"))
    observe(p3, date(2026, 9, 1), 14, leader1)  # O = 70
    MilestoneFactory(project=p3, planned_date=date(2026, 7, 1), actual_date=date(2026, 7, 1))  # M = 100
    LedgerEntryFactory(project=p3, entry_date=date(2026, 7, 15), investment_completed=Decimal("10000000"))
    SupervisionGap.objects.create(project=p3, week_start=date(2026, 7, 6))
    SupervisionGap.objects.create(project=p3, week_start=date(2026, 9, 28))  # S = 50
    SupervisionGap.objects.create(project=p3, week_start=date(2026, 10, 5))  # next quarter

    ProjectFactory(name="洽谈项目", park=y, stage=Stage.NEGOTIATING)  # not ranked
    return {"p1": p1, "p2": p2, "p3": p3, "x": x, "y": y}


def test_projects_are_scored_and_ranked_by_the_formula(quarter, admin_user):
    result = projects_ranking(admin_user, quarter="2026Q3", today=TODAY)
    assert (result["start"], result["end"]) == (date(2026, 7, 1), date(2026, 9, 30))
    rows = {r["name"]: r for r in result["projects"]}
    assert set(rows) == {"项目一", "项目二", "项目三"}
    assert rows["项目一"]["parts"] == {
        "observation": Decimal("85.00"),
        "milestones": Decimal("33.33"),
        "investment": Decimal("50.00"),
        "supervision": Decimal("75.00"),
    }
    # 0.4·85 + 0.3·33.33… + 0.2·50 + 0.1·75 = 34 + 10 + 10 + 7.5
    assert rows["项目一"]["score"] == Decimal("61.50")
    # no observation, nothing due, investment capped at 100, no gap: 0 + 30 + 20 + 10
    assert rows["项目二"]["score"] == Decimal("60.00")
    # 0.4·70 + 0.3·100 + 0.2·25 + 0.1·50 = 28 + 30 + 5 + 5
    assert rows["项目三"]["score"] == Decimal("68.00")
    assert [(r["rank"], r["name"]) for r in result["projects"]] == [
        (1, "项目三"),
        (2, "项目一"),
        (3, "项目二"),
    ]
    assert [(p["rank"], p["name"], p["score"], p["projects"]) for p in result["parks"]] == [
        (1, "乙园区", Decimal("68.00"), 1),
        (2, "甲园区", Decimal("60.75"), 2),
    ]


def test_equal_scores_share_a_rank(quarter, admin_user):
    ProjectFactory(name="项目二（同分）", park=quarter["y"], total_investment=Decimal("10000000"))
    LedgerEntryFactory(
        project=ProjectFactory._meta.model.objects.get(name="项目二（同分）"),
        entry_date=date(2026, 8, 1),
        investment_completed=Decimal("10000000"),
    )
    ranks = [
        (r["rank"], r["score"])
        for r in projects_ranking(admin_user, quarter="2026Q3", today=TODAY)["projects"]
    ]
    assert ranks == [
        (1, Decimal("68.00")),
        (2, Decimal("61.50")),
        (3, Decimal("60.00")),
        (3, Decimal("60.00")),
    ]


def test_the_api_answers_the_ranking_with_its_formula(api, quarter, admin_user):
    response = api(admin_user).get("/api/v1/projects/ranking/?quarter=2026Q3", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.json()
    assert body["quarter"] == "2026Q3" and body["formula"].startswith("score = 0.4")
    assert body["projects"][0]["name"] == "项目三" and body["projects"][0]["score"] == "68.00"
    assert body["parks"][1]["score"] == "60.75"
    bad = api(admin_user).get("/api/v1/projects/ranking/?quarter=2026-3")
    assert bad.status_code == 400 and "quarter" in bad.json()["error"]["fields"]


def test_the_ranking_page_shows_the_formula(client, quarter, leader1):
    client.force_login(leader1)
    page = client.get("/projects/ranking/?quarter=2026Q3").content.decode()
    assert "得分 = 0.4 × 观摩得分 + 0.3 × 节点按期率 + 0.2 × 投资完成率 + 0.1 × 督导得分" in page
    assert page.index("项目三") < page.index("项目一") < page.index("项目二")


def test_the_ranking_query_count_does_not_grow(quarter, admin_user, django_assert_max_num_queries):
    with django_assert_max_num_queries(3) as few:
        projects_ranking(admin_user, quarter="2026Q3", today=TODAY)
    for _ in range(10):
        LedgerEntryFactory(project=ProjectFactory(), entry_date=date(2026, 8, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(projects_ranking(admin_user, quarter="2026Q3", today=TODAY)["projects"]) == 13


def test_enterprise_staff_see_no_ranking(client, api, quarter, ent_a):
    client.force_login(ent_a)
    assert client.get("/projects/ranking/").status_code == 404


def test_a_malformed_quarter_on_the_page_says_how_to_write_it(client, quarter, leader1):
    client.force_login(leader1)
    response = client.get("/projects/ranking/?quarter=Q3-2026")
    assert response.status_code == 400
    assert "季度格式如 2026Q4" in response.content.decode()
