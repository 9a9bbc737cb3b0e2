import time

from django.db import connection
from django.http import JsonResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from zone_portal.accounts.actions import token_issue, token_revoke
from zone_portal.accounts.auth import authenticate_throttled
from zone_portal.accounts.selectors import token_expires_at

from .authentication import ExpiringTokenAuthentication
from .serializers import MeSerializer, TokenRequestSerializer, TokenSerializer


@extend_schema(
    methods=["POST"],
    request=TokenRequestSerializer,
    responses={200: TokenSerializer},
    auth=[],
    description="Exchange a username and password for an API token (throttled like the login page). "
    "The token expires after API_TOKEN_TTL_DAYS (30 days by default); the same token is answered until then.",
)
@extend_schema(methods=["DELETE"], request=None, responses={204: None}, description="Revoke the token used.")
@api_view(["POST", "DELETE"])
@authentication_classes([ExpiringTokenAuthentication])  # no session: no CSRF; answers 401 not 403
@permission_classes([AllowAny])
def token_obtain(request):
    """POST: a token for a username and password. DELETE: revoke the token the request carries."""
    if request.method == "DELETE":
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        token_revoke(user=request.user)
        return Response(status=204)
    data = TokenRequestSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    user = authenticate_throttled(request, **data.validated_data)
    if user is None:
        raise AuthenticationFailed(_("Wrong username or password."))
    token = token_issue(user=user)
    return Response({"token": token.key, "expires_at": token_expires_at(token)})


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request):
    """Who am I: roles, enterprises, parks and departments."""
    return Response(MeSerializer(request.user).data)


# The broker's answer, kept per process for a few seconds: connecting to Redis on every probe cost
# more than the rest of /healthz (a load balancer asks several times a second; the answer is "ok"
# or the name of the error either way). The database is asked every time: it decides the status.
BROKER_CHECK_SECONDS = 5.0
_broker_checked: list = [0.0, "ok"]


def _broker_status() -> str:
    from zone_portal.celery import app

    now = time.monotonic()
    if now - _broker_checked[0] < BROKER_CHECK_SECONDS:
        return _broker_checked[1]
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        answer = "ok"
    except Exception as exc:
        answer = f"error: {exc.__class__.__name__}"
    _broker_checked[:] = [time.monotonic(), answer]
    return answer


def healthz(request):
    """Liveness for load balancers: the database must answer; the broker is reported."""
    result = {"database": "ok", "broker": "ok"}
    status = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any failure means "down" here
        result["database"] = f"error: {exc.__class__.__name__}"
        status = 503
    result["broker"] = _broker_status()
    result["status"] = "ok" if status == 200 else "error"
    return JsonResponse(result, status=status)
