import pytest
from django.conf import settings

from feedback import demo
from feedback.models import Ticket, Whistle
from feedback.tasks import sweep_deadlines
from zone_portal.celery import app

pytestmark = pytest.mark.django_db


def test_demo_covers_every_tier_and_state_and_is_idempotent(org):
    demo.seed(org)
    states = set(Ticket.objects.values_list("tier", "status"))
    assert {
        (1, "open"),
        (2, "open"),
        (3, "open"),
        (1, "resolved"),
        (1, "closed"),
        (1, "closed_unconfirmed"),
    } <= states
    assert Ticket.objects.filter(park=None).exists()  # a hotline ticket waiting for triage
    assert Ticket.objects.filter(park__code="park2").exists()
    assert Whistle.objects.filter(noticed_at__isnull=False, status="whistled").exists()
    assert Whistle.objects.filter(status="answered").exists()
    count = Ticket.objects.count()
    demo.seed(org)
    assert Ticket.objects.count() == count


def test_beat_runs_the_sweep_every_interval(org):
    app.loader.import_default_modules()
    app.finalize()
    entry = app.conf.beat_schedule["feedback-sweep-deadlines"]
    assert entry["task"] == "feedback.tasks.sweep_deadlines"
    assert entry["schedule"] == float(settings.SWEEP_INTERVAL_SECONDS)
    report = sweep_deadlines.delay().get()
    assert set(report) >= {"Tier1Overdue", "Tier2Overdue", "ReportOverdue", "ConfirmTimeout"}
