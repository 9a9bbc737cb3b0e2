from django.contrib.auth import authenticate

from .throttle import client_address, login_check_throttle, login_failure_record, login_success_record


def authenticate_throttled(request, *, username: str, password: str):
    """Authenticate, refusing (LoginThrottled) after repeated failures; returns the user or None."""
    address = client_address(request)
    login_check_throttle(username=username, address=address)
    user = authenticate(request, username=username, password=password)
    if user is None:
        login_failure_record(username=username, address=address)
    else:
        login_success_record(username=username, address=address)
    return user
