"""Promised time limits read as people say them, in either language (issue 14: "1 working days")."""

from decimal import Decimal

import pytest
from django.utils import translation

from services.models import LimitUnit, ServiceItem


@pytest.mark.parametrize(
    ("amount", "unit", "english", "chinese"),
    [
        (Decimal("1"), LimitUnit.WORKING_DAYS, "1 working day", "1 个工作日"),
        (Decimal("3.0"), LimitUnit.WORKING_DAYS, "3 working days", "3 个工作日"),
        (Decimal("1.5"), LimitUnit.WORKING_DAYS, "1.5 working days", "1.5 个工作日"),
        (Decimal("1"), LimitUnit.WORKING_HOURS, "1 working hour", "1 个工作小时"),
        (Decimal("2"), LimitUnit.WORKING_HOURS, "2 working hours", "2 个工作小时"),
    ],
)
def test_a_time_limit_has_the_plural_its_amount_needs(amount, unit, english, chinese):
    item = ServiceItem(limit_amount=amount, limit_unit=unit)
    with translation.override("en"):
        assert item.limit_label == english
    with translation.override("zh-hans"):
        assert item.limit_label == chinese
