from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safety.actions import hazard_add, inspection_plan, inspection_record
from safety.demo import seed_people
from safety.models import ChecklistPoint, CheckResult, Severity

ZONE = ZoneInfo("Asia/Shanghai")
# Monday 2 March 2026, 09:00: an ordinary working week (no holiday until Qingming on 4 April).
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=ZONE)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def at(day: int, hour: int = 9, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=ZONE)


def png(name="photo.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def checklist(*failed):
    return {
        point: {"result": CheckResult.FAIL if point in failed else CheckResult.PASS, "note": ""}
        for point in ChecklistPoint.values
    }


@pytest.fixture
def org(demo):
    """The demo organisation with the bureau's inspector (`dept_emergency`) and leader."""
    seed_people(demo)
    return demo


@pytest.fixture
def inspector(org):
    return org.users["dept_emergency"]


@pytest.fixture
def bureau_leader(org):
    return org.users["emergency_leader"]


def recorded(org, enterprise=None, *, unannounced=True, now=MONDAY, actor=None):
    actor = actor or org.users["dept_emergency"]
    inspection = inspection_plan(
        actor=actor,
        enterprise=enterprise or org.enterprises["A"],
        planned_on=now.date(),
        unannounced=unannounced,
        now=now,
    )
    return inspection_record(
        actor=actor, inspection=inspection, checklist=checklist("hazard_control"), now=now
    )


def hazard(org, severity=Severity.GENERAL, *, now=MONDAY, enterprise=None):
    inspection = recorded(org, enterprise, now=now)
    return hazard_add(
        actor=org.users["dept_emergency"],
        inspection=inspection,
        severity=severity,
        description="隐患",
        now=now,
    )
