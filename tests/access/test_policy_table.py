"""The README's role × object table is the access policy's registry, word for word."""

from pathlib import Path

import pytest

from zone_portal.access.policy import access_table, object_kinds

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_table_is_the_registry():
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- access-table -->\n", 1)[1].split("\n<!-- /access-table -->", 1)[0]
    assert block == access_table(), "run `python manage.py access_table --write` and commit README.md"


def test_every_kind_the_issue_names_is_declared():
    names = {kind.name for kind in object_kinds()}
    assert names >= {
        "enterprise",
        "visit",
        "membership",
        "account_request",
        "service_request",
        "service_stage",
        "material",
        "appointment",
        "rating",
        "rectification",
        "ticket",
        "whistle",
        "attachment",
        "meeting",
        "action_item",
        "project",
        "ledger_entry",
        "supervision",
        "observation",
        "notification",
        "dashboard",
    }


def test_a_kind_name_belongs_to_one_model():
    """Two apps declaring the same name must not silently replace one another's rules (the
    supervisors' observations once took the name of the projects' site observations)."""
    from projects.models import SiteObservation
    from zone_portal.access.policy import ObjectKind, access_register, object_kind
    from zone_portal.org.models import Park

    kind = object_kind("observation")
    assert kind.model is SiteObservation
    access_register(kind)  # the same declaration again (ready() may run twice): accepted
    other = ObjectKind(
        name="observation", model=Park, visible_to=kind.visible_to, read=kind.read, act=kind.act
    )
    with pytest.raises(ValueError, match="observation"):
        access_register(other)
    assert object_kind("observation").model is SiteObservation
