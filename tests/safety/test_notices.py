"""Safety's notifications are codes with parameters: the enterprise, the inspector and the park
each read them in the language they chose, from the actions and from the sweep."""

import pytest
from django.utils import timezone

from safety import notices
from safety.sweep import hazards_sweep

from ..notices import email, reads, subjects
from .conftest import hazard

pytestmark = pytest.mark.django_db


def test_a_found_hazard_reads_in_the_enterprises_language(org, ent_a):
    reads(ent_a, "en")
    h = hazard(org)
    due = timezone.localtime(h.due_at).strftime("%Y-%m-%d %H:%M")
    assert subjects(ent_a, notices.HAZARD_FOUND) == [f"Hazard found: fix by {due}"]
    assert "隐患" in email(ent_a, notices.HAZARD_FOUND)  # the inspector's description, as written
    reads(ent_a, "zh-hans")
    assert subjects(ent_a, notices.HAZARD_FOUND) == [f"发现隐患：请于 {due} 前整改完毕"]


def test_the_overdue_sweep_reads_in_each_recipients_language(org, ent_a, inspector):
    reads(ent_a, "en")
    h = hazard(org)
    assert hazards_sweep(now=h.due_at)["overdue"] == 1
    assert subjects(ent_a, notices.HAZARD_OVERDUE) == ["Hazard overdue at 中金科技有限公司"]
    assert subjects(inspector, notices.HAZARD_OVERDUE) == ["中金科技有限公司 隐患逾期未整改"]
