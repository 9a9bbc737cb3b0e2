"""What the OpenAPI schema says about errors, once for every operation instead of per view.

Every endpoint answers its failures in one shape (`errors.error_body`): 400 for bad input, 401
without credentials, 403 for a role that may not act, 404 for what is missing or not the caller's,
409 for a state that does not allow the action. `document_errors` (a drf-spectacular
postprocessing hook) adds those answers, with that shape, to every operation that does not
describe them itself.

Path parameters say what the URL patterns route: `<int:…>` is digits only (`minimum: 0`), `<slug:…>`
letters, digits, `-` and `_`; anything else never reaches a view.

It also says that an optional e-mail address may be empty (`""`): the models keep a missing
address as an empty string, which `format: email` alone would call a violation.
"""

from django.utils.translation import gettext_lazy as _

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string", "example": "invalid"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "description": "Messages per field (a list; nested objects for nested fields).",
                    "additionalProperties": {},
                },
            },
        }
    },
}

ERRORS = {
    "400": _("Bad input: the messages say which field and why."),
    "401": _("Not signed in, or the credentials are not valid."),
    "403": _("Your role may not do this."),
    "404": _("Not found, or not yours to see."),
    "409": _("The current state does not allow this (or someone else changed it first)."),
}
_METHODS = {"get", "put", "patch", "post", "delete"}


def _allow_empty_emails(node) -> None:
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("format") == "email":
            node.pop("format")
            node.pop("type")
            node["anyOf"] = [{"type": "string", "format": "email"}, {"type": "string", "maxLength": 0}]
            return
        for value in node.values():
            _allow_empty_emails(value)
    elif isinstance(node, list):
        for value in node:
            _allow_empty_emails(value)


def _routable(schema: dict) -> None:
    if schema.get("type") == "integer":
        schema.setdefault("minimum", 0)
    elif schema.get("type") == "string" and not {"pattern", "enum", "format"} & schema.keys():
        schema["pattern"] = r"^[-a-zA-Z0-9_]+$"


def document_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook: the error answers of every operation, in one shape."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    _allow_empty_emails(schemas)
    schemas["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in _METHODS:
                continue
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path":
                    _routable(parameter["schema"])
            responses = operation.setdefault("responses", {})
            for status, description in ERRORS.items():
                if status == "401" and not operation.get("security", [{}]):
                    continue
                responses.setdefault(
                    status,
                    {"description": str(description), "content": {"application/json": {"schema": reference}}},
                )
    return result
