"""The session engine (`SESSION_ENGINE`): database sessions that record whose they are.

Django's database sessions keep the user only inside the encoded data, so "my sessions" could
not be listed without decoding every row. This store copies the user, the sign-in time, the
browser and the address (put in the session by `session_note_sign_in` at sign-in) into columns.
"""

from datetime import datetime

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

SIGNED_IN_AT = "_zp_signed_in_at"
USER_AGENT = "_zp_user_agent"
ADDRESS = "_zp_address"


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):
        from .models import UserSession

        return UserSession

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        try:
            session.user_id = int(data.get(SESSION_KEY))
        except (TypeError, ValueError):
            session.user_id = None
        signed_in = data.get(SIGNED_IN_AT)
        session.signed_in_at = datetime.fromisoformat(signed_in) if signed_in else None
        session.user_agent = (data.get(USER_AGENT) or "")[:300]
        session.address = data.get(ADDRESS) or None
        return session


def session_note_sign_in(request, *, at: datetime, address: str | None) -> None:
    """Remember in the (new) session when, from where and with what browser the user signed in."""
    request.session[SIGNED_IN_AT] = at.isoformat()
    request.session[USER_AGENT] = request.META.get("HTTP_USER_AGENT", "")[:300]
    request.session[ADDRESS] = address
