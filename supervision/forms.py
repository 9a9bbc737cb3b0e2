"""The pages' forms: parse and offer choices; every rule is the actions'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from zone_portal.org.models import Department, Park
from zone_portal.ratings.models import Score
from zone_portal.web.forms import MultipleFileField, MultipleFileInput, text_field, yes_no_field

from .figures import source_choices
from .models import Combine, IndicatorGroup, Measure, ObservationCategory, Place


def _photos() -> MultipleFileField:
    return MultipleFileField(
        label=_("Photos"), widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
    )


class ObservationForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=ObservationCategory.choices)
    place = forms.ChoiceField(label=_("Place"), choices=Place.choices)
    place_detail = forms.CharField(
        label=_("Where exactly"),
        max_length=100,
        required=False,
        help_text=_("e.g. window 3, the queue-number machine"),
    )
    park = forms.ModelChoiceField(label=_("Park"), queryset=Park.objects.all(), required=False)
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.all(),
        required=False,
        help_text=_("Empty: the service center answers."),
    )
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise concerned (if any)"),
        # Names only: a supervisor reads nothing else of the register.
        queryset=Enterprise.objects.only("id", "name").order_by("name_pinyin"),
        required=False,
    )
    observed_at = forms.DateTimeField(
        label=_("Observed at"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    description = text_field(_("Description"), rows=4)
    photos = _photos()


class AnswerForm(forms.Form):
    measures = text_field(_("Rectification measures"), rows=3)
    fixed_at_once = yes_no_field(
        _("Fixed at once?"), yes=_("Fixed at once (立行立改)"), no=_("Tracked to the end with a deadline")
    )
    rectify_by = forms.DateField(
        label=_("Rectify by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For a tracked rectification."),
    )


class ResolveForm(forms.Form):
    result = text_field(_("Result"), rows=3)


class RateForm(forms.Form):
    score = forms.TypedChoiceField(label=_("Your rating of the answer"), choices=Score.choices, coerce=int)
    comment = text_field(_("Comment"), rows=2, required=False)


class AssignForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Answering department"),
        queryset=Department.objects.all(),
        required=False,
        help_text=_("Empty: the service center answers."),
    )


class PhotoForm(forms.Form):
    photos = _photos()


class SupervisorForm(forms.Form):
    username = forms.CharField(label=_("Account"), max_length=150)
    name = forms.CharField(label=_("Name"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=32)
    organisation = forms.CharField(label=_("Work unit"), max_length=200, required=False)
    term_start = forms.DateField(label=_("Term from"), widget=forms.DateInput(attrs={"type": "date"}))
    term_end = forms.DateField(label=_("Term until"), widget=forms.DateInput(attrs={"type": "date"}))


class IndicatorForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.all(), required=False
    )
    park = forms.ModelChoiceField(label=_("Park"), queryset=Park.objects.all(), required=False)
    group = forms.ChoiceField(label=_("Group"), choices=IndicatorGroup.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    weight = forms.DecimalField(label=_("Weight"), max_digits=5, decimal_places=2)
    target = forms.DecimalField(label=_("Quarterly target"), max_digits=12, decimal_places=2)
    unit = forms.CharField(label=_("Unit"), max_length=20)
    measure = forms.ChoiceField(label=_("Measured"), choices=Measure.choices)
    source = forms.ChoiceField(label=_("Portal figure"), choices=[("", "—")], required=False)
    combine = forms.ChoiceField(label=_("Months combined as"), choices=Combine.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", "—"), *source_choices()]


class EntryForm(forms.Form):
    month = forms.TypedChoiceField(label=_("Month"), choices=[(m, m) for m in range(1, 13)], coerce=int)
    value = forms.DecimalField(label=_("Value"), max_digits=12, decimal_places=2)
    note = text_field(_("Note"), rows=2, required=False)
    evidence = forms.FileField(label=_("Evidence"), required=False)


class DecideForm(forms.Form):
    confirm = yes_no_field(_("Decision"), yes=_("Confirm"), no=_("Return for correction"))
    note = text_field(_("Reason"), rows=2, required=False)


class SettingsForm(forms.Form):
    answer_days = forms.DecimalField(
        label=_("Working days to answer an observation"), max_digits=4, decimal_places=1
    )
    at_risk_ratio = forms.DecimalField(label=_("At-risk ratio"), max_digits=3, decimal_places=2)
    quantitative_count = forms.IntegerField(label=_("Quantitative indicators"), min_value=0, max_value=50)
    key_count = forms.IntegerField(label=_("Key or difficult indicators"), min_value=0, max_value=50)
    highlight_count = forms.IntegerField(label=_("Highlight indicators"), min_value=0, max_value=50)
