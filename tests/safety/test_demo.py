import pytest

from safety import demo as safety_demo
from safety.models import Campaign, Hazard, HazardStatus, Inspection, InspectionStatus, Severity
from zone_portal.cases.lateness import Lateness
from zone_portal.events.models import Event

pytestmark = pytest.mark.django_db


def test_demo_seeds_a_june_campaign_with_hazards_in_every_state_idempotently(demo):
    safety_demo.seed(demo)
    counts = (Inspection.objects.count(), Hazard.objects.count(), Event.objects.count())
    safety_demo.seed(demo)
    assert (Inspection.objects.count(), Hazard.objects.count(), Event.objects.count()) == counts
    campaign = Campaign.objects.get()
    assert (
        campaign.starts_on.month == 6
        and campaign.inspections.filter(status=InspectionStatus.RECORDED).count() >= 5
    )
    assert set(Inspection.objects.values_list("status", flat=True)) >= {
        InspectionStatus.PLANNED,
        InspectionStatus.RECORDED,
    }
    assert Inspection.objects.filter(status=InspectionStatus.PLANNED, unannounced=True).exists()
    hazards = list(Hazard.objects.all())
    assert {h.status for h in hazards} == set(HazardStatus.values)
    assert {h.severity for h in hazards} == set(Severity.values)
    open_lateness = {h.lateness for h in hazards if h.status == HazardStatus.OPEN}
    assert open_lateness == {Lateness.ON_TRACK, Lateness.AT_RISK, Lateness.OVERDUE}
    assert any(h.deadline_round > 1 for h in hazards)  # reopened once by a re-inspection
    assert any(h.exposed_at for h in hazards)
    overdue = [h for h in hazards if h.lateness == Lateness.OVERDUE]
    assert all(h.overdue_marked_at for h in overdue)  # the seeding sweep escalated them
    assert Event.objects.filter(kind="overdue", content_type__model="hazard").count() == len(overdue)
