from datetime import date

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
from django.templatetags.static import static
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import i18n as i18n_views
from django.views.decorators.http import require_POST

from zone_portal.accounts.actions import session_end, token_revoke, user_language_set
from zone_portal.accounts.selectors import sessions_of, token_expires_at, token_of
from zone_portal.accounts.sessions import session_note_sign_in
from zone_portal.accounts.throttle import client_address
from zone_portal.api.permissions import role_required
from zone_portal.notifications.actions import notification_mark_read
from zone_portal.notifications.selectors import (
    notification_for,
    notifications_visible_to,
)
from zone_portal.pagination import CappedPaginator
from zone_portal.worktime.actions import calendar_override_create, calendar_override_delete
from zone_portal.worktime.calendar import get_calendar, year_is_covered
from zone_portal.worktime.models import CalendarOverride, OfficePeriod

from .forms import CalendarOverrideForm, ThrottledLoginForm
from .navigation import home_panels_for, public_links


class LoginView(auth_views.LoginView):
    form_class = ThrottledLoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "public_links": public_links()}

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.throttled:
            response.status_code = 429
        return response

    def form_valid(self, form):
        response = super().form_valid(form)  # signs in: a new session
        session_note_sign_in(self.request, at=timezone.now(), address=client_address(self.request))
        return response


@login_required
def account_sessions(request):
    """The user's own sessions (browser, address, sign-in time) and API token, each to be ended."""
    context = {
        "sessions": sessions_of(request.user, current_key=request.session.session_key),
        "token": token_of(request.user),
    }
    if context["token"] is not None:
        context["token_expires_at"] = token_expires_at(context["token"])
    return render(request, "accounts/sessions.html", context)


@login_required
@require_POST
def account_session_end(request, handle: str):
    current = request.session.session_key
    was_current = any(
        s.is_current and s.handle == handle for s in sessions_of(request.user, current_key=current)
    )
    if not session_end(user=request.user, handle=handle):
        raise Http404
    if was_current:
        return redirect("login")
    messages.success(request, _("The session was ended."))
    return redirect("account-sessions")


@login_required
@require_POST
def account_token_revoke(request):
    if token_revoke(user=request.user):
        messages.success(request, _("The API token was revoked."))
    return redirect("account-sessions")


def favicon(request):
    """Browsers ask for /favicon.ico on pages without our layout (the admin, the API docs).

    Resolved per request: in production the hashed name exists only after collectstatic."""
    return redirect(static("favicon.svg"), permanent=True)


@login_required
def home(request):
    """One home page; each role sees the panels its apps registered for it."""
    return render(request, "home.html", {"panels": home_panels_for(request)})


@require_POST
def language_set(request):
    """Django's `set_language`; a signed-in user's choice is also kept on the user, so what the
    portal writes to them later (e-mails) is in the language they read."""
    response = i18n_views.set_language(request)
    if request.user.is_authenticated:
        user_language_set(user=request.user, language=request.POST.get("language", ""))
    return response


@login_required
def inbox(request):
    """The user's notifications, newest first; `?unread=1` shows the unread ones only."""
    unread_only = request.GET.get("unread") == "1"
    rows = notifications_visible_to(request.user)
    if unread_only:
        rows = rows.filter(read_at=None)
    page = CappedPaginator(rows, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "unread_only": unread_only},  # the unread count comes with every page
    )


@login_required
def inbox_open(request, pk: int):
    """Open a notification: it is read from now on, and the reader lands on its case."""
    notification = notification_for(request.user, pk)
    if notification.read_at is None:
        notification_mark_read(actor=request.user, notification_id=notification.pk)
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "inbox"
    return redirect(target)


@login_required
@require_POST
def inbox_read(request, pk: int | None = None):
    if pk is not None:
        notification_for(request.user, pk)
    notification_mark_read(actor=request.user, notification_id=pk)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "inbox"  # never bounce to another site
    return redirect(target)


@role_required("admin")
def calendar_page(request):
    """Office hours, overrides, and a warning for years the official calendar does not cover yet."""
    form = CalendarOverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        calendar_override_create(actor=request.user, **data)
        messages.success(request, _("Calendar override saved."))
        return redirect("calendar")
    today = timezone.localdate()
    uncovered = [y for y in (today.year, today.year + 1) if not year_is_covered(y)]
    overrides = CappedPaginator(
        CalendarOverride.objects.filter(date__gte=date(today.year, 1, 1)), 50
    ).get_page(request.GET.get("page"))
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "overrides": overrides,
        "periods": OfficePeriod.objects.all(),
        "uncovered_years": uncovered,
        # Hours, as people say it ("7 小时"), not a timedelta's "7:00:00".
        "day_hours": floatformat(get_calendar().day_length.total_seconds() / 3600, -1),
    }
    return render(request, "worktime/calendar.html", context, status=status)


@role_required("admin")
@require_POST
def calendar_override_remove(request, pk: int):
    calendar_override_delete(actor=request.user, override=get_object_or_404(CalendarOverride, pk=pk))
    messages.success(request, _("Calendar override removed."))
    return redirect("calendar")


def server_error(request):
    """The 500 handler: a failure because the database is not answering is a 503 with a message
    (`DatabaseUnavailableMiddleware` answers those raised in views; this one, those raised around
    them); anything else is the portal's 500 page, rendered without the database."""
    import sys

    from django.views.defaults import server_error as default_server_error

    from zone_portal.errors import database_unavailable

    from .middleware import database_unavailable_response

    exc = sys.exc_info()[1]
    if exc is not None and database_unavailable(exc):
        return database_unavailable_response(request)
    return default_server_error(request)


def page_not_found(request, exception):
    """404: the API's error shape under /api/ (a client reads JSON there, whatever the path), the
    page otherwise."""
    if request.path.startswith("/api/"):
        from django.http import JsonResponse
        from rest_framework.exceptions import NotFound

        from zone_portal.api.errors import error_body

        return JsonResponse(error_body("not_found", NotFound.default_detail), status=404)
    from django.views.defaults import page_not_found as page

    return page(request, exception)
