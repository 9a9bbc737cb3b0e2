import pytest

from enterprises import demo as enterprises_demo
from enterprises.models import Enterprise, Visit
from enterprises.selectors import officer_workload, register_counts
from enterprises.uscc import uscc_validate

pytestmark = pytest.mark.django_db


def test_demo_register_has_the_zones_figures_and_an_officer_for_everyone(demo):
    enterprises_demo.seed(demo)
    enterprises_demo.seed(demo)  # idempotent
    counts = register_counts()
    assert counts["total"] >= 152
    assert (counts["high_tech"], counts["reserve"], counts["tech_sme"]) == (35, 31, 75)
    assert officer_workload()["without_officer"] == 0
    assert Enterprise.objects.values("park").distinct().count() == 6
    for code in Enterprise.objects.values_list("uscc", flat=True):
        assert uscc_validate(code) == code
    assert Visit.objects.count() > 30
    a = Enterprise.objects.get(pk=demo.enterprises["A"].pk)
    assert (a.name, a.uscc, a.name_initials) == ("中金科技有限公司", "91410400MA44L8KX5B", "zjkjyxgs")
    assert list(Enterprise.objects.filter(name_initials__contains="zjkj")) == [a]
