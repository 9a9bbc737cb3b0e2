"""The register's notifications are codes with parameters: a handover reads in the language each
officer chose."""

import pytest

from enterprises import notices
from enterprises.actions import cso_assign

from ..notices import email, reads, subjects

pytestmark = pytest.mark.django_db


def test_a_handover_reads_in_each_officers_language(enterprise_a, cso1, cso2):
    reads(cso2, "en")
    cso_assign(actor=cso1, enterprise=enterprise_a, officer=cso2, reason="工作调整")
    assert subjects(cso2, notices.CSO_ASSIGNED) == [
        "You are now the chief service officer of 中金科技有限公司"
    ]
    assert "工作调整" in email(cso2, notices.CSO_ASSIGNED)  # the reason, as written
    assert subjects(cso1, notices.CSO_HANDED_OVER) == [f"中金科技有限公司 已移交给 {cso2}"]
