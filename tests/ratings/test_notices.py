"""The ratings' notifications are codes with parameters: a bad review and its overdue verification
read in each recipient's language."""

import pytest

from feedback.actions import ticket_confirm
from tests.feedback.conftest import at
from tests.feedback.factories import resolved_ticket
from zone_portal.notifications.models import Notification
from zone_portal.ratings import notices
from zone_portal.ratings.models import Rectification
from zone_portal.ratings.sweep import rectifications_sweep

from ..notices import reads, subjects

pytestmark = pytest.mark.django_db


def test_a_bad_review_and_its_overdue_verification_read_in_each_language(org):
    ticket = resolved_ticket(org)
    reads(org.users["cso1"], "en")
    ticket_confirm(actor=org.users["ent_a"], ticket=ticket, solved=True, score=1, comment="没解决", now=at(3))
    rectification = Rectification.objects.get()
    label = rectification.rating.case_label
    assert rectifications_sweep(now=rectification.verify_due_at)["verify_overdue"] == 1
    told = Notification.objects.filter(code=notices.VERIFY_OVERDUE).exclude(recipient=org.users["cso1"])
    other = told.first().recipient
    assert subjects(org.users["cso1"], notices.VERIFY_OVERDUE) == [f"Verification overdue: {label}"]
    assert subjects(other, notices.VERIFY_OVERDUE) == [f"核实超期：{label}"]
    [bad] = subjects(org.users["cso1"], notices.BAD_REVIEW)
    assert bad.startswith(f"Bad review of {label}: verify by ")
