"""The pages' forms: they parse; the actions decide (their refusals are shown on the form)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zone_portal.web.forms import MultipleFileField, MultipleFileInput

from .models import ChecklistPoint, CheckResult, Severity


def _files(label, *, required: bool = False) -> MultipleFileField:
    """Several files (photos or documents: the action checks which) with no type hint to the browser."""
    return MultipleFileField(label=label, required=required, widget=MultipleFileInput())


def _text(label, rows=3, required=True, max_length=5000):
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.Textarea(attrs={"rows": rows})
    )


class PlanInspectionForm(forms.Form):
    enterprise = forms.ModelChoiceField(queryset=None, label=_("Enterprise"))
    planned_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    unannounced = forms.BooleanField(label=_("Unannounced (暗访)"), required=False)
    campaign = forms.ModelChoiceField(queryset=None, label=_("Campaign"), required=False)

    def __init__(self, *args, enterprises, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.fields["campaign"].queryset = campaigns


class RecordForm(forms.Form):
    """Every checklist point with its result and note, the findings and photos."""

    findings = _text(_("Inspection findings"), rows=4, required=False)
    photos = _files(_("Photos"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for point, label in ChecklistPoint.choices:
            self.fields[f"{point}_result"] = forms.ChoiceField(
                label=label, choices=CheckResult.choices, widget=forms.RadioSelect
            )
            self.fields[f"{point}_note"] = forms.CharField(label=_("Note"), required=False, max_length=500)
        self.order_fields(
            [*(f"{p}_{k}" for p in ChecklistPoint.values for k in ("result", "note")), "findings"]
        )

    def checklist_rows(self):
        return [
            (label, self[f"{point}_result"], self[f"{point}_note"]) for point, label in ChecklistPoint.choices
        ]

    def checklist(self) -> dict:
        data = self.cleaned_data
        return {p: {"result": data[f"{p}_result"], "note": data[f"{p}_note"]} for p in ChecklistPoint.values}

    def clean(self):
        """What `inspection_record` takes: the checklist by point, the findings, the photos."""
        data = super().clean()
        if self.errors:
            return data
        return {"checklist": self.checklist(), "findings": data["findings"], "photos": data["photos"]}


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class PhotosForm(forms.Form):
    photos = _files(_("Photos"), required=True)


class HazardForm(forms.Form):
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, widget=forms.RadioSelect)
    description = _text(_("Hazard"))
    photos = _files(_("Photos"))


class PlanForm(forms.Form):
    plan = _text(_("Rectification plan"), rows=4)
    files = _files(_("Plan documents"))


class ReportForm(forms.Form):
    report = _text(_("What was fixed"), rows=4)
    evidence = _files(_("Evidence (photos or documents)"), required=True)


class ReinspectForm(forms.Form):
    fixed = forms.TypedChoiceField(
        label=_("Result of the re-inspection"),
        choices=[("1", _("Fixed: close the hazard")), ("0", _("Not fixed: reopen with a new deadline"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = _text(_("Note"), required=False)
    photos = _files(_("Photos"))


class ExposeForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Campaign name"), max_length=100)
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    target_count = forms.IntegerField(label=_("Target number of inspections"), min_value=1, max_value=100000)
    description = _text(_("Description"), required=False)
