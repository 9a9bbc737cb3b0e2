"""The pages: the battle map (bounded queries, colours, filters), lists, the project page with its
SVG charts and forms, the administrator's six-ones form."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.models import Project, Stage, Supervision

from .factories import LedgerEntryFactory, MilestoneFactory, ProjectFactory, leader, member_of

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _project_with_history(**kwargs):
    project = ProjectFactory(**kwargs)
    MilestoneFactory(
        project=project, planned_date=TODAY - timedelta(days=40), actual_date=TODAY - timedelta(days=35)
    )
    MilestoneFactory(project=project, planned_date=TODAY + timedelta(days=50))
    LedgerEntryFactory(project=project, entry_date=TODAY - timedelta(days=30))
    return project


def test_the_battle_map_query_count_does_not_grow_with_projects(
    client, demo, leader1, django_assert_num_queries
):
    client.force_login(leader1)
    for _ in range(3):
        _project_with_history()
    client.get("/projects/")  # warm up the settings row
    with CaptureQueriesContext(connection) as few:
        assert client.get("/projects/").status_code == 200
    for _ in range(15):
        _project_with_history(stage=Stage.SIGNED)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/projects/")
    assert response.content.decode().count('data-testid="project-card"') == 18


def test_the_battle_map_colours_and_columns(client, demo, leader1):
    delayed = ProjectFactory(name="延期的项目", stage=Stage.UNDER_CONSTRUCTION)
    MilestoneFactory(project=delayed, planned_date=TODAY - timedelta(days=3))
    at_risk = ProjectFactory(name="预警的项目", stage=Stage.SIGNED)
    MilestoneFactory(project=at_risk, planned_date=TODAY + timedelta(days=5))
    ProjectFactory(name="正常的项目", stage=Stage.COMPLETED)
    client.force_login(leader1)
    html = client.get("/projects/").content.decode()
    for name, health in (("延期的项目", "delayed"), ("预警的项目", "at_risk"), ("正常的项目", "on_track")):
        card = html[html.index(name) - 400 : html.index(name)]
        assert f"pcard health-{health}" in card
    assert html.index("签约") < html.index("预警的项目") < html.index("在建") < html.index("延期的项目")


def test_the_battle_map_filters_by_park_and_leader(client, demo, leader1):
    mine = ProjectFactory(name="冯军的项目", leader=leader1, park=demo.parks["park1"])
    ProjectFactory(name="别人的项目", park=demo.parks["park2"])
    client.force_login(leader1)
    html = client.get(f"/projects/?leader={leader1.pk}").content.decode()
    assert mine.name in html and "别人的项目" not in html
    html = client.get(f"/projects/?park={demo.parks['park2'].pk}").content.decode()
    assert mine.name not in html and "别人的项目" in html


def test_my_projects_lists_what_i_lead_or_serve(client, demo, leader1, cso1):
    ProjectFactory(name="领导的项目", leader=leader1)
    ProjectFactory(name="服务的项目", service_member=cso1)
    client.force_login(cso1)
    html = client.get("/projects/mine/").content.decode()
    assert "服务的项目" in html and "领导的项目" not in html
    assert '<a href="/projects/mine/" aria-current="page">我的项目</a>' in html


def test_park_projects_lists_the_officers_parks(client, demo, park2):
    ProjectFactory(name="二园区项目", park=demo.parks["park2"])
    ProjectFactory(name="一园区项目", park=demo.parks["park1"])
    client.force_login(park2)
    html = client.get("/projects/park/").content.decode()
    assert "二园区项目" in html and "一园区项目" not in html


def test_the_list_query_count_does_not_grow(client, demo, leader1, django_assert_max_num_queries):
    client.force_login(leader1)
    for _ in range(2):
        _project_with_history()
    client.get("/projects/list/")
    with CaptureQueriesContext(connection) as few:
        client.get("/projects/list/")
    for _ in range(10):
        _project_with_history()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/projects/list/")


def test_the_project_page_shows_six_ones_and_draws_both_charts(client, demo, leader1):
    project = _project_with_history(name="光伏组件材料项目", leader=leader1)
    MilestoneFactory(project=project, name="主体封顶", planned_date=TODAY - timedelta(days=2))
    client.force_login(leader1)
    html = client.get(project.get_absolute_url()).content.decode()
    for text in (
        "六个一",
        "一个责任园区",
        "一名分包领导",
        "一本台账",
        "一个服务团队",
        "一个建成目标",
        "万元",
    ):
        assert text in html
    assert 'data-testid="milestone-timeline"' in html and 'data-status="delayed"' in html
    assert 'data-testid="ledger-chart"' in html and "<polyline" in html
    assert "总投资 10,000 万元" in html  # the chart's target, grouped as the amounts above it
    assert "<script" not in html.split("<main", 1)[1]  # charts are server-drawn SVG
    assert "录入本周督导" in html


def test_recording_a_weekly_supervision_on_the_page(client, demo, leader1):
    project = ProjectFactory(leader=leader1, stage=Stage.UNDER_CONSTRUCTION)
    client.force_login(leader1)
    response = client.post(
        f"/projects/{project.pk}/supervisions/",
        {"supervised_on": str(TODAY), "findings": "现场施工有序", "problems": ""},
    )
    assert response.status_code == 302 and response["Location"].endswith("#supervision")
    assert Supervision.objects.get(project=project).supervisor == leader1
    page = client.get(response["Location"]).content.decode()
    assert "周督导已记录" in page and "现场施工有序" in page


def test_a_refused_form_shows_why(client, demo, leader1):
    project = ProjectFactory(leader=leader1, stage=Stage.UNDER_CONSTRUCTION)
    client.force_login(leader1)
    response = client.post(
        f"/projects/{project.pk}/supervisions/",
        {"supervised_on": str(TODAY + timedelta(days=3)), "findings": "x"},
    )
    assert response.status_code == 400
    assert "日期不能晚于今天" in response.content.decode()


def test_recording_ledger_milestone_and_stage_on_the_page(client, demo, leader1):
    project = ProjectFactory(leader=leader1, stage=Stage.SIGNED)
    client.force_login(leader1)
    assert (
        client.post(
            f"/projects/{project.pk}/ledger/",
            {"entry_date": str(TODAY), "investment_completed": "250", "progress_percent": "8"},  # 万元
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/projects/{project.pk}/milestones/",
            {"name": "开工", "planned_date": str(TODAY + timedelta(days=9))},
        ).status_code
        == 302
    )
    milestone = project.milestones.get()
    assert (
        client.post(
            f"/projects/{project.pk}/milestones/{milestone.pk}/reach/", {"actual_date": str(TODAY)}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/projects/{project.pk}/stage/", {"stage": "construction_started", "date": str(TODAY)}
        ).status_code
        == 302
    )
    project.refresh_from_db()
    html = client.get(project.get_absolute_url()).content.decode()
    assert project.stage == Stage.CONSTRUCTION_STARTED
    assert project.ledger_entries.get().investment_completed == Decimal("2500000")  # kept in yuan
    assert "250.00" in html  # entered and shown in 万元
    assert "阶段变更" in html and "节点完成" in html


def test_administrator_creates_a_project_on_the_form(client, demo, admin_user, enterprise_a):
    boss, invest, service, platform = (
        leader(),
        member_of("investment"),
        member_of("enterprise_service"),
        member_of("platform"),
    )
    client.force_login(admin_user)
    assert client.get("/projects/new/").status_code == 200
    response = client.post(
        "/projects/new/",
        {
            "name": "棚户区改造项目",
            "enterprise": enterprise_a.pk,
            "industry": "城市建设",
            "content": "回迁安置房1200户",
            "total_investment": "86000",  # 万元, as the field says
            "park": demo.parks["park6"].pk,
            "leader": boss.pk,
            "investment_member": invest.pk,
            "service_member": service.pk,
            "platform_member": platform.pk,
            "goal": "2027年底全部回迁",
            "target_date": str(date(2027, 12, 31)),
        },
    )
    assert response.status_code == 302
    project = Project.objects.get(name="棚户区改造项目")
    assert project.team == [invest, service, platform]
    assert project.total_investment == Decimal("860000000")  # kept in yuan
    form = client.get(f"/projects/{project.pk}/edit/").content.decode()
    assert 'name="total_investment" value="86000"' in form and "总投资（万元）" in form


def test_the_six_ones_form_is_for_administrators(client, demo, leader1):
    client.force_login(leader1)
    assert client.get("/projects/new/").status_code == 404


def test_home_shows_the_leaders_projects(client, demo, leader1):
    ProjectFactory(name="冯军负责的项目", leader=leader1)
    ProjectFactory(name="别人负责的项目")
    client.force_login(leader1)
    html = client.get("/").content.decode()
    assert "冯军负责的项目" in html and "别人负责的项目" not in html
    assert "挂图作战" in html


def test_the_milestone_timeline_has_a_legend_and_marks_that_do_not_cover_each_other(client, demo, leader1):
    import re

    project = ProjectFactory(leader=leader1, stage=Stage.SIGNED)
    client.force_login(leader1)
    client.post(f"/projects/{project.pk}/milestones/", {"name": "开工", "planned_date": str(TODAY)})
    milestone = project.milestones.get()
    client.post(f"/projects/{project.pk}/milestones/{milestone.pk}/reach/", {"actual_date": str(TODAY)})
    html = client.get(project.get_absolute_url()).content.decode()
    chart = html[
        html.index('data-testid="milestone-timeline"') : html.index(
            "</svg>", html.index("milestone-timeline")
        )
    ]
    (planned,) = re.findall(r'class="planned" cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"', chart)
    (actual,) = re.findall(r'class="actual-done" cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"', chart)
    assert planned[0] == actual[0]  # reached on its planned day: the same x
    assert float(actual[1]) - float(planned[1]) >= float(planned[2]) + float(actual[2])  # yet apart
    legend = html[html.index('data-testid="timeline-legend"') :]
    assert "计划日期" in legend and "按期完成" in legend and "已逾期" in legend
    assert 'data-testid="ledger-unit"' not in html or "万元" in html
