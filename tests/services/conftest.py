"""Fixtures of the services tests: the demo catalog and a helper to walk a request to a state."""

from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from services import actions
from services.demo import seed_catalog
from zone_portal.worktime.calendar import ZONE

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def at(*args) -> datetime:
    """An aware moment in the zone's time: at(2026, 11, 30, 9, 0)."""
    return datetime(*args, tzinfo=ZONE)


def pdf(name="材料.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def catalog(demo):
    """The demo catalog: `catalog["seal-engraving"]`, the bundle `enterprise-startup`, …"""
    return seed_catalog(demo)


@pytest.fixture
def file_request(catalog, ent_a, enterprise_a):
    """`file_request("seal-engraving", state="accepted", by=clerk1)` walks a request to a state."""

    def make(code="seal-engraving", *, state="submitted", actor=None, enterprise=None, by=None):
        request = actions.request_submit(
            actor=actor or ent_a,
            service=catalog[code],
            enterprise=enterprise or enterprise_a,
            description="测试",
        )
        if state == "submitted":
            return request
        request = actions.request_claim(actor=by, service_request=request)
        if state == "claimed":
            return request
        request = actions.request_accept(actor=by, service_request=request)
        if state == "accepted":
            return request
        if state == "supplement_required":
            return actions.request_request_supplement(actor=by, service_request=request, missing=["身份证"])
        if state == "completed":
            return actions.request_complete(actor=by, service_request=request, result="已办结")
        if state == "rejected":
            return actions.request_reject(actor=by, service_request=request, reason="材料不符")
        raise ValueError(state)

    return make
