"""`zone_portal.api.verbs.object_verb`: one verb endpoint on one object, whatever its input."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate

from zone_portal.api.verbs import object_verb
from zone_portal.errors import NotFoundError

pytestmark = pytest.mark.django_db


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=10)


def fetch(user, pk):
    if pk != 7:
        raise NotFoundError()
    return {"pk": pk}


def action(*, actor, thing, **values):
    """Echo what the action received."""
    return {"actor": actor.username, "thing": thing["pk"], **values}


def _verb(**options):
    return object_verb(
        name="thing_echo",
        fetch=fetch,
        action=action,
        argument="thing",
        answer=lambda request, pk, result: Response(result),
        answers=NoteSerializer,
        **options,
    )


def _post(view, user, pk=7, **kwargs):
    request = APIRequestFactory().post(f"/things/{pk}/echo/", **kwargs)
    force_authenticate(request, user)
    return view(request, pk=pk)


def test_the_body_is_validated_and_given_to_the_action(admin_user):
    view = _verb(body=NoteSerializer)
    assert _post(view, admin_user, data={"note": "ok"}, format="json").data == {
        "actor": admin_user.username,
        "thing": 7,
        "note": "ok",
    }
    refused = _post(view, admin_user, data={"note": "x" * 11}, format="json")
    assert refused.status_code == 400 and refused.data["error"]["fields"]["note"]


def test_a_verb_without_input_gives_the_action_only_the_actor_and_the_object(admin_user):
    response = _post(_verb(), admin_user, data={"note": "ignored"}, format="json")
    assert response.data == {"actor": admin_user.username, "thing": 7}


def test_uploads_go_to_the_named_keyword(admin_user):
    view = _verb(files="files", parsers=[MultiPartParser])
    upload = SimpleUploadedFile("a.txt", b"hello", content_type="text/plain")
    response = _post(view, admin_user, data={"files": [upload]}, format="multipart")
    assert [f.name for f in response.data["files"]] == ["a.txt"]


def test_a_missing_object_is_404_before_the_input_is_read(admin_user):
    assert _post(_verb(body=NoteSerializer), admin_user, pk=8, data={}, format="json").status_code == 404


def test_the_action_docstring_describes_the_endpoint():
    assert _verb().cls.__doc__ == action.__doc__ and _verb(doc="Mine.").cls.__doc__ == "Mine."
