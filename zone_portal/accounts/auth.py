from django.contrib.auth import authenticate

from .throttle import client_address, login_attempt_begin, login_success_record


def authenticate_throttled(request, *, username: str, password: str):
    """Authenticate, refusing (LoginThrottled) after repeated failures; returns the user or None.

    The attempt is counted before the password is checked (see `throttle.py`); a failure keeps it.
    """
    address = client_address(request)
    login_attempt_begin(username=username, address=address)
    user = authenticate(request, username=username, password=password)
    if user is not None:
        login_success_record(username=username, address=address)
    return user
