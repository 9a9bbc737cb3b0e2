"""Login throttling shared by the login page and the token endpoint.

Three counters per attempt, each with its own limit in the window (`LOGIN_FAILURE_WINDOW_SECONDS`):

- the username at this address (`LOGIN_FAILURE_LIMIT`, 5): someone guessing from one place;
- the username from anywhere (`LOGIN_FAILURE_USER_LIMIT`, 10): guessing spread over addresses;
- the address for any username (`LOGIN_FAILURE_ADDRESS_LIMIT`, 100): one place trying many names.
  Far higher than the others because a service hall or a park behind NAT is one address.

An attempt takes its place in all three before the password is checked, by one conditional UPDATE
per counter (`count < limit`), so parallel attempts can never be checked more than the limit
allows; a refused attempt counts nothing. A success gives the place back: the username's counters
restart, the address's goes down by one. The answer never depends on whether the username exists.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import LoginCounter


class LoginThrottled(Exception):
    def __init__(self):
        minutes = max(1, settings.LOGIN_FAILURE_WINDOW_SECONDS // 60)
        super().__init__(
            _("Too many failed sign-in attempts. Please wait %(minutes)d minutes and try again.")
            % {"minutes": minutes}
        )


def _keys(username: str, address: str | None) -> dict[str, int]:
    name = username.strip().lower()[:150]
    keys = {f"u:{name}": settings.LOGIN_FAILURE_USER_LIMIT}
    if address:
        keys[f"p:{name}|{address}"] = settings.LOGIN_FAILURE_LIMIT
        keys[f"a:{address}"] = settings.LOGIN_FAILURE_ADDRESS_LIMIT
    return keys


def _take_place(key: str, limit: int, *, now, since) -> bool:
    """Count one attempt for `key` unless it reached `limit` in its window (a stale window restarts)."""
    stale = Q(window_start__lt=since)
    for _attempt in range(2):
        counted = LoginCounter.objects.filter(Q(key=key) & (stale | Q(count__lt=limit))).update(
            count=Case(When(stale, then=Value(1)), default=F("count") + 1),
            window_start=Case(When(stale, then=Value(now)), default=F("window_start")),
        )
        if counted:
            return True
        if LoginCounter.objects.filter(key=key).exists():
            return False
        # First attempt for this key (or its row was just cleared): create it, then count.
        LoginCounter.objects.bulk_create(
            [LoginCounter(key=key, count=0, window_start=now)], ignore_conflicts=True
        )
    return False


def login_attempt_begin(*, username: str, address: str | None) -> None:
    """Count an attempt on every counter, or raise LoginThrottled and count nothing."""
    now = timezone.now()
    since = now - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    with transaction.atomic():
        # One order for every attempt, so two attempts sharing counters never wait for each other in a circle.
        for key, limit in sorted(_keys(username, address).items()):
            if not _take_place(key, limit, now=now, since=since):
                raise LoginThrottled()  # rolls back the places already taken


def login_success_record(*, username: str, address: str | None) -> None:
    """The username's counters restart; the address gets back the place this attempt took."""
    keys = _keys(username, address)
    with transaction.atomic():
        LoginCounter.objects.filter(key__in=[k for k in keys if not k.startswith("a:")]).delete()
        if address:
            LoginCounter.objects.filter(key=f"a:{address}", count__gt=0).update(count=F("count") - 1)
        # Keep the table small: rows whose window passed long ago no longer count.
        long_ago = timezone.now() - timedelta(seconds=2 * settings.LOGIN_FAILURE_WINDOW_SECONDS)
        LoginCounter.objects.filter(window_start__lt=long_ago).delete()


def client_address(request) -> str | None:
    # Behind a proxy, configure it to set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR") or None
