from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zone_portal.money import WanField
from zone_portal.org.models import Park
from zone_portal.web.forms import text_field

from .models import QUALIFICATION_FIELDS, REGISTER_FIELDS, Enterprise
from .selectors import officers

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EnterpriseForm(forms.ModelForm):
    """Register fields and qualifications; `fields` narrows it to what the user may edit."""

    class Meta:
        model = Enterprise
        fields = [*REGISTER_FIELDS, *QUALIFICATION_FIELDS]
        # registered capital is entered in 万元 and kept in yuan (`zone_portal.money`)
        field_classes = {"registered_capital": WanField}
        labels = {"registered_capital": _("Registered capital (10k yuan)")}
        widgets = {
            "founded_on": DATE,
            "high_tech_expires_on": DATE,
            "uscc": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "maxlength": 18}),
        }

    def clean_uscc(self):
        return (self.cleaned_data.get("uscc") or "").strip().upper()


def enterprise_edit_form_class(allowed: set[str]):
    fields = [f for f in EnterpriseForm.Meta.fields if f in allowed]
    return forms.modelform_factory(Enterprise, form=EnterpriseForm, fields=fields)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Enterprise.Status.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class HandoverForm(forms.Form):
    officer = forms.ModelChoiceField(label=_("New officer"), queryset=None)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args, exclude_officer_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = officers()
        if exclude_officer_id:
            queryset = queryset.exclude(pk=exclude_officer_id)
        self.fields["officer"].queryset = queryset
        self.fields["officer"].label_from_instance = lambda u: (
            _("%(name)s (%(n)d enterprises)")
            % {
                "name": u,
                "n": u.active_enterprises,
            }
        )


class BulkAssignForm(forms.Form):
    park = forms.ModelChoiceField(label=_("Park"), queryset=Park.objects.all())
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=None)
    only_without_officer = forms.BooleanField(
        label=_("Only enterprises without an officer"), required=False, initial=True
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args, parks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers()
        if parks is not None:
            self.fields["park"].queryset = parks


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Visit date"), widget=DATE, initial=timezone.localdate)
    participants = forms.CharField(label=_("People met"), max_length=300, required=False)
    findings = text_field(_("Findings"), rows=3)


class StaffForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=120,
        help_text=_("The account signs in as this name followed by your enterprise's suffix (@e…)."),
    )
    display_name = forms.CharField(label=_("Name"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    password = forms.CharField(
        label=_("Initial password"), widget=forms.PasswordInput(render_value=False), strip=False
    )


class AccountRequestForm(forms.Form):
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=18, min_length=1)
    enterprise_name = forms.CharField(label=_("Enterprise name"), max_length=200)
    contact_name = forms.CharField(label=_("Contact person"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=32)
    email = forms.EmailField(label=_("Email"), required=False)
    username = forms.CharField(label=_("Username you want"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


class ApproveForm(forms.Form):
    park = forms.ModelChoiceField(
        label=_("Park (for an enterprise not yet registered)"), queryset=Park.objects.all(), required=False
    )
    username = forms.CharField(
        label=_("Another username (when the requested one is taken)"), max_length=150, required=False
    )


class AccountLinkForm(forms.Form):
    accept = forms.TypedChoiceField(
        choices=[("yes", _("Confirm")), ("no", _("Decline"))], coerce=lambda v: v == "yes"
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("Reason for refusal"), max_length=300)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Register file (.xlsx or .csv)"))
