"""Writes on a user's own access: API tokens and browser sessions."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from .models import UserSession
from .selectors import token_is_expired


def token_issue(*, user) -> Token:
    """The user's API token: the current one while it lasts, else a new one (the old key dies)."""
    with transaction.atomic():
        token = Token.objects.select_for_update().filter(user=user).first()
        if token is not None and not token_is_expired(token):
            return token
        if token is not None:
            token.delete()
        try:
            with transaction.atomic():
                return Token.objects.create(user=user)
        except IntegrityError:  # another sign-in made it at the same moment
            return Token.objects.get(user=user)


def token_revoke(*, user) -> bool:
    """End the user's API token; False when there was none."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)


def session_end(*, user, handle: str) -> bool:
    """End one of `user`'s own sessions (named by its handle); False when there is no such session."""
    for session in UserSession.objects.filter(user=user, expire_date__gt=timezone.now()):
        if session.handle == handle:
            session.delete()
            return True
    return False


def user_language_set(*, user, language: str) -> bool:
    """Remember the language `user` chose (what the portal writes to them later, e-mails, is in
    it); a language the portal does not offer changes nothing. Returns whether it was kept."""
    from django.conf import settings

    from .models import User

    if language not in dict(settings.LANGUAGES):
        return False
    return bool(User.objects.filter(pk=user.pk).update(language=language))
