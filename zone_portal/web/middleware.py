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
