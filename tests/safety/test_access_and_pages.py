"""Isolation (another enterprise and another park get 404, an unannounced inspection stays hidden
until recorded), the API's conventions and the pages, with pinned query counts for the lists."""

import pytest
from django.test import Client
from django.urls import reverse

from safety.actions import hazard_plan_submit, inspection_plan
from safety.models import Hazard, HazardStatus, Severity

from .conftest import MONDAY, checklist, hazard, png, recorded

pytestmark = pytest.mark.django_db


def page(user):
    client = Client()
    client.force_login(user)
    return client


def test_another_enterprise_and_another_park_get_404(org, api, ent_a, ent_b, park1, park2, dept_market):
    h = hazard(org)
    inspection = h.inspection
    file_id = inspection.files.create(purpose="photo", file=png(), uploaded_by=inspection.inspector).pk
    for user in (ent_b, park2, dept_market):
        client = api(user)
        assert client.get(f"/api/v1/safety/hazards/{h.pk}/").status_code == 404
        assert client.get(f"/api/v1/safety/inspections/{inspection.pk}/").status_code == 404
        assert client.get(f"/api/v1/safety/files/{file_id}/").status_code == 404
        assert client.post(f"/api/v1/safety/hazards/{h.pk}/plan/", {"plan": "x"}).status_code == 404
        assert page(user).get(reverse("safety:hazard", args=[h.pk])).status_code == 404
        assert client.get("/api/v1/safety/hazards/").json()["count"] == 0
    for user in (ent_a, park1):
        assert api(user).get(f"/api/v1/safety/hazards/{h.pk}/").status_code == 200
        assert page(user).get(reverse("safety:hazard", args=[h.pk])).status_code == 200


