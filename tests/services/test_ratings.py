"""Good/bad ratings (好差评) and rectifications (整改): once per case, bad reviews open a
rectification owned by the handler's department, deadlines from the administrator's settings."""

from decimal import Decimal

import pytest
import time_machine

from services.actions import service_settings_update
from zone_portal.errors import Conflict
from zone_portal.ratings import actions
from zone_portal.ratings.models import Rating, Rectification
from zone_portal.ratings.selectors import rating_coverage

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(file_request, clerk1):
    with time_machine.travel(at(2026, 11, 30, 9, 0), tick=False):
        return file_request("seal-engraving", state="completed", by=clerk1)


def rate(api, user, request, score, comment=""):
    return api(user).post(
        f"/api/v1/service-requests/{request.pk}/rate/", {"score": score, "comment": comment}, format="json"
    )


def test_a_good_rating_is_recorded_once(api, ent_a, completed):
    response = rate(api, ent_a, completed, 5, "很快")
    assert response.status_code == 200
    assert response.json()["rating"]["score"] == 5 and response.json()["rating"]["rectification"] is None
    second = rate(api, ent_a, completed, 1)
    assert second.status_code == 409 and second.json()["error"]["code"] == "already_rated"
    assert Rating.objects.count() == 1 and not Rectification.objects.exists()


def test_only_a_completed_request_is_rated_and_only_by_its_applicant(
    api, ent_a, ent_b, clerk1, file_request, completed
):
    assert rate(api, ent_a, file_request(state="accepted", by=clerk1), 5).status_code == 409
    assert rate(api, clerk1, completed, 5).status_code == 403
    assert rate(api, ent_b, completed, 5).status_code == 404
    assert rate(api, ent_a, completed, 6).status_code == 400


def test_a_bad_review_opens_a_rectification_for_the_handlers_department(
    api, ent_a, completed, clerk1, clerk2, demo
):
    with time_machine.travel(at(2026, 11, 30, 10, 0), tick=False):
        body = rate(api, ent_a, completed, 2, "等待时间过长").json()
    rectification = Rectification.objects.get(pk=body["rating"]["rectification"])
    assert rectification.status == "open"
    assert rectification.department.code == "approval" and rectification.handler == clerk1
    assert rectification.verify_due_at == at(2026, 12, 1, 10, 0)  # 1 working day
    # 15 working days of 7 h from Monday 30 November 10:00.
    assert rectification.fix_due_at == at(2026, 12, 21, 10, 0)
    for member in (clerk1, clerk2):  # the approval department
        assert member.notifications.filter(kind="rectification").exists()


def test_rectification_deadlines_are_the_administrators_settings(api, ent_a, completed, admin_user):
    service_settings_update(
        actor=admin_user, rectification_verify_days=Decimal("2"), rectification_fix_days=Decimal("5")
    )
    with time_machine.travel(at(2026, 11, 30, 10, 0), tick=False):
        rate(api, ent_a, completed, 1)
    rectification = Rectification.objects.get()
    assert rectification.verify_due_at == at(2026, 12, 2, 10, 0)
    assert rectification.fix_due_at == at(2026, 12, 7, 10, 0)


def _bad(api, ent_a, completed):
    rate(api, ent_a, completed, 1, "态度生硬")
    return Rectification.objects.get()


def test_the_rectification_runs_verify_reply_callback_and_the_enterprise_closes_it(
    api, ent_a, clerk2, completed
):
    rectification = _bad(api, ent_a, completed)
    url = f"/api/v1/rectifications/{rectification.pk}"
    dept = api(clerk2)  # same department as the handler
    assert dept.post(f"{url}/reply/", {"reply": "x"}, format="json").status_code == 409
    assert (
        dept.post(f"{url}/verify/", {"finding": "属实：窗口人员解释不清"}, format="json").json()["status"]
        == "fixing"
    )
    assert dept.post(f"{url}/callback/", {"note": "x"}, format="json").status_code == 409
    assert (
        dept.post(f"{url}/reply/", {"reply": "已培训窗口人员"}, format="json").json()["status"] == "replied"
    )
    assert api(ent_a).post(f"{url}/rate-fix/", {"fix_score": "satisfied"}, format="json").status_code == 409
    assert (
        dept.post(f"{url}/callback/", {"note": "企业认可整改"}, format="json").json()["status"]
        == "called_back"
    )
    assert ent_a.notifications.filter(kind="rectification").exists()
    assert dept.post(f"{url}/rate-fix/", {"fix_score": "satisfied"}, format="json").status_code == 403
    closed = (
        api(ent_a)
        .post(f"{url}/rate-fix/", {"fix_score": "basically_satisfied", "comment": "可以"}, format="json")
        .json()
    )
    assert closed["status"] == "closed" and closed["fix_score"] == "basically_satisfied"
    assert [e["kind"] for e in closed["events"]] == ["opened", "verified", "replied", "called_back", "closed"]


