"""HTML forms of the services app: they parse input; the actions decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zone_portal.accounts.models import User
from zone_portal.accounts.roles import Role
from zone_portal.ratings.models import FixScore, Score
from zone_portal.web.forms import (
    DOCUMENT_ACCEPT,
    MultipleFileField,
    MultipleFileInput,  # noqa: F401  (kept importable from here)
    checklist_fields_add,
    text_field,
    yes_no_field,
)

from .models import ServiceItem, ServiceSettings

ACCEPT = DOCUMENT_ACCEPT


class RequestForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=ServiceItem.objects.filter(active=True), to_field_name="code"
    )
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=None, required=False)
    applicant_name = forms.CharField(
        label=_("Applicant (company being founded)"),
        max_length=100,
        required=False,
        help_text=_("Only when there is no enterprise yet: the founder's name."),
    )
    applicant_phone = forms.CharField(label=_("Applicant phone"), max_length=32, required=False)
    description = text_field(_("Description"), rows=4, required=False)
    files = MultipleFileField(
        label=_("Other materials"),
        help_text=_("PDF, JPEG, PNG, Word (DOCX) or Excel (XLSX); several files allowed."),
    )

    def __init__(self, *args, enterprises, agent: bool, checklist=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.checklist = list(checklist)
        checklist_fields_add(self, self.checklist)
        self.fields["enterprise"].queryset = enterprises
        self.fields["enterprise"].required = not agent
        if not agent:
            del self.fields["applicant_name"]
            del self.fields["applicant_phone"]


class SupplementRequestForm(forms.Form):
    """Ticks on the service's checklist (一次性告知), other lines only for what it does not name."""

    missing = forms.MultipleChoiceField(
        label=_("Missing materials (tick every one at once)"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other = text_field(_("Other missing materials, one per line"), rows=2, required=False)
    note = text_field(_("Note to the applicant"), rows=2, required=False)
    reason = text_field(_("Reason for a second round (二次补正)"), rows=2, required=False)

    def __init__(self, *args, checklist=(), second_round=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["missing"].choices = [(item.name, item.name) for item in checklist]
        if not checklist:
            del self.fields["missing"]
        if second_round:
            self.fields["reason"].required = True
        else:
            del self.fields["reason"]

    def clean_other(self):
        return [line.strip() for line in self.cleaned_data["other"].splitlines() if line.strip()]


class SupplementForm(forms.Form):
    note = text_field(_("Note"), rows=2, required=False)
    files = MultipleFileField(label=_("Other materials"))

    def __init__(self, *args, checklist=(), asked=(), **kwargs):
        super().__init__(*args, **kwargs)
        checklist_fields_add(self, checklist, only=set(asked))


class UploadForm(forms.Form):
    files = MultipleFileField(label=_("Materials"), required=True)
    slot = forms.ChoiceField(label=_("Material of the checklist"), choices=(), required=False)

    def __init__(self, *args, checklist=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [("", _("Another file")), *((i.name, i.name) for i in checklist)]


class CompleteForm(forms.Form):
    result = text_field(_("Result"), rows=3)


class RejectForm(forms.Form):
    reason = text_field(_("Reason"), rows=3)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False)


class ReassignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Hand to"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = User.objects.filter(
            is_active=True, role_grants__role__in=[Role.CLERK, Role.DEPARTMENT_OFFICER]
        ).distinct()


class RateForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Your rating"), choices=Score.choices, coerce=int, widget=forms.RadioSelect
    )
    comment = text_field(_("Comment"), rows=3, required=False)


class BookForm(forms.Form):
    slot = forms.IntegerField(label=_("Slot"))  # the template draws one radio button per open slot
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=None)
    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=ServiceItem.objects.filter(active=True),
        to_field_name="code",
        required=False,
    )
    address = forms.CharField(label=_("Address (door-to-door)"), max_length=300, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises


# -- rectifications --------------------------------------------------------------------------------


class VerifyForm(forms.Form):
    finding = text_field(_("What was found"), rows=3)
    fixed_at_once = forms.BooleanField(label=_("Fixed at once (立行立改)"), required=False)


class ReplyForm(forms.Form):
    reply = text_field(_("Reply: what was fixed"), rows=3)


class CallbackForm(forms.Form):
    note = text_field(_("Callback: what the enterprise said"), rows=3)


class RateFixForm(forms.Form):
    fix_score = forms.ChoiceField(
        label=_("How was it put right?"), choices=FixScore.choices, widget=forms.RadioSelect
    )
    comment = text_field(_("Comment"), rows=2, required=False)


class AppealForm(forms.Form):
    reason = text_field(_("Why the review is unfounded"), rows=3)


class DecideForm(forms.Form):
    uphold = yes_no_field(
        _("Decision"), yes=_("Uphold the appeal: void the review"), no=_("Dismiss the appeal")
    )
    decision = text_field(_("Reasons"), rows=3)


class SettingsForm(forms.ModelForm):
    class Meta:
        model = ServiceSettings
        fields = ["at_risk_ratio", "rectification_verify_days", "rectification_fix_days", "center_head"]
