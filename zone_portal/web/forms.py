from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from zone_portal.accounts.auth import authenticate_throttled
from zone_portal.accounts.throttle import LoginThrottled
from zone_portal.worktime.models import CalendarOverride


class ThrottledLoginForm(AuthenticationForm):
    """The login page's form, refusing after repeated failures like the token endpoint."""

    throttled = False

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = authenticate_throttled(self.request, username=username, password=password)
            except LoginThrottled as exc:
                self.throttled = True
                raise forms.ValidationError(str(exc), code="throttled") from None
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.is_machine_client:
            raise forms.ValidationError(
                _(
                    "This account is the 12345 hotline's system client: it cannot sign in to the portal. "
                    "It sends problems to the intake endpoint of the API with its token."
                ),
                code="machine_client",
            )


class CalendarOverrideForm(forms.ModelForm):
    class Meta:
        model = CalendarOverride
        fields = ["date", "kind", "start", "end", "note"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "start": forms.TimeInput(attrs={"type": "time"}),
            "end": forms.TimeInput(attrs={"type": "time"}),
        }
        labels = {"note": _("note")}
