from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from zone_portal.accounts.models import User
from zone_portal.accounts.roles import Role
from zone_portal.money import WanField
from zone_portal.org.models import Park
from zone_portal.web.forms import text_field

from .models import SCORE_FIELDS, SCORE_MAX, TEAM_DEPARTMENTS, Stage

# <input type=date> only accepts ISO dates, whatever the locale formats dates as.
DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _people(**filters):
    return User.objects.filter(is_active=True, **filters).order_by("username").distinct()


class ProjectForm(forms.Form):
    """The six ones. The trio's three lists offer only the members of each department; the action
    validates again, so the API and this page share one rule."""

    name = forms.CharField(label=_("Project name"), max_length=200)
    enterprise = forms.ModelChoiceField(label=_("Investor"), queryset=Enterprise.objects.order_by("name"))
    industry = forms.CharField(label=_("Industry"), max_length=100)
    content = text_field(_("Construction content"), rows=3)
    total_investment = WanField(label=_("Total investment (10k yuan)"))
    park = forms.ModelChoiceField(label=_("Responsible park"), queryset=Park.objects.all())
    leader = forms.ModelChoiceField(
        label=_("Assigned leader"), queryset=_people(role_grants__role=Role.LEADER)
    )
    investment_member = forms.ModelChoiceField(
        label=_("Investment department member"),
        queryset=_people(departments__code=TEAM_DEPARTMENTS["investment_member"]),
    )
    service_member = forms.ModelChoiceField(
        label=_("Enterprise service department member"),
        queryset=_people(departments__code=TEAM_DEPARTMENTS["service_member"]),
    )
    platform_member = forms.ModelChoiceField(
        label=_("Platform department member"),
        queryset=_people(departments__code=TEAM_DEPARTMENTS["platform_member"]),
    )
    goal = text_field(_("Completion goal"), rows=2)
    target_date = forms.DateField(label=_("Target completion date"), widget=DATE)

    def action_values(self) -> dict:
        data = dict(self.cleaned_data)
        data["team"] = [data.pop(slot) for slot in TEAM_DEPARTMENTS]
        return data


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("New stage"), choices=())
    date = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [(s, Stage(s).label) for s in project.allowed_stages()]


class MilestoneForm(forms.Form):
    name = forms.CharField(label=_("Milestone"), max_length=200)
    planned_date = forms.DateField(label=_("Planned date"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False)


class MilestoneReachForm(forms.Form):
    actual_date = forms.DateField(label=_("Reached on"), widget=DATE, initial=timezone.localdate)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class LedgerEntryForm(forms.Form):
    entry_date = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    investment_completed = WanField(label=_("Investment completed in the period (10k yuan)"))
    progress_percent = forms.IntegerField(label=_("Overall progress (%)"), min_value=0, max_value=100)
    problems = text_field(_("Problems found"), rows=2, required=False)
    note = forms.CharField(label=_("Note"), required=False)
    photos = MultipleFileField(label=_("Photos"), required=False)


class SupervisionForm(forms.Form):
    supervised_on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    findings = text_field(_("Supervision findings"), rows=3)
    problems = text_field(_("Problems to solve"), rows=2, required=False)


class ObservationForm(forms.Form):
    observed_on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    progress_score = forms.IntegerField(label=_("Progress"), min_value=0, max_value=SCORE_MAX)
    investment_score = forms.IntegerField(label=_("Investment"), min_value=0, max_value=SCORE_MAX)
    quality_score = forms.IntegerField(label=_("Quality"), min_value=0, max_value=SCORE_MAX)
    safety_score = forms.IntegerField(label=_("Safety"), min_value=0, max_value=SCORE_MAX)
    service_score = forms.IntegerField(label=_("Service score"), min_value=0, max_value=SCORE_MAX)
    remarks = text_field(_("Remarks"), rows=2, required=False)

    def scores(self) -> dict:
        return {f: self.cleaned_data[f] for f in SCORE_FIELDS}
