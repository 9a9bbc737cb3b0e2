"""Token authentication with expiry: a token older than `API_TOKEN_TTL_DAYS` is refused (401).

The client asks `POST /api/v1/auth/token/` for a new one; `DELETE` revokes the one it uses.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from zone_portal.accounts.selectors import token_is_expired


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_is_expired(token):
            raise AuthenticationFailed(_("The token has expired: ask for a new one."))
        return user, token
