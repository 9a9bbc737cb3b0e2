"""The projects' notifications are codes with parameters: each member of the project reads them in
the language they chose, the stage named in that language (a stage's label has a context)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from projects import notices
from projects.actions import project_change_stage, projects_flag_delays
from projects.models import Stage

from ..notices import reads, subjects
from .factories import MilestoneFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_a_stage_change_reads_in_each_members_language(demo, leader1):
    project = ProjectFactory(leader=leader1, stage=Stage.SIGNED, construction_started_on=None)
    english, chinese = reads(project.investment_member, "en"), project.service_member
    project_change_stage(actor=leader1, project=project, to_stage=Stage.CONSTRUCTION_STARTED)
    assert subjects(english, notices.STAGE) == [f"{project.name}: Construction started"]
    assert subjects(chinese, notices.STAGE) == [f"{project.name}：开工"]


def test_the_delay_sweep_reads_in_each_members_language(demo):
    today = timezone.localdate()
    milestone = MilestoneFactory(name="主体封顶", planned_date=today - timedelta(days=1))
    project = milestone.project
    reads(project.leader, "en")
    assert projects_flag_delays() == 1
    when = milestone.planned_date
    assert subjects(project.leader, notices.DELAYED) == [
        f"Delayed: {project.name}, milestone “主体封顶” was due {when}"
    ]
    assert subjects(project.platform_member, notices.DELAYED) == [
        f"项目延期：{project.name} 的节点“主体封顶”计划于 {when} 完成"
    ]
