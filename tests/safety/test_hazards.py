"""The rules of inspections and hazards, through the actions: deadlines by severity, the transition
table as the guard, the plan a major hazard needs, the re-inspection's two outcomes."""

from datetime import timedelta

import pytest

from safety.actions import (
    hazard_add,
    hazard_expose,
    hazard_plan_submit,
    hazard_reinspect,
    hazard_report_fix,
    inspection_cancel,
    inspection_plan,
    inspection_record,
)
from safety.models import HazardStatus, InspectionStatus, SafetySettings, Severity
from zone_portal.errors import Conflict, InvalidInput, PermissionDeniedError, TransitionForbidden
from zone_portal.events.models import Event

from .conftest import MONDAY, at, checklist, hazard, png, recorded

pytestmark = pytest.mark.django_db


def test_a_general_hazard_has_seven_working_days_on_the_working_calendar(org):
    h = hazard(org, Severity.GENERAL)  # Monday 2 March 09:00 → seven working days → Wednesday 11th
    assert h.due_at == at(11, 9)
    assert h.risk_at < h.due_at and h.risk_at > MONDAY


def test_a_major_hazard_has_thirty_calendar_days(org):
    h = hazard(org, Severity.MAJOR)
    assert h.due_at == MONDAY + timedelta(days=30)
    assert h.risk_at == MONDAY + timedelta(days=22, hours=12)  # 75 %


def test_the_deadlines_are_settings(org):
    SafetySettings.objects.update_or_create(
        pk=1, defaults={"general_working_days": 2, "major_calendar_days": 10}
    )
    assert hazard(org, Severity.GENERAL).due_at == at(4, 9)
    assert hazard(org, Severity.MAJOR).due_at == MONDAY + timedelta(days=10)


def test_a_major_hazard_needs_its_plan_before_the_fix_is_reported(org, ent_a, inspector):
    h = hazard(org, Severity.MAJOR)
    with pytest.raises(Conflict) as refused:
        hazard_report_fix(actor=ent_a, hazard=h, report="done", evidence=[png()])
    assert refused.value.code == "plan_required"
    h.refresh_from_db()
    assert h.status == HazardStatus.OPEN
    hazard_plan_submit(actor=ent_a, hazard=h, plan="停用、送检")
    h = hazard_report_fix(actor=ent_a, hazard=h, report="done", evidence=[png()])
    assert h.status == HazardStatus.REPORTED
    assert h.files.filter(purpose="evidence").count() == 1


def test_a_fix_needs_evidence_and_the_enterprises_own_staff(org, ent_a, ent_b):
    h = hazard(org)
    with pytest.raises(InvalidInput) as refused:
        hazard_report_fix(actor=ent_a, hazard=h, report="done", evidence=[])
    assert "evidence" in refused.value.fields
    with pytest.raises(PermissionDeniedError):
        hazard_report_fix(actor=ent_b, hazard=h, report="done", evidence=[png()])
    h.refresh_from_db()
    assert h.status == HazardStatus.OPEN and not h.files.exists()


