"""What benefits, vouchers and financing show on the dashboards: the ledger (paid in the period and
in all), the vouchers (firms, issued, paid, redemption rate, at risk of expiring, the zone's share of
the city's total) and financing (credit lines and loans in the period), with drill-downs and the
export's sheets. Imported by the dashboard's AppConfig (like the admin's `admin.py`)."""

from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from zone_portal.dashboard.drilldown import Metric, Source, drilldown_register
from zone_portal.dashboard.parts import Part, part_register
from zone_portal.dashboard.scope import Scope

from .models import CreditLine, Disbursement, Loan, LoanKind, Voucher, VoucherRound, VoucherStatus
from .selectors import ISSUED_STATES, voucher_figures

AT_RISK_DAYS = 30


def _money(qs, field="amount", **filter_kwargs):
    return Coalesce(
        Sum(field, **filter_kwargs), Value(0), output_field=DecimalField(max_digits=18, decimal_places=2)
    )


def _ledger(scope: Scope):
    qs = Disbursement.objects.all()
    if scope.park is not None:
        qs = qs.filter(park=scope.park)
    if scope.department is not None:
        qs = qs.filter(policy__department=scope.department)
    return qs


def _of_enterprises(model, scope: Scope):
    """The vouchers, credit lines or loans (`model`) of the enterprises of the scope's park."""
    return scope.narrow(model.objects.all(), park="enterprise__park")


def benefit_figures(scope: Scope, reading) -> dict | None:
    """Five queries, whatever the number of rows."""
    period = reading.period
    ledger = _ledger(scope)
    in_period = period.on_days("paid_on")
    figures = {
        "ledger": ledger.aggregate(
            total=_money(ledger),
            count=Count("id"),
            period_total=_money(ledger, filter=in_period),
            period_count=Count("id", filter=in_period),
        ),
        "by_policy": list(
            ledger.values("policy_id", "policy__name")
            .annotate(total=_money(ledger), count=Count("id"))
            .order_by("-total", "policy_id")[:10]
        ),
    }
    if scope.department is not None:
        return figures
    year = reading.today.year
    figures["vouchers"] = voucher_figures(
        _of_enterprises(Voucher, scope), now=reading.now, at_risk_days=AT_RISK_DAYS, issued_in_year=year
    )
    if scope.park is None:  # the city enters a total for the zone, not per park
        city = VoucherRound.objects.filter(year=year).aggregate(total=Sum("city_total"))["total"]
        issued = figures["vouchers"].pop("year_issued")
        share = (issued / city).quantize(Decimal("0.0001")) if city else None
        figures["vouchers"]["city_share"] = {"year": year, "zone": issued, "city": city, "share": share}
    else:
        figures["vouchers"].pop("year_issued")
        figures["vouchers"]["city_share"] = None
    credit, loans = _of_enterprises(CreditLine, scope), _of_enterprises(Loan, scope)
    granted = period.on_days("granted_on")
    drawn = period.on_days("drawn_on")
    figures["financing"] = {
        **credit.aggregate(credit_total=_money(credit), credit_period=_money(credit, filter=granted)),
        **loans.aggregate(
            loan_total=_money(loans),
            loan_period=_money(loans, filter=drawn),
            pledge_total=_money(loans, filter=Q(kind=LoanKind.PATENT_PLEDGE)),
        ),
    }
    return figures


def _sheets(figures: dict) -> list:
    ledger = figures["ledger"]
    rows = [
        [_("Paid in the period (yuan)"), ledger["period_total"]],
        [_("Payments in the period"), ledger["period_count"]],
        [_("Paid in all (yuan)"), ledger["total"]],
        [_("Payments in all"), ledger["count"]],
    ]
    if "vouchers" in figures:
        v, f = figures["vouchers"], figures["financing"]
        rows += [
            [_("Enterprises with vouchers"), v["firms"]],
            [_("Vouchers issued (yuan)"), v["issued"]],
            [_("Vouchers paid (yuan)"), v["paid"]],
            [_("Vouchers at risk of expiring"), v["at_risk"]],
            [_("Credit lines granted in the period (yuan)"), f["credit_period"]],
            [_("Loans drawn in the period (yuan)"), f["loan_period"]],
            [_("Patent-pledge loans (yuan)"), f["pledge_total"]],
        ]
    by_policy = [[row["policy__name"], row["count"], row["total"]] for row in figures["by_policy"]]
    return [
        (60, _("Benefits and vouchers"), [_("Figure"), _("Value")], rows),
        (60, _("Paid by policy"), [_("Policy"), _("Payments"), _("Amount (yuan)")], by_policy),
    ]


def _dated(records, day: str, **named):
    """A drill-down's rows of `records(scope)` dated by the field `day`, newest first: the figure's
    condition "period" keeps those of the period's days (as the figure counts them), a condition
    in `named` keeps its rows (a Q), any other keeps them all."""

    def rows(metric, scope, period, *, now, **filters):
        qs = records(scope)
        if metric.condition == "period":
            qs = qs.filter(period.on_days(day))
        elif metric.condition in named:
            qs = qs.filter(named[metric.condition])
        return qs.order_by(f"-{day}", "-id")

    return rows


def _voucher_rows(metric, scope, period, *, now, **filters):
    qs = _of_enterprises(Voucher, scope).select_related("enterprise", "round")
    if metric.condition == "at_risk":
        qs = qs.filter(status=VoucherStatus.ISSUED, expires_at__lte=now + timedelta(days=AT_RISK_DAYS))
        return qs.order_by("expires_at", "id")
    if metric.condition == "paid":
        qs = qs.filter(status=VoucherStatus.PAID)
    else:
        qs = qs.filter(status__in=ISSUED_STATES)
    return qs.order_by("-id")


_disbursement_rows = _dated(
    lambda scope: _ledger(scope).select_related("policy", "enterprise", "park"), "paid_on"
)
_credit_line_rows = _dated(
    lambda scope: _of_enterprises(CreditLine, scope).select_related("bank", "enterprise"), "granted_on"
)
_loan_rows = _dated(
    lambda scope: _of_enterprises(Loan, scope).select_related("bank", "enterprise"),
    "drawn_on",
    pledge=Q(kind=LoanKind.PATENT_PLEDGE),
)


part_register(
    Part(
        name="benefits",
        order=60,
        figures=benefit_figures,
        template="benefits/_dashboard.html",
        sheets=_sheets,
    )
)
drilldown_register(
    {
        "disbursements": Source(_disbursement_rows, "benefits/_drill_disbursements.html"),
        "vouchers": Source(_voucher_rows, "benefits/_drill_vouchers.html"),
        "credit_lines": Source(_credit_line_rows, "benefits/_drill_credit_lines.html"),
        "loans": Source(_loan_rows, "benefits/_drill_loans.html"),
    },
    {
        "benefits-paid": Metric(_("Benefits paid in the period"), "disbursements", "period"),
        "benefits-ledger": Metric(_("The disbursement ledger"), "disbursements", ""),
        "vouchers-issued": Metric(_("Vouchers issued"), "vouchers", "issued"),
        "vouchers-paid": Metric(_("Vouchers paid"), "vouchers", "paid"),
        "vouchers-at-risk": Metric(_("Vouchers at risk of expiring"), "vouchers", "at_risk"),
        "credit-lines-period": Metric(_("Credit lines granted in the period"), "credit_lines", "period"),
        "loans-period": Metric(_("Loans drawn in the period"), "loans", "period"),
        "loans-pledge": Metric(_("Patent-pledge loans"), "loans", "pledge"),
    },
)
