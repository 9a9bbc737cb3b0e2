"""One shape for the API's verbs on one object (`POST …/<pk>/<verb>/`).

Every such endpoint does the same four things: fetch the object through a `*_for(user, pk)`
selector (404 for missing and not yours alike), validate the body, call one action, answer with
the object's detail. `object_verb` writes that once; an app lists its verbs as data and
`object_routes` routes an object's detail and verbs. The detail itself (`GET …/<pk>/`) is `object_detail`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .inputs import validated


def object_verb(
    *,
    name: str,
    fetch: Callable,
    action: Callable,
    body=None,
    argument: str,
    answers,
    answer: Callable | None = None,
    answers_result: bool = False,
    created: bool = False,
    parsers: list | None = None,
    files: str | None = None,
    all_files: str | None = None,
    files_only: bool = False,
    operation_id: str | None = None,
    doc: str | None = None,
):
    """A POST endpoint named `name` on one object.

    `fetch(user, pk)` gives the object (or the selectors' 404); `body` validates the input (None:
    the verb takes none; it sees the object in its context under `argument`); `files` names the
    action's keyword that receives the request's uploads of that name, `all_files` the keyword that
    receives every upload by field name (`request.FILES`); `action(actor=user, <argument>=object,
    **input)` does the work. The answer is
    the object fetched again in the serializer `answers` (which the schema documents; a 201 when
    `created`), or the action's result in it (`answers_result`: the verb makes or changes another
    row), or what `answer(request, pk, result)` gives. `parsers` replace the default
    ones (multipart for files); `files_only` documents the body as multipart only. The schema's
    description is `doc`, else the action's docstring.
    """

    def view(request, pk: int):
        obj = fetch(request.user, pk)
        values = {}
        if body is not None:
            values = validated(body, request, context={"request": request, argument: obj})
        if files is not None:
            values[files] = request.FILES.getlist(files)
        if all_files is not None:
            values[all_files] = request.FILES
        result = action(actor=request.user, **{argument: obj}, **values)
        if answer is not None:
            return answer(request, pk, result)
        shown = result if answers_result else fetch(request.user, pk)
        return Response(answers(shown, context={"request": request}).data, status=201 if created else 200)

    view.__name__ = name
    view.__doc__ = doc if doc is not None else action.__doc__
    if parsers is not None:
        view.parser_classes = parsers
    return extend_schema(
        request={"multipart/form-data": body} if files_only else body,
        responses={201: answers} if created else answers,
        operation_id=operation_id,
    )(api_view(["POST"])(view))


def object_detail(*, name: str, fetch: Callable, answers, doc: str | None = None):
    """A GET endpoint named `name` answering one object: `fetch(user, pk)` (the selectors' 404 for
    missing and not yours alike) in the serializer `answers`, which the schema documents (with the
    description `doc`)."""

    def view(request, pk: int):
        return Response(answers(fetch(request.user, pk)).data)

    view.__name__ = name
    view.__doc__ = doc
    return extend_schema(responses=answers)(api_view(["GET"])(view))


@dataclass(frozen=True)
class ApiObject:
    """One kind of object the API answers by id: `fetch(user, pk)` gives it (the selectors' 404 for
    missing and not yours alike), its actions take it by the keyword `argument`, and `answers` is
    the serializer of its detail, which the detail and every verb answer with unless the verb's
    row names its own (`answers=`)."""

    fetch: Callable
    argument: str
    answers: type


def object_routes(
    collection: str, noun: str, obj: ApiObject, verbs=(), *, doc=None, operation=None, **common
) -> list:
    """The routes of one kind of object: its detail `GET <collection>/<int:pk>/` (URL name
    `api-<noun>`, described by `doc`) and its verbs `POST <collection>/<int:pk>/<verb>/` (URL name
    `api-<noun>-<verb>`, operation `<operation>_<verb>`; `operation` defaults to the collection).

    `verbs` is a table of `(verb, action, body)` rows, a row may add a dict of `object_verb` options
    of its own; `common` holds the options every verb shares (`operation_id=None` keeps
    drf-spectacular's names). Naming the routes, views and operations here keeps them alike
    across apps.
    """
    operation = operation or collection.replace("-", "_")
    prefix = noun.replace("-", "_")
    detail = object_detail(name=f"{prefix}_detail", fetch=obj.fetch, answers=obj.answers, doc=doc)
    routes = [path(f"{collection}/<int:pk>/", detail, name=f"api-{noun}")]
    for verb, action, body, *own in verbs:
        options = {
            "name": f"{prefix}_{verb.replace('-', '_')}",
            "operation_id": f"{operation}_{verb}",
            "fetch": obj.fetch,
            "argument": obj.argument,
            "answers": obj.answers,
            **common,
            **(own[0] if own else {}),
        }
        view = object_verb(action=action, body=body, **options)
        routes.append(path(f"{collection}/<int:pk>/{verb}/", view, name=f"api-{noun}-{verb}"))
    return routes
