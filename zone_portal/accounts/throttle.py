"""Login throttling shared by the login page and the token endpoint.

Failures are rows (not cache entries) so that every web process sees the same count.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import LoginFailure


class LoginThrottled(Exception):
    def __init__(self):
        minutes = max(1, settings.LOGIN_FAILURE_WINDOW_SECONDS // 60)
        super().__init__(
            _("Too many failed sign-in attempts. Please wait %(minutes)d minutes and try again.")
            % {"minutes": minutes}
        )


def _window_start():
    return timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def login_check_throttle(*, username: str, address: str | None) -> None:
    """Raise LoginThrottled when this username or this address failed too often in the window."""
    since = _window_start()
    recent = LoginFailure.objects.filter(at__gte=since)
    limit = settings.LOGIN_FAILURE_LIMIT
    by_user = recent.filter(username=username.lower()).count() if username else 0
    by_address = recent.filter(address=address).count() if address else 0
    if by_user >= limit or by_address >= limit:
        raise LoginThrottled()


def login_failure_record(*, username: str, address: str | None) -> None:
    LoginFailure.objects.create(username=username.lower()[:150], address=address)
    # Keep the table small: anything older than the window no longer counts.
    LoginFailure.objects.filter(at__lt=_window_start()).delete()


def login_success_record(*, username: str, address: str | None) -> None:
    LoginFailure.objects.filter(Q(username=username.lower())).delete()


def client_address(request) -> str | None:
    # Behind a proxy, configure it to set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR") or None
