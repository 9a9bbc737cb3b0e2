"""`/api/v1/…` of financing (银企对接): banks, matching events, credit lines, loans (with their
subsidy payments and linked problems) and the totals by year, bank and park.

Same conventions as `benefits.api`: reads through the `*_visible_to(user)` selectors (404 for a
loan that is missing or not yours), writes through one action each (administrators record; the
enterprise and its officer may link or raise problems on their own loans), amounts are strings of
Decimal yuan, bad input is a 400 in the error shape with nothing written.
"""

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from enterprises.models import Enterprise
from enterprises.selectors import enterprises_visible_to
from feedback.models import Urgency
from zone_portal.api.creating import ListCreateThroughAction
from zone_portal.api.inputs import input_row
from zone_portal.api.params import query_choice, query_int, query_year
from zone_portal.api.parsers import BoundedJSONParser
from zone_portal.api.serializers import name_of
from zone_portal.api.verbs import ApiObject, object_routes
from zone_portal.errors import InvalidInput
from zone_portal.org.models import Park

from . import actions, selectors
from .api_shared import MONEY, BenefitTotalRowSerializer, total_rows
from .models import Bank, CreditLine, Loan, LoanKind, MatchingEvent, SubsidyPayment

FILTER_PARAMETERS = [
    OpenApiParameter("q", str, required=False, description="Enterprise (name, code, pinyin) or bank name."),
    OpenApiParameter("year", int, required=False),
    OpenApiParameter("bank", int, required=False),
    OpenApiParameter("park", int, required=False),
]


def _filters(request) -> dict:
    return {
        "q": (request.query_params.get("q") or "")[:100],
        "year": query_year(request),
        "bank_id": query_int(request, "bank"),
        "park_id": query_int(request, "park"),
    }


# --- banks --------------------------------------------------------------------------------------


class BankSerializer(serializers.ModelSerializer):
    class Meta:
        model = Bank
        fields = ["id", "name"]


class BankCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)


class BankList(ListCreateThroughAction):
    """The banks (organisations of 银企对接); POST adds one (administrators; a known name is returned)."""

    serializer_class = BankSerializer
    create_serializer_class = BankCreateSerializer
    parser_classes = [BoundedJSONParser]

    def get_queryset(self):
        return Bank.objects.order_by("name", "id")

    def create_from(self, values):
        return actions.bank_create(actor=self.request.user, name=values["name"])


# --- matching events ----------------------------------------------------------------------------


class MatchingEventSerializer(serializers.ModelSerializer):
    banks = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    enterprises = serializers.SerializerMethodField()
    enterprise_count = serializers.SerializerMethodField()

    class Meta:
        model = MatchingEvent
        fields = ["id", "title", "held_on", "park", "banks", "enterprises", "enterprise_count"]

    def _attended(self, event) -> list[int]:
        return sorted(e.pk for e in event.enterprises.all())

    def get_enterprises(self, event) -> list[int]:
        """The attendees the reader may see in the register (enterprise staff: their own)."""
        seen = self.context.get("visible_enterprises")
        attended = self._attended(event)
        return attended if seen is None else [pk for pk in attended if pk in seen]

    def get_enterprise_count(self, event) -> int:
        return len(self._attended(event))


class MatchingEventCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    held_on = serializers.DateField()
    park = serializers.IntegerField(required=False, allow_null=True)
    banks = serializers.ListField(child=serializers.IntegerField(), required=False, max_length=100)
    enterprises = serializers.ListField(child=serializers.IntegerField(), required=False, max_length=2000)


def _all_found(model_qs, ids, field: str):
    ids = set(ids or ())
    rows = list(model_qs.filter(pk__in=ids))
    if len(rows) != len(ids):
        raise InvalidInput(fields={field: [_("Some of these do not exist.")]})
    return rows


@extend_schema(parameters=FILTER_PARAMETERS[:2])
class MatchingEventList(ListCreateThroughAction):
    """Matching events (对接会) the user sees (`?q=` in the title, `?year=`); POST records one with
    the banks present and the enterprises that attended (administrators)."""

    serializer_class = MatchingEventSerializer
    create_serializer_class = MatchingEventCreateSerializer
    parser_classes = [BoundedJSONParser]

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = self.request.user
        if not (user.is_zone_admin or user.is_superuser):
            context["visible_enterprises"] = set(enterprises_visible_to(user).values_list("pk", flat=True))
        return context

    def get_queryset(self):
        filters = _filters(self.request)
        return (
            selectors.matching_events_visible_to(self.request.user)
            .filter(**({"title__icontains": filters["q"]} if filters["q"] else {}))
            .filter(**({"held_on__year": filters["year"]} if filters["year"] else {}))
            .prefetch_related("banks", "enterprises")
            .order_by("-held_on", "-id")
        )

    def create_from(self, values):
        return actions.matching_event_record(
            actor=self.request.user,
            title=values["title"],
            held_on=values["held_on"],
            park=input_row(Park.objects.all(), values.get("park"), "park", _("No such park.")),
            banks=_all_found(Bank.objects.all(), values.get("banks"), "banks"),
            enterprises=_all_found(Enterprise.objects.all(), values.get("enterprises"), "enterprises"),
        )


