from datetime import date

import pytest

from zone_portal.dashboard.periods import Period, period_from_params
from zone_portal.errors import InvalidInput

TODAY = date(2026, 11, 30)


def test_presets_end_today():
    assert period_from_params({"period": "month"}, TODAY) == Period(date(2026, 11, 1), TODAY)
    assert period_from_params({"period": "quarter"}, TODAY) == Period(date(2026, 10, 1), TODAY)
    assert period_from_params({"period": "year"}, TODAY) == Period(date(2026, 1, 1), TODAY)
    assert period_from_params({}, TODAY) == Period(date(2026, 1, 1), TODAY)


def test_custom_dates_are_inclusive_and_bounds_are_aware():
    period = period_from_params({"from": "2026-03-01", "to": "2026-03-31"}, TODAY)

    assert (period.first, period.last) == (date(2026, 3, 1), date(2026, 3, 31))
    assert period.start.isoformat() == "2026-03-01T00:00:00+08:00"
    assert period.end.isoformat() == "2026-04-01T00:00:00+08:00"  # exclusive


def test_a_preset_wins_over_dates_left_in_the_form():
    params = {"period": "month", "from": "2020-01-01", "to": "2020-02-01"}
    assert period_from_params(params, TODAY) == Period(date(2026, 11, 1), TODAY)
    params["period"] = "custom"
    assert period_from_params(params, TODAY) == Period(date(2020, 1, 1), date(2020, 2, 1))


@pytest.mark.parametrize(
    "params, field",
    [
        ({"from": "2026-13-01"}, "from"),
        ({"from": "2026-03-01", "to": "yesterday"}, "to"),
        ({"from": "2026-03-02", "to": "2026-03-01"}, "to"),
        ({"from": "2010-01-01", "to": "2026-03-01"}, "from"),
        ({"period": "decade"}, "period"),
    ],
)
def test_bad_periods_are_refused_with_the_field_named(params, field):
    with pytest.raises(InvalidInput) as caught:
        period_from_params(params, TODAY)
    assert field in caught.value.fields


def test_weeks_are_the_mondays_the_period_touches():
    weeks = Period(date(2026, 3, 1), date(2026, 3, 31)).weeks()

    assert weeks[0] == date(2026, 2, 23) and weeks[-1] == date(2026, 3, 30)
    assert len(weeks) == 6 and all(w.weekday() == 0 for w in weeks)
