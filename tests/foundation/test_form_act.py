"""`zone_portal.web.submit.form_act`: a posted form handed to one action, the pages' one way."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from zone_portal.errors import Conflict, InvalidInput
from zone_portal.web.submit import form_act

pytestmark = pytest.mark.django_db


class NameForm(forms.Form):
    name = forms.CharField(max_length=10)


def _request(user):
    request = RequestFactory().post("/")
    request.user, request.session = user, {}
    request._messages = FallbackStorage(request)
    return request


def name_save(*, actor, name, suffix=""):
    if name == "taken":
        raise Conflict("Taken already.")
    if name == "bad":
        raise InvalidInput(fields={"name": ["Not this one."]})
    return f"/things/{name}{suffix}/"


def test_done_calls_the_action_with_the_actor_and_redirects_with_the_message(admin_user):
    request = _request(admin_user)
    response, status = form_act(request, NameForm({"name": "a"}), name_save, success="Saved.", suffix="-x")
    assert (status, response.status_code, response["Location"]) == (302, 302, "/things/a-x/")
    assert [str(m) for m in get_messages(request)] == ["Saved."]
    response, _status = form_act(
        _request(admin_user), NameForm({"name": "a"}), name_save, success="", to="/home/"
    )
    assert response["Location"] == "/home/"


def test_an_invalid_form_is_400_and_the_action_is_not_called(admin_user):
    form = NameForm({"name": "x" * 11})
    assert form_act(_request(admin_user), form, name_save, success="Saved.") == (None, 400)
    assert form.errors["name"]


def test_a_refusal_is_shown_on_the_form_with_its_status(admin_user):
    form = NameForm({"name": "taken"})
    assert form_act(_request(admin_user), form, name_save, success="Saved.") == (None, 409)
    assert form.non_field_errors() == ["Taken already."]
    form = NameForm({"name": "bad"})
    assert form_act(_request(admin_user), form, name_save, success="Saved.") == (None, 400)
    assert form.errors["name"] == ["Not this one."]
