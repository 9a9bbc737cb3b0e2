"""One shape for a list that also creates (`GET` and `POST …/`).

Such a POST does the same three things everywhere: validate its own input serializer (not the
list's), hand the values to one action, answer 201 with the new row. `ListCreateThroughAction`
writes that once, and documents it in the schema as it runs; a view names its two serializers and
says, in `create_from(values)`, which action creates.
"""

from drf_spectacular.openapi import AutoSchema
from rest_framework import generics, status
from rest_framework.response import Response

from .inputs import validated


class CreateThroughActionSchema(AutoSchema):
    """The POST of a `ListCreateThroughAction`: its input serializer in, 201 with the new row out."""

    def get_request_serializer(self):
        if self.method == "POST":
            return self.view.create_serializer_class
        return super().get_request_serializer()

    def get_response_serializers(self):
        if self.method == "POST":
            return {201: self.view.created_serializer_class or self.view.serializer_class}
        return super().get_response_serializers()


class ListCreateThroughAction(generics.ListCreateAPIView):
    """`serializer_class` lists; a POST validates `create_serializer_class`, calls
    `create_from(values)` (one action, with `self.request.user` as the actor) and answers 201 with
    what it returns in `created_serializer_class` (default: `serializer_class`). A view that must
    refuse before reading the input (a role check) does it in `check_may_create()`."""

    create_serializer_class = None
    created_serializer_class = None
    schema = CreateThroughActionSchema()

    def get_serializer_class(self):
        if self.request is not None and self.request.method == "POST":
            return self.create_serializer_class
        return super().get_serializer_class()

    def check_may_create(self) -> None:
        """Raise to refuse the POST before its input is read (the right before the input)."""

    def create_from(self, values: dict):
        raise NotImplementedError

    def create(self, request, *args, **kwargs):
        self.check_may_create()
        context = self.get_serializer_context()
        created = self.create_from(validated(self.create_serializer_class, request, context=context))
        answers = self.created_serializer_class or self.serializer_class
        return Response(answers(created, context=context).data, status=status.HTTP_201_CREATED)
