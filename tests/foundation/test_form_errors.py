"""One mapping from an action's refusal to the form on the page (zone_portal.web.forms), seen on
two apps' pages: a specific message goes on top with each field's reason at its field; the generic
"some fields are not valid" is left out when the fields say why."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import Stage
from services.demo import seed_catalog
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_a_specific_message_goes_on_top_and_the_field_reason_at_its_field(client, demo, clerk1, enterprise_a):
    catalog = seed_catalog(demo)
    client.force_login(clerk1)
    response = client.post(
        reverse("services:request-new"),
        {"service": catalog["safety-permit"].code, "enterprise": enterprise_a.pk, "description": "代办"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.non_field_errors() == ["该事项不提供帮办代办，请由申请人本人提交。"]
    assert form.errors["service"] == ["该事项不提供代办。"]


def test_the_generic_message_is_left_out_when_the_fields_say_why(client, demo, leader1):
    project = ProjectFactory(leader=leader1, stage=Stage.UNDER_CONSTRUCTION)
    client.force_login(leader1)
    response = client.post(
        f"/projects/{project.pk}/supervisions/",
        {"supervised_on": str(timezone.localdate() + timedelta(days=3)), "findings": "x"},
    )
    assert response.status_code == 400
    form = response.context["supervision_form"]
    assert form.non_field_errors() == []
    assert form.errors["supervised_on"] == ["日期不能晚于今天。"]