# --- credit lines -------------------------------------------------------------------------------


class CreditLineSerializer(serializers.ModelSerializer):
    bank_name = name_of("bank")
    enterprise_name = name_of("enterprise")
    park = serializers.IntegerField(source="enterprise.park_id", read_only=True)

    class Meta:
        model = CreditLine
        fields = [
            "id",
            "bank",
            "bank_name",
            "enterprise",
            "enterprise_name",
            "park",
            "amount",
            "granted_on",
            "event",
        ]


class CreditLineCreateSerializer(serializers.Serializer):
    bank = serializers.IntegerField()
    enterprise = serializers.IntegerField()
    amount = serializers.DecimalField(**MONEY)
    granted_on = serializers.DateField()
    event = serializers.IntegerField(required=False, allow_null=True)


@extend_schema(parameters=FILTER_PARAMETERS)
class CreditLineList(ListCreateThroughAction):
    """Credit lines granted that the user sees (enterprise staff: their own), filtered; POST records
    one (administrators; the amount in yuan)."""

    serializer_class = CreditLineSerializer
    create_serializer_class = CreditLineCreateSerializer
    parser_classes = [BoundedJSONParser]

    def get_queryset(self):
        qs = selectors.credit_lines_visible_to(self.request.user).order_by("-granted_on", "-id")
        return selectors.financing_filter(qs, date_field="granted_on", **_filters(self.request))

    def create_from(self, values):
        return actions.credit_line_record(
            actor=self.request.user,
            bank=input_row(Bank.objects.all(), values["bank"], "bank", _("No such bank.")),
            enterprise=input_row(
                Enterprise.objects.all(), values["enterprise"], "enterprise", _("No such enterprise.")
            ),
            amount=values["amount"],
            granted_on=values["granted_on"],
            event=input_row(
                MatchingEvent.objects.all(), values.get("event"), "event", _("No such matching event.")
            ),
        )


# --- loans --------------------------------------------------------------------------------------


class SubsidyPaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = SubsidyPayment
        fields = ["id", "amount", "paid_on"]


class BenefitLoanSerializer(serializers.ModelSerializer):
    bank_name = name_of("bank")
    enterprise_name = name_of("enterprise")
    interest = serializers.DecimalField(read_only=True, **MONEY)
    subsidy_due = serializers.DecimalField(read_only=True, **MONEY)
    subsidies = SubsidyPaymentSerializer(many=True, read_only=True)
    tickets = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Loan
        fields = [
            "id",
            "kind",
            "bank",
            "bank_name",
            "enterprise",
            "enterprise_name",
            "credit_line",
            "amount",
            "drawn_on",
            "term_months",
            "annual_rate",
            "evaluator",
            "patents",
            "subsidy_share",
            "interest",
            "subsidy_due",
            "subsidies",
            "tickets",
        ]


class LoanCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LoanKind.choices, default=LoanKind.ORDINARY)
    bank = serializers.IntegerField()
    enterprise = serializers.IntegerField()
    credit_line = serializers.IntegerField(required=False, allow_null=True)
    amount = serializers.DecimalField(**MONEY)
    drawn_on = serializers.DateField()
    term_months = serializers.IntegerField(min_value=1, max_value=360, default=12)
    annual_rate = serializers.DecimalField(max_digits=6, decimal_places=3, min_value=0, max_value=100)
    evaluator = serializers.CharField(required=False, allow_blank=True, max_length=200)
    patents = serializers.CharField(required=False, allow_blank=True, max_length=500)
    subsidy_share = serializers.DecimalField(
        max_digits=3,
        decimal_places=2,
        min_value=0,
        max_value=1,
        required=False,
        allow_null=True,
        help_text="A fraction: 0.5 is half. Absent: 0.5 for a patent-pledge loan, 0 otherwise.",
    )


def _loans(user):
    return selectors.loans_visible_to(user).prefetch_related("tickets", "subsidies")


