"""The forms administrators enter financing with: banks, matching events, credit lines, loans,
subsidy payments, and the problems met on a loan.

Large sums (credit lines, loans) are typed in 万元 like the rest of the portal and handed to the
actions in yuan; a subsidy payment is typed in yuan, since it is matched to the interest, which is
counted to the fen. The forms only parse: every rule is the action's, so the API and the pages
refuse the same input with the same words.
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from zone_portal.dates import DateInput
from zone_portal.money import WanField
from zone_portal.org.models import Park
from zone_portal.web.forms import text_field

from .models import Bank, CreditLine, LoanKind, MatchingEvent

PERCENT = Decimal("100")


def _register():
    return Enterprise.objects.filter(status=Enterprise.Status.ACTIVE).select_related("park").order_by("name")


class EnterpriseChecklist(forms.CheckboxSelectMultiple):
    """The register as checkboxes under a search box (`data-filter-list` in portal.js): type part of
    a name to narrow the list; without JavaScript every enterprise is listed."""

    template_name = "benefits/_enterprise_checklist.html"

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        enterprise = getattr(value, "instance", None)
        if enterprise is not None:
            option["attrs"]["data-search"] = " ".join(
                [enterprise.name, enterprise.uscc, enterprise.name_initials, enterprise.name_pinyin]
            ).lower()
        return option


class BankForm(forms.Form):
    name = forms.CharField(label=_("Bank name"), max_length=200)


class MatchingEventForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    park = forms.ModelChoiceField(label=_("Park"), queryset=Park.objects.all(), required=False)
    banks = forms.ModelMultipleChoiceField(
        label=_("Banks present"),
        queryset=Bank.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    enterprises = forms.ModelMultipleChoiceField(
        label=_("Enterprises that attended"), queryset=_register(), required=False, widget=EnterpriseChecklist
    )


class CreditLineForm(forms.Form):
    bank = forms.ModelChoiceField(label=_("Bank"), queryset=Bank.objects.all())
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=_register())
    amount = WanField(label=_("Amount granted (10k yuan)"))
    granted_on = forms.DateField(label=_("Granted on"), widget=DateInput())
    event = forms.ModelChoiceField(
        label=_("At the matching event"), queryset=MatchingEvent.objects.all(), required=False
    )


class LoanForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=LoanKind.choices)
    bank = forms.ModelChoiceField(label=_("Bank"), queryset=Bank.objects.all())
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=_register())
    credit_line = forms.ModelChoiceField(
        label=_("Drawn on the credit line"),
        queryset=CreditLine.objects.select_related("bank", "enterprise"),
        required=False,
    )
    amount = WanField(label=_("Loan amount (10k yuan)"))
    drawn_on = forms.DateField(label=_("Drawn on"), widget=DateInput())
    term_months = forms.IntegerField(label=_("Term (months)"), min_value=1, max_value=360, initial=12)
    annual_rate = forms.DecimalField(
        label=_("Annual interest rate (%)"), min_value=0, max_value=100, decimal_places=3, max_digits=6
    )
    evaluator = forms.CharField(
        label=_("Evaluation agency"),
        max_length=200,
        required=False,
        help_text=_("Required for a patent-pledge loan."),
    )
    patents = forms.CharField(label=_("Patents pledged"), max_length=500, required=False)
    subsidy_percent = forms.DecimalField(
        label=_("Share of interest subsidised (%)"),
        min_value=0,
        max_value=100,
        decimal_places=0,
        max_digits=3,
        required=False,
        help_text=_("Empty: half for a patent-pledge loan, none for another loan."),
    )

    def action_values(self) -> dict:
        data = dict(self.cleaned_data)
        percent = data.pop("subsidy_percent")
        data["subsidy_share"] = None if percent is None else (percent / PERCENT).quantize(Decimal("0.01"))
        return data


class SubsidyPaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (yuan)"), min_value=0, decimal_places=2, max_digits=16)
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())


class TicketLinkForm(forms.Form):
    ticket = forms.ModelChoiceField(label=_("Problem"), queryset=None)

    def __init__(self, *args, tickets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ticket"].queryset = tickets


class TicketRaiseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = text_field(_("What stands in the way"), rows=3)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=())

    def __init__(self, *args, **kwargs):
        from feedback.models import Urgency

        super().__init__(*args, **kwargs)
        self.fields["urgency"].choices = Urgency.choices
        self.fields["urgency"].initial = Urgency.NORMAL
