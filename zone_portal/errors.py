"""The portal's own exceptions. Actions raise them; the API and the pages map them to one answer."""

from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A refusal the user can read: `status` is the HTTP answer, `code` the API's error code; a
    subclass names both in its header (`class Gone(DomainError, status=410, code="gone")`)."""

    status = 400
    code = "invalid"
    default_message = _("The request could not be processed.")

    def __init_subclass__(cls, *, status: int | None = None, code: str | None = None, **kwargs):
        super().__init_subclass__(**kwargs)
        if status is not None:
            cls.status = status
        if code is not None:
            cls.code = code

    def __init__(self, message=None, *, code: str | None = None, fields: dict | None = None):
        self.message = message or self.default_message
        if code:
            self.code = code
        self.fields = fields or {}
        super().__init__(str(self.message))


class InvalidInput(DomainError, status=400, code="invalid"):
    default_message = _("Some fields are not valid.")


class PermissionDeniedError(DomainError, status=403, code="permission_denied"):
    default_message = _("You are not allowed to do this.")


class NotFoundError(DomainError, status=404, code="not_found"):
    default_message = _("Not found.")


class TransitionForbidden(DomainError, status=409, code="transition_forbidden"):
    """The current state does not allow this action (or another person just changed it)."""

    default_message = _("This action is not allowed in the current state.")


class Conflict(DomainError, status=409, code="conflict"):
    default_message = _("Someone else changed this first. Reload and try again.")


class TooManyRequests(DomainError, status=429, code="throttled"):
    """Too many of one thing from one place in a short time (public forms)."""

    default_message = _("Too many requests. Please wait a while and try again.")


class TryAgain(Conflict, code="try_again"):
    """The database refused a transaction that collided with another (a deadlock, or a
    serialization failure): nothing was written, and doing it again normally succeeds."""

    default_message = _("Someone else was changing the same records at the same moment. Please try again.")


# The SQLSTATEs with which PostgreSQL rolls back one of two colliding transactions.
_COLLISIONS = {"40P01", "40001"}  # deadlock_detected, serialization_failure


def try_again_for(exc: BaseException) -> TryAgain | None:
    """The 409 to answer for a deadlock or serialization failure (`exc` as Django raises it, the
    driver's error as its cause); None for any other exception."""
    if isinstance(exc, OperationalError) and getattr(exc.__cause__, "pgcode", None) in _COLLISIONS:
        return TryAgain()
    return None


_UNAVAILABLE = {"57P01", "57P02", "57P03"}


def database_unavailable(exc: BaseException) -> bool:
    """True for the database not answering (restarting, down, the connection cut): the request
    answers 503 "try again in a moment", never 500. A deadlock or serialization failure is not this
    (`try_again_for`: 409)."""
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    code = getattr(exc.__cause__, "pgcode", None)
    # No SQLSTATE: the driver could not reach the server or lost it (refused, closed, reset).
    # Class 08 (connection exception) and 57P01–57P03 (shutdown, crash, not accepting yet) also
    # mean "not answering"; anything else (a cancelled query 57014, a deadlock 40P01, a disk full
    # 53100, …) is another failure and keeps its own answer.
    return code is None or code.startswith("08") or code in _UNAVAILABLE
