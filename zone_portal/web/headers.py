"""Security headers on every response: a Content-Security-Policy and a Permissions-Policy.

The policy allows scripts from our own origin only (no inline scripts, no event-handler
attributes, no eval): page behaviour lives in static files (`static/js/portal.js`, an app's
`static/<app>/*.js`). Inline styles stay allowed: the server-drawn charts and the Swagger UI use
them, and a style cannot run code. Both headers come from settings (`CONTENT_SECURITY_POLICY`,
`PERMISSIONS_POLICY`), so a deployment can tighten them.
"""

from django.conf import settings


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY:
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
