from typing import NamedTuple

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from zone_portal.accounts.auth import authenticate_throttled
from zone_portal.accounts.throttle import LoginThrottled
from zone_portal.dates import DateInput
from zone_portal.errors import DomainError
from zone_portal.worktime.models import CalendarOverride


def text_field(label, *, rows: int, required: bool = True) -> forms.CharField:
    """A free-text answer of a few lines (a note, a reason, a resolution)."""
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}))


def yes_no_field(label, *, yes, no) -> forms.TypedChoiceField:
    """A required choice between two answers as radio buttons, cleaned to True (`yes`) or False."""
    return forms.TypedChoiceField(
        label=label, choices=[("1", yes), ("0", no)], coerce=lambda v: v == "1", widget=forms.RadioSelect
    )


DOCUMENT_ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,application/pdf,image/jpeg,image/png"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; the content check happens in the action (one upload rule)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": DOCUMENT_ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def checklist_fields_add(form: forms.Form, items, *, only=None) -> None:
    """One upload field per slot of a materials checklist (`zone_portal.cases.checklist`), named
    `slot-<n>`, labelled with the material (and 必交 / 选交). `only`: the names to offer (a
    supplement offers the slots asked for). Required slots are enforced by the action, which names
    every missing one at once; the field only marks them."""
    for item in items:
        if only is not None and item.name not in only:
            continue
        field = MultipleFileField(label=item.name, help_text=item.hint)
        field.widget.attrs["data-required-material"] = "1" if item.required else "0"
        field.material = item
        form.fields[item.field] = field


def checklist_uploads(form: forms.Form, items) -> dict[str, list]:
    """{material name: files} from a form with `checklist_fields_add`'s fields (cleaned)."""
    return {item.name: form.cleaned_data.get(item.field) or [] for item in items if item.field in form.fields}


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
            "date": DateInput(),
            "start": forms.TimeInput(attrs={"type": "time"}),
            "end": forms.TimeInput(attrs={"type": "time"}),
        }
        labels = {"note": _("note")}


def _reasons(exc: DomainError):
    for name, reasons in exc.fields.items():
        for reason in reasons if isinstance(reasons, list | tuple) else [reasons]:
            yield name, str(reason)


def form_add_domain_error(form: forms.Form, exc: DomainError) -> int:
    """Show an action's refusal on the form it came from (every page does it this way): the
    message on top, each field's reason at its field (on top too when the form has no such field).
    The generic "some fields are not valid" is left out when the fields say why. Returns the
    HTTP status to answer with."""
    if not exc.fields or exc.message is not exc.default_message:
        form.add_error(None, str(exc.message))
    for name, reason in _reasons(exc):
        form.add_error(name if name in form.fields else None, reason)
    return exc.status


class Submitted(NamedTuple):
    ok: bool  # the action went through
    status: int  # the page's status otherwise: 200 (not posted), 400 (invalid form), the refusal's
    result: object = None  # what the action returned


def form_submit(request, form: forms.Form | None, act) -> Submitted:
    """A page's form: on a POST with a valid form, `act(cleaned_data)`; its refusal is shown on
    the form (`form_add_domain_error`). A GET (or no form) changes nothing."""
    if request.method != "POST" or form is None:
        return Submitted(False, 200)
    if not form.is_valid():
        return Submitted(False, 400)
    try:
        result = act(form.cleaned_data)
    except DomainError as exc:
        return Submitted(False, form_add_domain_error(form, exc))
    return Submitted(True, 200, result)


def domain_error_text(exc: DomainError) -> str:
    """An action's refusal as one line for a flash message: the message, then each field's reason."""
    return " ".join([str(exc.message), *(reason for _name, reason in _reasons(exc))]).strip()
