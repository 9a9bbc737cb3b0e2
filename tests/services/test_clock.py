"""Due dates on the working calendar: office hours 08:30–12:00 and 14:30–18:00, official holidays
and make-up days, the pause while waiting for a supplement."""

from decimal import Decimal

import pytest
import time_machine

from services import actions
from services.selectors import service_settings

from .conftest import at

pytestmark = pytest.mark.django_db


def _accept_at(moment, file_request, clerk1, code):
    with time_machine.travel(moment, tick=False):
        return file_request(code, state="accepted", by=clerk1)


def test_three_hour_license_accepted_mid_morning_is_due_after_lunch(file_request, clerk1):
    request = _accept_at(at(2026, 11, 30, 10, 0), file_request, clerk1, "business-license")
    # 10:00–12:00 is two hours; the third runs from 14:30.
    assert request.due_at == at(2026, 11, 30, 15, 30)
    assert request.risk_at == at(2026, 11, 30, 14, 45)  # 75% of 3 h = 2 h 15 min
    assert request.time_limit.total_seconds() == 3 * 3600


def test_license_accepted_friday_afternoon_is_due_monday_morning(file_request, clerk1):
    request = _accept_at(at(2026, 11, 27, 17, 0), file_request, clerk1, "business-license")
    assert request.due_at == at(2026, 11, 30, 10, 30)


def test_license_accepted_on_saturday_counts_from_monday_opening(file_request, clerk1):
    request = _accept_at(at(2026, 11, 28, 10, 0), file_request, clerk1, "business-license")
    assert request.due_at == at(2026, 11, 30, 11, 30)


def test_seal_engraving_is_due_two_working_hours_after_acceptance(file_request, clerk1):
    request = _accept_at(at(2026, 11, 30, 9, 0), file_request, clerk1, "seal-engraving")
    assert request.due_at == at(2026, 11, 30, 11, 0)


def test_same_day_invoice_is_due_at_the_close_of_the_day(file_request, clerk1):
    morning = _accept_at(at(2026, 11, 30, 9, 0), file_request, clerk1, "invoice")
    assert morning.due_at == at(2026, 11, 30, 18, 0)
    evening = _accept_at(at(2026, 11, 30, 19, 0), file_request, clerk1, "invoice")
    assert evening.due_at == at(2026, 12, 1, 18, 0)


def test_twenty_working_day_permit_skips_the_national_day_holiday_and_counts_the_make_up_saturday(
    file_request, clerk1
):
    request = _accept_at(at(2026, 9, 28, 8, 30), file_request, clerk1, "land-planning-permit")
    # 28, 29, 30 Sep; 1–7 Oct are holidays; 8, 9 Oct; Saturday 10 Oct is a make-up working day;
    # then 12–16, 19–23, 26–29 Oct: the twentieth working day is Thursday 29 October.
    assert request.due_at == at(2026, 10, 29, 18, 0)


def test_a_pause_of_two_working_hours_moves_the_due_time_by_two_working_hours(file_request, clerk1, ent_a):
    request = _accept_at(at(2026, 11, 30, 9, 0), file_request, clerk1, "business-license")
    assert request.due_at == at(2026, 11, 30, 12, 0)
    with time_machine.travel(at(2026, 11, 30, 11, 0), tick=False):
        paused = actions.request_request_supplement(actor=clerk1, service_request=request, missing=["章程"])
    assert paused.sla_state_at(at(2026, 11, 30, 20, 0)) == "paused"
    # 11:00–12:00 and 14:30–15:30: two working hours of waiting.
    with time_machine.travel(at(2026, 11, 30, 15, 30), tick=False):
        resumed = actions.request_supplement(actor=ent_a, service_request=request, note="已补充章程")
    assert resumed.due_at == at(2026, 11, 30, 16, 30)
    assert resumed.risk_at == at(2026, 11, 30, 15, 45)
    assert resumed.paused_total.total_seconds() == 2 * 3600


def test_a_pause_outside_office_hours_moves_nothing(file_request, clerk1, ent_a):
    request = _accept_at(at(2026, 11, 27, 17, 0), file_request, clerk1, "business-license")
    with time_machine.travel(at(2026, 11, 27, 18, 0), tick=False):
        actions.request_request_supplement(actor=clerk1, service_request=request, missing=["章程"])
    with time_machine.travel(at(2026, 11, 29, 20, 0), tick=False):
        resumed = actions.request_supplement(actor=ent_a, service_request=request, note="周末补齐")
    assert resumed.due_at == at(2026, 11, 30, 10, 30)


def test_the_at_risk_ratio_is_the_administrators_setting(file_request, clerk1, admin_user):
    actions.service_settings_update(actor=admin_user, at_risk_ratio=Decimal("0.50"))
    assert service_settings().at_risk_ratio == Decimal("0.50")
    request = _accept_at(at(2026, 11, 30, 9, 0), file_request, clerk1, "business-license")
    assert request.risk_at == at(2026, 11, 30, 10, 30)


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (at(2026, 11, 30, 10, 0), "on_track"),
        (at(2026, 11, 30, 14, 50), "at_risk"),
        (at(2026, 11, 30, 15, 30), "overdue"),
    ],
)
def test_sla_state_follows_the_clock(file_request, clerk1, now, state):
    request = _accept_at(at(2026, 11, 30, 10, 0), file_request, clerk1, "business-license")
    assert request.sla_state_at(now) == state


def test_sla_state_is_done_once_closed_and_on_track_before_acceptance(file_request, clerk1):
    assert file_request("seal-engraving").sla_state == "on_track"
    assert file_request("seal-engraving", state="completed", by=clerk1).sla_state == "done"
