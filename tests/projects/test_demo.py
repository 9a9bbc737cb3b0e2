import pytest

from projects import demo as projects_demo
from projects.models import LedgerEntry, Milestone, Project, Stage, Supervision
from projects.selectors import projects_visible_to, projects_with_status

pytestmark = pytest.mark.django_db


def test_demo_seeds_forty_projects_in_every_stage_and_park_idempotently(demo):
    projects_demo.seed(demo)
    counts = (Project.objects.count(), Milestone.objects.count(), LedgerEntry.objects.count())
    projects_demo.seed(demo)
    assert (Project.objects.count(), Milestone.objects.count(), LedgerEntry.objects.count()) == counts
    assert counts[0] == 40
    assert set(Project.objects.values_list("stage", flat=True)) == set(Stage.values)
    assert Project.objects.values("park").distinct().count() == 6
    assert Project.objects.filter(name="光伏组件材料项目").exists()
    assert Project.objects.filter(name="棚户区改造项目").exists()
    assert Supervision.objects.exists()
    leader1 = demo.users["leader1"]
    mine = projects_with_status(projects_visible_to(leader1).filter(leader=leader1))
    assert mine.count() >= 5 and mine.filter(is_delayed=True).exists()
    assert mine.filter(is_delayed=True, stage=Stage.UNDER_CONSTRUCTION).exists()
