"""Forms of the feedback pages. They only parse input; the actions validate the rules. A verb's form
cleans to its action's keyword arguments (`views.VERBS`)."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zone_portal.dates import DateInput
from zone_portal.org.models import Department, Park
from zone_portal.ratings.models import Score
from zone_portal.web.forms import text_field, yes_no_field

from .models import Category, Urgency


def _by_code(model, label, **kwargs) -> forms.ModelChoiceField:
    """An optional park or department, named by its code in the posted data and the query string
    (as the API and the board's links name them)."""
    return forms.ModelChoiceField(
        queryset=model.objects.all(), to_field_name="code", required=False, label=label, **kwargs
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class RaiseForm(forms.Form):
    enterprise = forms.ModelChoiceField(queryset=None, label=_("Enterprise"), empty_label=None)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = text_field(_("Problem description"), rows=5)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    project = forms.ModelChoiceField(queryset=None, label=_("Key project (optional)"), required=False)
    files = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args, enterprises, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.fields["project"].queryset = projects


class WhistleForm(forms.Form):
    departments = forms.ModelMultipleChoiceField(
        queryset=Department.objects.all(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        label=_("Departments to whistle"),
    )
    note = text_field(_("Note to the departments"), rows=2, required=False)


class DepartmentForm(forms.Form):
    department = forms.SlugField(required=False, widget=forms.HiddenInput)

    def clean_department(self):
        return self.cleaned_data["department"] or None  # none named: the action finds the user's


class AnswerForm(DepartmentForm):
    text = text_field(_("Answer"), rows=3)


class NoteForm(forms.Form):
    note = text_field(_("Note"), rows=2, required=False)


class ResolveForm(forms.Form):
    resolution = text_field(_("Resolution"), rows=3)


class ConfirmForm(forms.Form):
    solved = yes_no_field(_("Is the problem solved?"), yes=_("Solved"), no=_("Not solved"))
    score = forms.TypedChoiceField(
        label=_("Rating"),
        choices=Score.choices,
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
        empty_value=None,
    )
    comment = text_field(_("Comment"), rows=2, required=False)


class ReasonForm(forms.Form):
    reason = text_field(_("Reason"), rows=2)


class ExtendForm(ReasonForm):
    days = forms.DecimalField(label=_("Working days"), min_value=0.5, max_value=30, decimal_places=1)


class DecideForm(forms.Form):
    approve = yes_no_field(_("Decision"), yes=_("Approve"), no=_("Refuse"))
    note = forms.CharField(label=_("Note"), required=False)


class ReassignForm(ReasonForm):
    department = forms.SlugField(required=False, widget=forms.HiddenInput)
    park = _by_code(Park, _("Route to park"))

    clean_department = DepartmentForm.clean_department


class CommentForm(forms.Form):
    text = text_field(_("Comment"), rows=2)


class AttachForm(forms.Form):
    files = MultipleFileField(label=_("Attachments"))


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    location = forms.CharField(label=_("Location"), required=False)


class MinutesForm(forms.Form):
    minutes = text_field(_("Minutes"), rows=5)


class ActionRowForm(forms.Form):
    ticket = forms.TypedChoiceField(label=_("Problem"), coerce=int, required=False)
    department = _by_code(Department, _("Department"))
    description = forms.CharField(label=_("Task"), required=False)
    due_at = forms.DateTimeField(
        label=_("Due (optional)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args, tickets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ticket"].choices = [("", "—")] + [(t.pk, f"{t.number} {t.title}") for t in tickets]


ActionRowFormSet = forms.formset_factory(ActionRowForm, extra=3)


class StatsForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To (inclusive)"), widget=DateInput())
    park = _by_code(Park, _("Park"), empty_label=_("All parks"))
    department = _by_code(Department, _("Department"), empty_label=_("All departments"))
    category = forms.ChoiceField(
        choices=[("", _("All categories")), *Category.choices], required=False, label=_("Category")
    )

    # The figures cover the portal's life: from 2000 to a year ahead, at most five years at once.
    EARLIEST = date(2000, 1, 1)
    MAX_DAYS = 366 * 5

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        latest = timezone.localdate() + timedelta(days=366)
        for field, value in (("start", start), ("end", end)):
            if value and not (self.EARLIEST <= value <= latest):
                self.add_error(
                    field,
                    _("Choose a date between %(earliest)s and %(latest)s.")
                    % {"earliest": self.EARLIEST.isoformat(), "latest": latest.isoformat()},
                )
        if self.errors or not (start and end):
            return data
        if end < start:
            self.add_error("end", _("The end date is before the start date."))
        elif (end - start).days > self.MAX_DAYS:
            self.add_error("start", _("A period is at most five years."))
        return data