def test_what_can_be_fixed_at_once_is_fixed_at_once(api, ent_a, clerk1, completed):
    rectification = _bad(api, ent_a, completed)
    body = (
        api(clerk1)
        .post(
            f"/api/v1/rectifications/{rectification.pk}/verify/",
            {"finding": "当场更正", "fixed_at_once": True},
            format="json",
        )
        .json()
    )
    assert body["status"] == "replied" and body["fixed_at_once"] and body["reply"] == "当场更正"


def test_a_dissatisfied_enterprise_sends_it_back_with_a_new_deadline(api, ent_a, clerk1, completed):
    rectification = _bad(api, ent_a, completed)
    url = f"/api/v1/rectifications/{rectification.pk}"
    api(clerk1).post(f"{url}/verify/", {"finding": "属实", "fixed_at_once": True}, format="json")
    api(clerk1).post(f"{url}/callback/", {"note": "企业仍不满意"}, format="json")
    with time_machine.travel(at(2026, 12, 2, 9, 0), tick=False):
        body = (
            api(ent_a)
            .post(f"{url}/rate-fix/", {"fix_score": "dissatisfied", "comment": "没解决"}, format="json")
            .json()
        )
    assert body["status"] == "fixing"
    assert body["fix_due_at"].startswith("2026-12-2")  # 15 working days from 2 December


def test_appeal_is_decided_by_a_supervisor_or_an_administrator(
    api, ent_a, clerk1, supervisor1, admin_user, completed
):
    rectification = _bad(api, ent_a, completed)
    url = f"/api/v1/rectifications/{rectification.pk}"
    assert api(ent_a).post(f"{url}/appeal/", {"reason": "x"}, format="json").status_code == 403
    assert (
        api(clerk1)
        .post(f"{url}/appeal/", {"reason": "恶意差评：企业未到现场"}, format="json")
        .json()["status"]
        == "appealed"
    )
    assert admin_user.notifications.filter(kind="rectification").exists()
    assert api(clerk1).post(
        f"{url}/decide/", {"uphold": True, "decision": "x"}, format="json"
    ).status_code in (403, 404)
    dismissed = (
        api(supervisor1)
        .post(f"{url}/decide/", {"uphold": False, "decision": "证据不足"}, format="json")
        .json()
    )
    assert dismissed["status"] == "open"
    api(clerk1).post(f"{url}/appeal/", {"reason": "补充证据"}, format="json")
    upheld = (
        api(admin_user)
        .post(f"{url}/decide/", {"uphold": True, "decision": "监控显示企业未到场"}, format="json")
        .json()
    )
    assert upheld["status"] == "voided"


def test_other_enterprises_and_departments_cannot_see_a_rectification(
    api, ent_a, ent_b, dept_land, dept_market, completed
):
    rectification = _bad(api, ent_a, completed)
    url = f"/api/v1/rectifications/{rectification.pk}/"
    assert api(ent_a).get(url).status_code == 200
    assert api(ent_b).get(url).status_code == 404
    assert api(dept_land).get(url).status_code == 404
    assert api(dept_land).get("/api/v1/rectifications/").json()["count"] == 0
    assert api(ent_b).post(f"{url}verify/", {"finding": "x"}, format="json").status_code == 404


def test_rating_submit_serves_any_case_such_as_a_problem_ticket(enterprise_a, ent_a, dept_tax, dept_market):
    # The feedback app passes its ticket; any model instance works the same way.
    case = enterprise_a
    rating = actions.rating_submit(
        actor=ent_a,
        case=case,
        score=1,
        comment="诉求办理敷衍",
        handler=dept_tax,
        handler_department=dept_tax.departments.first(),
        enterprise=enterprise_a,
    )
    assert rating.case == case and rating.rectification.department.code == "tax"
    with pytest.raises(Conflict):
        actions.rating_submit(actor=ent_a, case=case, score=5, handler=None, handler_department=None)
    from zone_portal.events.log import events_for

    assert [e.kind for e in events_for(case)] == ["rated"]


def test_coverage_is_ratings_over_completed_requests(api, ent_a, clerk1, file_request, completed):
    assert rating_coverage()["coverage_percent"] == 0.0
    file_request(state="completed", by=clerk1)
    assert rating_coverage() == {"finished": 2, "rated": 0, "bad": 0, "coverage_percent": 0.0}
    rate(api, ent_a, completed, 2)
    assert rating_coverage() == {"finished": 2, "rated": 1, "bad": 1, "coverage_percent": 50.0}
    assert api(ent_a).get("/api/v1/ratings/coverage/").json()["coverage_percent"] == 50.0


def test_coverage_without_a_rateable_case_is_none():
    assert rating_coverage() == {"finished": 0, "rated": 0, "bad": 0, "coverage_percent": None}


def test_ratings_list_is_scoped(api, ent_a, ent_b, admin_user, completed):
    rate(api, ent_a, completed, 4)
    assert api(ent_a).get("/api/v1/ratings/").json()["count"] == 1
    assert api(ent_b).get("/api/v1/ratings/").json()["count"] == 0
    assert api(admin_user).get("/api/v1/ratings/").json()["count"] == 1
