"""The demo reproduces the source's figures, and seeding twice changes nothing."""

from decimal import Decimal

from django.db.models import Count, Max, Sum

from benefits import demo as benefits_demo
from benefits.models import CreditLine, Disbursement, Loan, Policy, Voucher
from enterprises import demo as enterprises_demo
from feedback import demo as feedback_demo


def test_the_demo_reproduces_the_source_figures(demo):
    enterprises_demo.seed(demo)
    feedback_demo.seed(demo)
    for _ in range(2):
        benefits_demo.seed(demo)
    assert Policy.objects.count() >= 30
    assert Disbursement.objects.aggregate(total=Sum("amount"))["total"] == Decimal("67894050.00")
    vouchers = Voucher.objects.aggregate(
        firms=Count("enterprise", distinct=True), total=Sum("amount"), top=Max("amount")
    )
    assert vouchers == {"firms": 24, "total": Decimal("6637000.00"), "top": Decimal("300000.00")}
    assert CreditLine.objects.filter(granted_on__year=2020).aggregate(t=Sum("amount"))["t"] > Decimal(
        "519000000"
    )
    pledge = Loan.objects.get(kind="patent_pledge")
    assert pledge.amount == Decimal("9300000.00") and pledge.subsidy_share == Decimal("0.50")
    assert pledge.subsidies.get().amount == pledge.interest / 2
    assert pledge.tickets.count() == 2
