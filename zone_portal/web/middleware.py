"""Answers the pages give for exceptions no view catches."""

from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from zone_portal.errors import try_again_for


class TryAgainMiddleware:
    """A page whose transaction collided with another (a deadlock or serialization failure on
    PostgreSQL) answers 409 with "try again", never 500: nothing was written. The API answers the
    same in its exception handler (`zone_portal/api/errors.py`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        busy = try_again_for(exception)
        if busy is None:
            return None
        back = request.headers.get("referer", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = "/"
        response = render(request, "try_again.html", {"message": busy.message, "back": back}, status=409)
        response["Retry-After"] = "1"
        return response


DATABASE_RETRY_AFTER = 5  # seconds: a PostgreSQL restart or failover takes about this long


def database_unavailable_response(request):
    """503 "try again in a moment": JSON in the API's error shape under /api/, else the portal's
    page, rendered without the request (its context would ask the database for the user)."""
    from django.http import HttpResponse, JsonResponse
    from django.template.loader import render_to_string
    from django.utils.translation import gettext as _

    message = _(
        "The service is briefly unavailable (the database is not answering). Please try again in a moment."
    )
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"error": {"code": "unavailable", "message": message, "fields": {}}},
            status=503,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        response = HttpResponse(render_to_string("503.html", {"message": message}), status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER)
    return response


class DatabaseUnavailableMiddleware:
    """A view that lost the database (PostgreSQL restarting, a failover, the connection cut) answers
    503 with a message, never 500. Failures outside views (a session saved after the view) reach
    `server_error` (the 500 handler), which answers the same. Connections are checked before reuse
    (`CONN_HEALTH_CHECKS`), so the first request after the database is back succeeds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from zone_portal.errors import database_unavailable

        if database_unavailable(exception):
            return database_unavailable_response(request)
        return None
