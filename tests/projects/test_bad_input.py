"""Bad input answers a clear 400, never a 500, and writes nothing; odd data already stored still
renders."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from projects.models import LedgerEntry, Milestone, SiteObservation, Stage, Supervision

from .factories import MilestoneFactory, ProjectFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
FAR = ["0001-01-01", "1999-12-31", "9999-12-31"]


@pytest.mark.parametrize("day", FAR)
def test_a_milestone_far_away_is_refused(api, client, demo, leader1, day):
    project = ProjectFactory(leader=leader1)
    response = api(leader1).post(
        f"/api/v1/projects/{project.pk}/milestones/", {"name": "开工", "planned_date": day}, format="json"
    )
    assert response.status_code == 400
    assert "planned_date" in response.json()["error"]["fields"]
    client.force_login(leader1)
    page = client.post(f"/projects/{project.pk}/milestones/", {"name": "开工", "planned_date": day})
    assert page.status_code == 400
    assert not Milestone.objects.exists()
    assert client.get(f"/projects/{project.pk}/").status_code == 200


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31"])
def test_reaching_or_replanning_a_milestone_far_away_is_refused(api, demo, leader1, day):
    project = ProjectFactory(leader=leader1)
    milestone = MilestoneFactory(project=project)
    url = f"/api/v1/projects/{project.pk}/milestones/{milestone.pk}/"
    assert api(leader1).patch(url, {"actual_date": day}, format="json").status_code == 400
    replan = api(leader1).patch(url, {"planned_date": day, "reason": "调整"}, format="json")
    assert replan.status_code == 400
    milestone.refresh_from_db()
    assert milestone.actual_date is None and milestone.planned_date == TODAY + timedelta(days=30)


def test_replanning_beyond_twenty_years_is_refused(api, demo, leader1):
    project = ProjectFactory(leader=leader1)
    milestone = MilestoneFactory(project=project)
    url = f"/api/v1/projects/{project.pk}/milestones/{milestone.pk}/"
    response = api(leader1).patch(url, {"planned_date": "9999-12-31", "reason": "调整"}, format="json")
    assert response.status_code == 400


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31"])
def test_supervision_ledger_and_observation_far_in_the_past_are_refused(api, demo, leader1, admin_user, day):
    project = ProjectFactory(leader=leader1, stage=Stage.UNDER_CONSTRUCTION)
    base = f"/api/v1/projects/{project.pk}"
    supervision = api(leader1).post(
        f"{base}/supervisions/", {"supervised_on": day, "findings": "正常"}, format="json"
    )
    assert supervision.status_code == 400
    ledger = api(leader1).post(
        f"{base}/ledger/",
        {"entry_date": day, "investment_completed": "100", "progress_percent": 1},
        format="json",
    )
    assert ledger.status_code == 400
    scores = dict.fromkeys(
        ("progress_score", "investment_score", "quality_score", "safety_score", "service_score"), 10
    )
    observation = api(admin_user).post(f"{base}/observations/", {"observed_on": day, **scores}, format="json")
    assert observation.status_code == 400
    assert not (
        Supervision.objects.exists() or LedgerEntry.objects.exists() or SiteObservation.objects.exists()
    )


def test_project_target_date_far_away_is_refused(api, demo, admin_user):
    project = ProjectFactory()
    response = api(admin_user).patch(
        f"/api/v1/projects/{project.pk}/", {"target_date": "9999-12-31"}, format="json"
    )
    assert response.status_code == 400
    project.refresh_from_db()
    assert project.target_date.year < 9999


def test_the_project_page_survives_dates_at_the_ends_of_the_calendar(client, demo, leader1):
    """Rows written before the bounds (or by the admin) still render."""
    project = ProjectFactory(leader=leader1)
    MilestoneFactory(project=project, planned_date=date.min, actual_date=date.min)
    MilestoneFactory(project=project, planned_date=date.max)
    client.force_login(leader1)
    assert client.get(f"/projects/{project.pk}/").status_code == 200


@pytest.mark.parametrize("quarter", ["0000Q1", "9999Q4", "1999Q4"])
def test_a_quarter_out_of_range_is_refused(api, client, demo, admin_user, quarter):
    response = api(admin_user).get("/api/v1/projects/ranking/", {"quarter": quarter})
    assert response.status_code == 400
    assert "quarter" in response.json()["error"]["fields"]
    client.force_login(admin_user)
    page = client.get("/projects/ranking/", {"quarter": quarter})
    assert page.status_code == 400
    assert "2000Q1" in page.content.decode()


def test_exports_write_formula_looking_text_as_text(api, demo, leader1, admin_user):
    from io import BytesIO

    from openpyxl import load_workbook

    from .factories import LedgerEntryFactory

    payload = '=HYPERLINK("http://x","y")'
    project = ProjectFactory(leader=leader1, name=payload, industry="+1+1")
    LedgerEntryFactory(project=project, problems="@SUM(A1)", note="-2+3")
    for url, user in [
        (f"/api/v1/projects/{project.pk}/ledger.xlsx", leader1),
        ("/api/v1/projects/summary.xlsx", admin_user),
    ]:
        response = api(user).get(url)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        sheet = load_workbook(BytesIO(content)).active
        cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
        assert not any(c.data_type == "f" for c in cells), url
        assert {payload, "@SUM(A1)", "-2+3"} & {c.value for c in cells}, url
