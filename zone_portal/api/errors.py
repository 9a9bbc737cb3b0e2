"""One error shape for the whole API: {"error": {"code", "message", "fields"}}."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from zone_portal.accounts.throttle import LoginThrottled
from zone_portal.errors import DomainError, TryAgain, database_unavailable, try_again_for


def error_body(code: str, message, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def _flatten(detail):
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [str(item) if not isinstance(item, dict | list) else _flatten(item) for item in detail]
    return [str(detail)]


def exception_handler(exc, context):
    headers = {}
    exc = try_again_for(exc) or exc  # a deadlock or serialization failure: 409, never 500
    if database_unavailable(exc):  # PostgreSQL restarting, a failover: 503, try again, never 500
        message = _(
            "The service is briefly unavailable (the database is not answering). Please try again in a moment."
        )
        return Response(error_body("unavailable", message), status=503, headers={"Retry-After": "5"})
    if isinstance(exc, DomainError):
        set_rollback()
        fields = {k: v if isinstance(v, list) else [str(v)] for k, v in exc.fields.items()}
        if isinstance(exc, TryAgain):
            headers["Retry-After"] = "1"
        return Response(error_body(exc.code, exc.message, fields), status=exc.status, headers=headers)
    if isinstance(exc, LoginThrottled):
        return Response(error_body("throttled", str(exc)), status=status.HTTP_429_TOO_MANY_REQUESTS)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {}
        message = " ".join(exc.messages) if not fields else _("Some fields are not valid.")
        set_rollback()
        return Response(error_body("invalid", message, _flatten(fields)), status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None  # a real bug: let Django answer 500 and log it
    set_rollback()
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        if isinstance(detail, dict):
            fields = _flatten(detail)
            non_field = fields.pop("non_field_errors", None)
            message = " ".join(non_field) if non_field else _("Some fields are not valid.")
        else:
            fields = {}
            message = " ".join(_flatten(detail))
        return Response(error_body("invalid", message, fields), status=400, headers=headers)
    code = {
        exceptions.NotAuthenticated: "not_authenticated",
        exceptions.AuthenticationFailed: "authentication_failed",
        exceptions.PermissionDenied: "permission_denied",
        exceptions.NotFound: "not_found",
        exceptions.MethodNotAllowed: "method_not_allowed",
        exceptions.Throttled: "throttled",
        exceptions.UnsupportedMediaType: "unsupported_media_type",
        exceptions.ParseError: "parse_error",
    }.get(type(exc), exc.default_code)
    message = exc.detail if isinstance(exc.detail, str) else " ".join(_flatten(exc.detail))
    return Response(error_body(code, message), status=exc.status_code, headers=headers)
