from django.db import connection
from django.http import JsonResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from zone_portal.accounts.auth import authenticate_throttled

from .serializers import MeSerializer, TokenRequestSerializer, TokenSerializer


@extend_schema(request=TokenRequestSerializer, responses=TokenSerializer, auth=[])
@api_view(["POST"])
@authentication_classes([TokenAuthentication])  # no session: no CSRF; answers 401 not 403
@permission_classes([AllowAny])
def token_obtain(request):
    """Exchange a username and password for an API token (throttled like the login page)."""
    data = TokenRequestSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    user = authenticate_throttled(request, **data.validated_data)
    if user is None:
        raise AuthenticationFailed(_("Wrong username or password."))
    token, _created = Token.objects.get_or_create(user=user)
    return Response({"token": token.key})


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request):
    """Who am I: roles, enterprises, parks and departments."""
    return Response(MeSerializer(request.user).data)


def healthz(request):
    """Liveness for load balancers: the database must answer; the broker is reported."""
    from zone_portal.celery import app

    result = {"database": "ok", "broker": "ok"}
    status = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any failure means "down" here
        result["database"] = f"error: {exc.__class__.__name__}"
        status = 503
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        result["broker"] = f"error: {exc.__class__.__name__}"
    result["status"] = "ok" if status == 200 else "error"
    return JsonResponse(result, status=status)