def test_evidence_that_is_not_an_image_or_document_is_refused_and_nothing_is_written(org, ent_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    h = hazard(org)
    with pytest.raises(InvalidInput):
        hazard_report_fix(
            actor=ent_a, hazard=h, report="done", evidence=[SimpleUploadedFile("x.png", b"MZ\x90\x00" * 10)]
        )
    h.refresh_from_db()
    assert h.status == HazardStatus.OPEN and h.reported_at is None


def test_the_reinspection_closes_or_reopens_with_a_new_round(org, ent_a, inspector):
    h = hazard(org)
    hazard_report_fix(actor=ent_a, hazard=h, report="done", evidence=[png()], now=at(4))
    with pytest.raises(InvalidInput):  # not fixed needs a reason
        hazard_reinspect(actor=inspector, hazard=h, fixed=False, note="", now=at(5))
    h = hazard_reinspect(actor=inspector, hazard=h, fixed=False, note="未整改到位", now=at(5))
    assert h.status == HazardStatus.OPEN and h.deadline_round == 2
    assert h.due_at == at(16, 9)  # seven working days from Thursday 5th
    hazard_report_fix(actor=ent_a, hazard=h, report="again", evidence=[png()], now=at(6))
    h = hazard_reinspect(actor=inspector, hazard=h, fixed=True, now=at(9))
    assert h.status == HazardStatus.CLOSED and h.closed_at == at(9)
    kinds = list(
        Event.objects.filter(object_id=h.pk, content_type__model="hazard").values_list("kind", flat=True)
    )
    assert kinds == ["found", "fix_reported", "reopened", "fix_reported", "closed"]


def test_the_transition_table_is_the_guard(org, ent_a, inspector):
    h = hazard(org)
    with pytest.raises(TransitionForbidden):
        hazard_reinspect(actor=inspector, hazard=h, fixed=True)  # nothing reported yet
    hazard_report_fix(actor=ent_a, hazard=h, report="done", evidence=[png()])
    with pytest.raises(TransitionForbidden):
        hazard_report_fix(actor=ent_a, hazard=h, report="twice", evidence=[png()])
    hazard_reinspect(actor=inspector, hazard=h, fixed=True)
    with pytest.raises(TransitionForbidden):
        hazard_reinspect(actor=inspector, hazard=h, fixed=False, note="no")
    with pytest.raises(Conflict):
        hazard_plan_submit(actor=ent_a, hazard=h, plan="late")


def test_an_inspection_is_recorded_once_with_every_checklist_point(org, inspector):
    inspection = inspection_plan(actor=inspector, enterprise=org.enterprises["A"], planned_on=MONDAY.date())
    partial = checklist()
    partial.pop("duty_on_watch")
    with pytest.raises(InvalidInput) as refused:
        inspection_record(actor=inspector, inspection=inspection, checklist=partial)
    assert "checklist.duty_on_watch" in refused.value.fields
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.PLANNED and not inspection.checklist.exists()
    inspection_record(
        actor=inspector, inspection=inspection, checklist=checklist("patrol_records"), photos=[png()]
    )
    assert inspection.checklist.filter(result="fail").count() == 1
    assert inspection.files.count() == 1
    with pytest.raises(TransitionForbidden):
        inspection_record(actor=inspector, inspection=inspection, checklist=checklist())
    with pytest.raises(TransitionForbidden):
        inspection_cancel(actor=inspector, inspection=inspection, reason="late")


def test_hazards_only_on_a_recorded_inspection_and_by_its_inspectors(org, inspector, dept_market, ent_a):
    inspection = inspection_plan(actor=inspector, enterprise=org.enterprises["A"], planned_on=MONDAY.date())
    with pytest.raises(Conflict):
        hazard_add(actor=inspector, inspection=inspection, severity=Severity.GENERAL, description="x")
    inspection = recorded(org)
    for outsider in (dept_market, ent_a):
        with pytest.raises(PermissionDeniedError):
            hazard_add(actor=outsider, inspection=inspection, severity=Severity.GENERAL, description="x")
    with pytest.raises(InvalidInput):
        hazard_add(actor=inspector, inspection=inspection, severity="tiny", description="x")


def test_only_the_bureau_leaders_and_administrators_inspect(
    org, dept_market, park1, ent_a, leader1, inspector
):
    for outsider in (dept_market, park1, ent_a):
        with pytest.raises(PermissionDeniedError):
            inspection_plan(actor=outsider, enterprise=org.enterprises["A"], planned_on=MONDAY.date())
    assert (
        inspection_plan(actor=leader1, enterprise=org.enterprises["A"], planned_on=MONDAY.date()).department
        is None
    )
    by_bureau = inspection_plan(actor=inspector, enterprise=org.enterprises["A"], planned_on=MONDAY.date())
    assert by_bureau.department.code == "emergency"


def test_exposure_is_once(org, inspector, ent_a):
    h = hazard(org)
    with pytest.raises(PermissionDeniedError):
        hazard_expose(actor=ent_a, hazard=h)
    hazard_expose(actor=inspector, hazard=h, note="逾期")
    with pytest.raises(Conflict):
        hazard_expose(actor=inspector, hazard=h)


def test_the_plan_changes_only_while_the_fix_can_still_be_reported(org, ent_a, inspector):
    h = hazard(org, Severity.MAJOR)
    hazard_plan_submit(actor=ent_a, hazard=h, plan="停用、送检")
    h = hazard_report_fix(actor=ent_a, hazard=h, report="done", evidence=[png()])
    with pytest.raises(Conflict):
        hazard_plan_submit(actor=ent_a, hazard=h, plan="another plan")
    h.refresh_from_db()
    assert h.plan == "停用、送检"
    h = hazard_reinspect(actor=inspector, hazard=h, fixed=False, note="未整改到位")
    assert hazard_plan_submit(actor=ent_a, hazard=h, plan="更换设备").plan == "更换设备"
