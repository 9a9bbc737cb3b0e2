"""The admin reads cases; they change only through their actions (zone_portal.admin.ReadOnlyAdmin)."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from zone_portal.accounts.models import User
from zone_portal.admin import OneRowAdmin, ReadOnlyAdmin

pytestmark = pytest.mark.django_db

READ_ONLY = sorted(
    (
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ReadOnlyAdmin)
    )
)


def test_the_cases_of_every_app_are_read_only_in_the_admin():
    for label in (
        "enterprises.Enterprise",
        "services.ServiceRequest",
        "feedback.Ticket",
        "projects.Project",
        "events.Event",
    ):
        assert label in READ_ONLY


@pytest.mark.parametrize("label", READ_ONLY)
def test_a_superuser_can_list_but_not_add(client, demo, label):
    boss = User.objects.create_superuser("root", password="x-long-password-1")
    client.force_login(boss)
    model = apps.get_model(label)
    info = (model._meta.app_label, model._meta.model_name)
    assert client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
    assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 403


ONE_ROW = sorted(
    model._meta.label
    for model, model_admin in admin.site._registry.items()
    if isinstance(model_admin, OneRowAdmin)
)


def test_the_apps_settings_are_one_row_in_the_admin():
    assert {"services.ServiceSettings", "safety.SafetySettings", "projects.ProjectSettings"} <= set(ONE_ROW)


@pytest.mark.parametrize("label", ONE_ROW)
def test_a_settings_row_is_added_once_edited_and_never_deleted(client, label):
    boss = User.objects.create_superuser("root", password="x-long-password-1")
    client.force_login(boss)
    model = apps.get_model(label)
    info = (model._meta.app_label, model._meta.model_name)
    model.objects.filter(pk=1).delete()
    assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200
    model.objects.create(pk=1)
    assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 403
    assert client.get(reverse("admin:{}_{}_change".format(*info), args=[1])).status_code == 200
    assert client.get(reverse("admin:{}_{}_delete".format(*info), args=[1])).status_code == 403