@extend_schema(
    parameters=[*FILTER_PARAMETERS, OpenApiParameter("kind", str, required=False, enum=LoanKind.values)]
)
class LoanList(ListCreateThroughAction):
    """Loans the user sees (enterprise staff: their own), filtered; POST records one (administrators;
    a patent-pledge loan names its evaluation agency)."""

    serializer_class = BenefitLoanSerializer
    create_serializer_class = LoanCreateSerializer
    parser_classes = [BoundedJSONParser]

    def get_queryset(self):
        kind = query_choice(self.request, "kind", LoanKind.values, _("Unknown kind of loan."))
        qs = selectors.financing_filter(
            _loans(self.request.user).order_by("-drawn_on", "-id"),
            date_field="drawn_on",
            **_filters(self.request),
        )
        return qs.filter(kind=kind) if kind else qs

    def create_from(self, values):
        values["bank"] = input_row(Bank.objects.all(), values["bank"], "bank", _("No such bank."))
        values["enterprise"] = input_row(
            Enterprise.objects.all(), values["enterprise"], "enterprise", _("No such enterprise.")
        )
        values["credit_line"] = input_row(
            CreditLine.objects.all(), values.get("credit_line"), "credit_line", _("No such credit line.")
        )
        return actions.loan_record(actor=self.request.user, **values)


LOAN = ApiObject(selectors.loan_for, "loan", BenefitLoanSerializer)


class SubsidyPaySerializer(serializers.Serializer):
    amount = serializers.DecimalField(**MONEY)
    paid_on = serializers.DateField()


class LoanTicketSerializer(serializers.Serializer):
    ticket = serializers.IntegerField(
        required=False, help_text="Link this existing problem of the enterprise."
    )
    title = serializers.CharField(required=False, max_length=200, help_text="Or raise a new problem.")
    description = serializers.CharField(required=False, max_length=5000)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)

    def validate(self, attrs):
        if ("ticket" in attrs) == ("title" in attrs):
            raise serializers.ValidationError(_("Give either an existing problem or the title of a new one."))
        return attrs


def _loan_ticket(*, actor, loan, urgency, ticket=None, title=None, description=""):
    """Link a problem of the loan's enterprise to the loan (`ticket`), or raise a new financing
    problem for it (`title`, `description`, `urgency`) through the problem workflow."""
    from feedback.selectors import tickets_visible_to

    if ticket is not None:
        linked = tickets_visible_to(actor).filter(pk=ticket).first()
        return actions.loan_link_ticket(actor=actor, loan=loan, ticket=linked)
    return actions.loan_ticket_raise(
        actor=actor, loan=loan, title=title, description=description, urgency=urgency
    )


# What is recorded on a loan (each answers 201 with the loan as it now is).
LOAN_VERBS = [
    (
        "subsidies",
        actions.loan_subsidy_pay,
        SubsidyPaySerializer,
        {
            "doc": "Record a payment of the loan's interest subsidy (administrators): 409 `over_subsidy` beyond\n"
            "the subsidy due, 409 `duplicate_subsidy` for a second payment of the loan on the same day."
        },
    ),
    ("tickets", _loan_ticket, LoanTicketSerializer),
]


# --- totals -------------------------------------------------------------------------------------


class BenefitFinancingGroupSerializer(serializers.Serializer):
    total = serializers.DecimalField(max_digits=18, decimal_places=2)
    by_year = BenefitTotalRowSerializer(many=True)
    by_bank = BenefitTotalRowSerializer(many=True)
    by_park = BenefitTotalRowSerializer(many=True)


class BenefitFinancingTotalsSerializer(serializers.Serializer):
    credit_lines = BenefitFinancingGroupSerializer()
    loans = BenefitFinancingGroupSerializer()


@extend_schema(parameters=FILTER_PARAMETERS, responses=BenefitFinancingTotalsSerializer)
@api_view(["GET"])
def financing_totals(request):
    """Credit lines and loans by year, bank and park (of what the user sees, filtered)."""
    filters = _filters(request)
    totals = selectors.financing_totals(
        selectors.financing_filter(
            selectors.credit_lines_visible_to(request.user), date_field="granted_on", **filters
        ),
        selectors.financing_filter(
            selectors.loans_visible_to(request.user), date_field="drawn_on", **filters
        ),
    )

    def group(t):
        return {
            "total": t["total"],
            "by_year": total_rows(t["by_year"], "year", "year"),
            "by_bank": total_rows(t["by_bank"], "bank_id", "bank__name"),
            "by_park": total_rows(t["by_park"], "enterprise__park_id", "enterprise__park__name"),
        }

    return Response(BenefitFinancingTotalsSerializer({k: group(v) for k, v in totals.items()}).data)


urlpatterns = [
    path("banks/", BankList.as_view(), name="api-banks"),
    path("matching-events/", MatchingEventList.as_view(), name="api-matching-events"),
    path("credit-lines/", CreditLineList.as_view(), name="api-credit-lines"),
    path("loans/", LoanList.as_view(), name="api-loans"),
    *object_routes("loans", "loan", LOAN, LOAN_VERBS, operation_id=None, created=True),
    path("financing/totals/", financing_totals, name="api-financing-totals"),
]
