"""The signed link that lets an enterprise confirm an account asked for it (finding: account takeover).

The token names the request and expires after `ACCOUNT_LINK_MAX_AGE_SECONDS`; it is sent only to
the enterprise's current owner (in the portal) or, without one, to its registered contact email, so
holding it proves the request was seen on the enterprise's side.
"""

from django.conf import settings
from django.core import signing

_SALT = "enterprises.account-link"


def account_link_token(request_id: int) -> str:
    return signing.dumps(request_id, salt=_SALT)


def account_link_request_id(token: str) -> int | None:
    """The request a token names, or None when it is forged or too old."""
    try:
        value = signing.loads(token, salt=_SALT, max_age=settings.ACCOUNT_LINK_MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
