"""Reads of a user's own access: their sessions and API token."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from rest_framework.authtoken.models import Token

from .models import UserSession


def sessions_of(user, *, current_key: str | None = None) -> list[UserSession]:
    """The user's live sessions, latest sign-in first; `is_current` marks the one making the request."""
    sessions = list(
        UserSession.objects.filter(user=user, expire_date__gt=timezone.now()).order_by(
            "-signed_in_at", "-expire_date"
        )
    )
    for session in sessions:
        session.is_current = session.session_key == current_key
    return sessions


def token_of(user) -> Token | None:
    return Token.objects.filter(user=user).first()


def token_expires_at(token):
    return token.created + timedelta(days=settings.API_TOKEN_TTL_DAYS)


def token_is_expired(token, now=None) -> bool:
    return token_expires_at(token) <= (now or timezone.now())