def test_an_unannounced_inspection_is_hidden_from_the_enterprise_until_recorded(
    org, api, ent_a, park1, inspector
):
    secret = inspection_plan(
        actor=inspector, enterprise=org.enterprises["A"], planned_on=MONDAY.date(), unannounced=True
    )
    announced = inspection_plan(actor=inspector, enterprise=org.enterprises["A"], planned_on=MONDAY.date())
    listed = {row["id"] for row in api(ent_a).get("/api/v1/safety/inspections/").json()["results"]}
    assert listed == {announced.pk}
    assert api(ent_a).get(f"/api/v1/safety/inspections/{secret.pk}/").status_code == 404
    assert api(park1).get(f"/api/v1/safety/inspections/{secret.pk}/").status_code == 200
    answer = api(inspector).post(
        f"/api/v1/safety/inspections/{secret.pk}/record/",
        {"checklist": checklist("duty_on_watch"), "findings": "值班脱岗"},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    assert api(ent_a).get(f"/api/v1/safety/inspections/{secret.pk}/").status_code == 200


def test_the_api_runs_a_major_hazard_from_finding_to_closing(org, api, inspector, ent_a):
    inspection = recorded(org)
    client = api(inspector)
    made = client.post(
        f"/api/v1/safety/inspections/{inspection.pk}/hazards/",
        {"severity": "major", "description": "安全阀超期"},
        format="json",
    )
    assert made.status_code == 201, made.json()
    pk = made.json()["id"]
    assert made.json()["lateness"] == "on_track"
    refused = api(ent_a).post(f"/api/v1/safety/hazards/{pk}/report/", {"report": "done", "evidence": [png()]})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "plan_required"
    assert api(ent_a).post(f"/api/v1/safety/hazards/{pk}/plan/", {"plan": "停用送检"}).status_code == 200
    assert (
        api(ent_a)
        .post(f"/api/v1/safety/hazards/{pk}/report/", {"report": "ok", "evidence": [png()]})
        .status_code
        == 200
    )
    assert api(ent_a).post(f"/api/v1/safety/hazards/{pk}/reinspect/", {"fixed": True}).status_code == 403
    closed = client.post(f"/api/v1/safety/hazards/{pk}/reinspect/", {"fixed": True}, format="json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    again = client.post(f"/api/v1/safety/hazards/{pk}/reinspect/", {"fixed": True}, format="json")
    assert again.status_code == 409


def test_bad_input_is_a_clear_400_and_nothing_is_written(org, api, inspector):
    inspection = recorded(org)
    client = api(inspector)
    answer = client.post(
        f"/api/v1/safety/inspections/{inspection.pk}/hazards/",
        {"severity": "tiny", "description": ""},
        format="json",
    )
    assert answer.status_code == 400 and {"severity", "description"} <= set(answer.json()["error"]["fields"])
    assert (
        client.post(
            "/api/v1/safety/inspections/", {"enterprise": 999999, "planned_on": "2026-03-02"}, format="json"
        ).status_code
        == 400
    )
    assert (
        client.post(
            "/api/v1/safety/campaigns/",
            {"name": "x", "starts_on": "2026-06-30", "ends_on": "2026-06-01", "target_count": 3},
            format="json",
        ).status_code
        == 400
    )
    assert not Hazard.objects.exists()


def test_who_may_not_plan_hears_403_before_anything_about_the_input(org, api, ent_a, dept_market):
    for user in (ent_a, dept_market):
        assert api(user).post("/api/v1/safety/inspections/", {}, format="json").status_code == 403
        assert api(user).post("/api/v1/safety/campaigns/", {}, format="json").status_code == 403


def test_lists_have_a_bounded_number_of_queries(org, api, inspector, park1, django_assert_max_num_queries):
    for _ in range(2):
        hazard(org)
    client, browser = api(park1), page(park1)

    def counts():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        found = []
        for url, get in (
            ("/api/v1/safety/hazards/", client.get),
            ("/api/v1/safety/inspections/", client.get),
            (reverse("safety:hazards"), browser.get),
            (reverse("safety:inspections"), browser.get),
            (reverse("safety:campaigns"), page(inspector).get),
            (reverse("enterprises:detail", args=[org.enterprises["A"].pk]), browser.get),
        ):
            with CaptureQueriesContext(connection) as queries:
                assert get(url).status_code == 200, url
            found.append(len(queries))
        return found

    counts()  # warm: the content types and the users' cached scopes
    few = counts()
    for _ in range(6):
        hazard(org, Severity.MAJOR)
    assert counts() == few


def test_the_pages_walk_a_hazard_through_its_states(org, inspector, ent_a):
    h = hazard(org, Severity.MAJOR)
    enterprise = page(ent_a)
    detail = enterprise.get(reverse("safety:hazard", args=[h.pk])).content.decode()
    # A major hazard: the plan form first, no report form until the plan is in.
    assert f'action="/safety/hazards/{h.pk}/plan/"' in detail
    assert f'action="/safety/hazards/{h.pk}/report/"' not in detail
    answer = enterprise.post(reverse("safety:hazard-act", args=[h.pk, "plan"]), {"plan": "停用送检"})
    assert answer.status_code == 302
    answer = enterprise.post(reverse("safety:hazard-act", args=[h.pk, "report"]), {"report": "ok"})
    assert answer.status_code == 400  # no evidence: said on the form
    answer = enterprise.post(
        reverse("safety:hazard-act", args=[h.pk, "report"]), {"report": "ok", "evidence": png()}
    )
    assert answer.status_code == 302
    answer = page(inspector).post(
        reverse("safety:hazard-act", args=[h.pk, "reinspect"]), {"fixed": "0", "note": ""}
    )
    assert answer.status_code == 400
    answer = page(inspector).post(
        reverse("safety:hazard-act", args=[h.pk, "reinspect"]), {"fixed": "0", "note": "未整改"}
    )
    assert answer.status_code == 302
    h.refresh_from_db()
    assert h.status == HazardStatus.OPEN and h.deadline_round == 2


def test_the_enterprise_page_shows_its_inspections_and_open_hazards(org, ent_a, ent_b):
    h = hazard(org, Severity.MAJOR)
    hazard_plan_submit(actor=ent_a, hazard=h, plan="plan")
    own = page(ent_a).get(reverse("enterprises:detail", args=[org.enterprises["A"].pk])).content.decode()
    assert 'data-testid="safety-panel"' in own and h.get_absolute_url() in own
    other = page(ent_b).get(reverse("enterprises:detail", args=[org.enterprises["B"].pk])).content.decode()
    assert 'data-testid="safety-panel"' not in other


def test_the_dashboard_has_a_safety_section_by_severity_overdue_and_park(
    org, api, admin_user, inspector, ent_a
):
    from safety.sweep import hazards_sweep

    hazard(org, Severity.MAJOR)
    late = hazard(org, Severity.GENERAL)
    hazard(org, Severity.GENERAL, enterprise=org.enterprises["B"])
    hazards_sweep(now=late.due_at)
    summary = api(admin_user).get("/api/v1/dashboard/summary/", {"from": "2026-03-01", "to": "2026-03-31"})
    assert summary.status_code == 200, summary.json()
    s = summary.json()["safety"]
    assert (s["inspections"], s["open_general"], s["open_major"], s["found"]) == (3, 2, 1, 3)
    park1 = next(row for row in s["by_park"] if row["park"]["id"] == org.parks["park1"].pk)
    assert park1["open_major"] == 1 and park1["inspections"] == 3
    assert s["overdue"] >= 1  # counted now, and the March hazards are long overdue
    html = page(admin_user).get("/dashboard/", {"from": "2026-03-01", "to": "2026-03-31"}).content.decode()
    assert 'data-testid="section-safety"' in html


def test_a_page_says_done_in_the_language_the_user_chose(org, inspector, ent_a):
    """The success messages of the hazard and inspection verbs are translated when shown, not
    once when the module was imported (an English reader was told in Chinese)."""
    from django.conf import settings
    from django.contrib.messages import get_messages

    h = hazard(org, Severity.MAJOR)
    for client, url, data, said in (
        (
            page(ent_a),
            reverse("safety:hazard-act", args=[h.pk, "plan"]),
            {"plan": "停用送检"},
            "Rectification plan submitted.",
        ),
        (
            page(inspector),
            reverse("safety:inspection-act", args=[h.inspection_id, "photos"]),
            {"photos": png()},
            "Photos added.",
        ),
    ):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        answer = client.post(url, data)
        assert answer.status_code == 302
        assert [str(m) for m in get_messages(answer.wsgi_request)] == [said]
