import time

from django.conf import settings
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
# more than the rest of /healthz (a load balancer asks several times a second). The database is asked
# every time: it decides the status.
_broker_checked: list = [None, None]


def _broker_error() -> str | None:
    """None when the broker answers, else the name of the error (cached per process)."""
    from zone_portal.celery import app

    now = time.monotonic()
    if _broker_checked[0] is not None and now - _broker_checked[0] < settings.HEALTHZ_BROKER_SECONDS:
        return _broker_checked[1]
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        answer = None
    except Exception as exc:
        answer = exc.__class__.__name__
    _broker_checked[:] = [time.monotonic(), answer]
    return answer


def healthz(request):
    """For load balancers and monitoring: 200 while this web process can serve, 503 when it cannot.

    The database is required: without it no page works, so the answer is 503 and the balancer takes
    this host out of rotation. The broker is reported ("ok" / "down") but does not fail the check:
    with it down every submission is still saved and answered (tasks are queued after commit and a
    failure to queue is logged, `zone_portal.enqueue`), and what needed it waits in the database
    until the beat's sweeps find it again; every web host sees the same broker, so taking them all
    out of rotation would turn a delay of e-mails into an outage. Monitoring alerts on `broker: down`.
    The broker's answer is kept for `HEALTHZ_BROKER_SECONDS` per process.
    """
    result = {"database": "ok", "broker": "ok"}
    status = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any failure means "down" here
        result["database"] = f"error: {exc.__class__.__name__}"
        status = 503
    broker_error = _broker_error()
    if broker_error:
        result["broker"] = "down"
        result["broker_error"] = broker_error
    result["status"] = "ok" if status == 200 else "error"
    return JsonResponse(result, status=status)
