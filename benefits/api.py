"""`/api/v1/…` of benefits, vouchers and financing: policies, applications (and their verbs), the
ledger (with totals and .xlsx), vouchers (and their verbs); financing in `financing_api`.

Views parse, fetch through the `*_for(user, pk)` selectors (404 for missing and not yours alike),
call one action and answer with the detail serializer. Amounts are strings of Decimal yuan.
"""

from functools import partial

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.decorators import api_view
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from enterprises.selectors import enterprises_visible_to
from zone_portal.access import get_visible_or_404
from zone_portal.accounts.models import User
from zone_portal.api.creating import ListCreateThroughAction
from zone_portal.api.inputs import input_row, validated
from zone_portal.api.params import query_choice, query_int, query_year
from zone_portal.api.parsers import BoundedJSONParser
from zone_portal.api.serializers import by_code, by_username, name_of
from zone_portal.api.verbs import ApiObject, object_detail, object_routes
from zone_portal.xlsx import XLSX, xlsx_response

from . import actions, exports, financing_api, selectors
from .api_shared import MONEY, BenefitTotalRowSerializer, total_rows
from .models import (
    REDEMPTION_KINDS,
    ApplicationStatus,
    Disbursement,
    Policy,
    PolicyApplication,
    Voucher,
    VoucherPurpose,
    VoucherReview,
    VoucherRound,
    VoucherStatus,
)


class BenefitPolicySerializer(serializers.ModelSerializer):
    department = by_code()
    parks = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Policy
        fields = [
            "id",
            "name",
            "department",
            "kind",
            "summary",
            "qualifications",
            "parks",
            "industry",
            "founded_after",
            "amount_rule",
            "fixed_amount",
            "percentage",
            "cap",
            "opens_on",
            "closes_on",
            "valid_until",
            "materials",
            "automatic",
            "review_days",
        ]


class PolicyList(generics.ListAPIView):
    """The policy catalog. `?open=1`: open for applications today."""

    serializer_class = BenefitPolicySerializer

    def get_queryset(self):
        qs = selectors.policies_visible_to(self.request.user).prefetch_related("parks").order_by("id")
        if self.request.query_params.get("open"):
            qs = qs.filter(selectors.policy_open_q(timezone.localdate()))
        return qs


policy_detail = object_detail(
    name="policy_detail", fetch=selectors.policy_for, answers=BenefitPolicySerializer
)


class BenefitEnterpriseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    park = serializers.IntegerField(source="park_id")


@extend_schema(responses=BenefitEnterpriseSerializer(many=True))
@api_view(["GET"])
def policy_matches(request, pk: int):
    """应享尽享: the enterprises the user sees that qualify for the policy and have not applied."""
    policy = selectors.policy_for(request.user, pk)
    rows = selectors.policy_matches(policy, request.user)[:500]
    return Response(BenefitEnterpriseSerializer(rows, many=True).data)


@extend_schema(responses=BenefitPolicySerializer(many=True))
@api_view(["GET"])
def policies_for_me(request):
    """ "Policies you may apply for": for each of the user's enterprises (enterprise staff)."""
    found, seen = [], set()
    for enterprise in enterprises_visible_to(request.user).filter(pk__in=request.user.enterprise_ids):
        for policy in selectors.policies_for_enterprise(enterprise):
            if policy.pk not in seen:
                seen.add(policy.pk)
                found.append(policy)
    return Response(BenefitPolicySerializer(found, many=True).data)


class PolicyApplicationSerializer(serializers.ModelSerializer):
    policy_name = name_of("policy")
    enterprise_name = name_of("enterprise")
    materials = serializers.SerializerMethodField()

    class Meta:
        model = PolicyApplication
        fields = [
            "id",
            "policy",
            "policy_name",
            "enterprise",
            "enterprise_name",
            "status",
            "base_amount",
            "requested_amount",
            "amount",
            "note",
            "reason",
            "submitted_at",
            "risk_at",
            "due_at",
            "decided_at",
            "materials",
        ]

    def get_materials(self, application) -> list[dict]:
        files = {f.slot: f for f in application.files.all()}
        return [
            {"slot": i, "name": name, "uploaded": i in files, "file_id": files[i].pk if i in files else None}
            for i, name in enumerate(application.policy.materials)
        ]


class PolicyApplicationCreateSerializer(serializers.Serializer):
    policy = serializers.IntegerField()
    enterprise = serializers.IntegerField()
    base_amount = serializers.DecimalField(required=False, allow_null=True, **MONEY)
    requested_amount = serializers.DecimalField(required=False, allow_null=True, **MONEY)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ApplicationList(ListCreateThroughAction):
    """Applications the user sees (`?status=`); POST applies for a policy."""

    serializer_class = PolicyApplicationSerializer
    create_serializer_class = PolicyApplicationCreateSerializer
    parser_classes = [BoundedJSONParser]

    def get_queryset(self):
        status = query_choice(self.request, "status", ApplicationStatus.values, _("Unknown status."))
        return selectors.application_queue(self.request.user, status=status).prefetch_related("files")

    def create_from(self, values):
        user = self.request.user
        return actions.application_submit(
            actor=user,
            policy=selectors.policy_for(user, values["policy"]),
            enterprise=selectors.applying_enterprise(user, values["enterprise"]),
            base_amount=values.get("base_amount"),
            requested_amount=values.get("requested_amount"),
            note=values.get("note", ""),
        )


APPLICATION = ApiObject(selectors.application_for, "application", PolicyApplicationSerializer)
# The uploads of an application or a voucher come as multipart only.
UPLOADS = {"parsers": [MultiPartParser, FormParser], "files_only": True}


class PolicyApplicationActSerializer(serializers.Serializer):
    amount = serializers.DecimalField(required=False, **MONEY)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    paid_on = serializers.DateField(required=False)
    reference = serializers.CharField(required=False, allow_blank=True, max_length=100)
    score = serializers.IntegerField(required=False, min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


def _application_act(verb: str, *, actor, application, **values):
    return actions.case_act(
        actions.APPLICATION_VERBS, verb, actor=actor, values=values, application=application
    )


class BenefitMaterialUploadSerializer(serializers.Serializer):
    slot = serializers.IntegerField(min_value=0)
    file = serializers.FileField()


def _material_add(*, actor, application, slot, file):
    return actions.application_material_add(actor=actor, application=application, slot=slot, upload=file)


# One body for every verb of an application: the table of `actions.APPLICATION_VERBS` says which
# fields each one reads. A file for the checklist is an upload of its own.
APPLICATION_ROUTES = [
    *[
        (
            verb,
            partial(_application_act, verb),
            PolicyApplicationActSerializer,
            {"doc": f"`{verb}` the application (409 when its status does not allow it)."},
        )
        for verb in actions.APPLICATION_VERBS
    ],
    (
        "materials",
        _material_add,
        BenefitMaterialUploadSerializer,
        {
            **UPLOADS,
            "created": True,
            "operation_id": None,
            "doc": "Put a file in one slot of the policy's checklist.",
        },
    ),
]


# --- ledger -------------------------------------------------------------------------------------


class BenefitDisbursementSerializer(serializers.ModelSerializer):
    policy_name = name_of("policy")
    enterprise_name = name_of("enterprise")

    class Meta:
        model = Disbursement
        fields = [
            "id",
            "application",
            "policy",
            "policy_name",
            "enterprise",
            "enterprise_name",
            "park",
            "amount",
            "paid_on",
        ]


LEDGER_PARAMETERS = [
    OpenApiParameter("year", int, required=False),
    OpenApiParameter("policy", int, required=False),
    OpenApiParameter("park", int, required=False),
]


def _ledger(request):
    return selectors.ledger_filter(
        selectors.disbursements_visible_to(request.user),
        year=query_year(request),
        policy_id=query_int(request, "policy"),
        park_id=query_int(request, "park"),
    )


@extend_schema(parameters=LEDGER_PARAMETERS)
class LedgerList(generics.ListAPIView):
    """The disbursement ledger the user sees, filtered by year, policy, park."""

    serializer_class = BenefitDisbursementSerializer

    def get_queryset(self):
        return _ledger(self.request).order_by("-paid_on", "-id")


class BenefitLedgerTotalsSerializer(serializers.Serializer):
    total = serializers.DecimalField(max_digits=18, decimal_places=2)
    count = serializers.IntegerField()
    enterprises = serializers.IntegerField()
    by_policy = BenefitTotalRowSerializer(many=True)
    by_park = BenefitTotalRowSerializer(many=True)
    by_year = BenefitTotalRowSerializer(many=True)


@extend_schema(parameters=LEDGER_PARAMETERS, responses=BenefitLedgerTotalsSerializer)
@api_view(["GET"])
def ledger_totals(request):
    """Totals of the ledger (Decimal yuan) overall, by policy, park and year."""
    totals = selectors.ledger_totals(_ledger(request))
    data = {
        "total": totals["total"],
        "count": totals["count"],
        "enterprises": totals["enterprises"],
        "by_policy": total_rows(totals["by_policy"], "policy_id", "policy__name"),
        "by_park": total_rows(totals["by_park"], "park_id", "park__name"),
        "by_year": total_rows(totals["by_year"], "year", "year"),
    }
    return Response(BenefitLedgerTotalsSerializer(data).data)


@extend_schema(parameters=LEDGER_PARAMETERS, responses={(200, XLSX): bytes})
@api_view(["GET"])
def ledger_xlsx(request):
    """The ledger as .xlsx with its totals."""
    qs = _ledger(request)
    content = exports.ledger_workbook(qs.order_by("paid_on", "id"), selectors.ledger_totals(qs))
    return xlsx_response(content, f"benefit-ledger-{timezone.localdate()}.xlsx")


# --- vouchers -----------------------------------------------------------------------------------


class VoucherExpertReviewSerializer(serializers.ModelSerializer):
    expert = by_username()

    class Meta:
        model = VoucherReview
        fields = ["expert", "assigned_at", "score", "opinion", "reviewed_at"]


class VoucherSerializer(serializers.ModelSerializer):
    enterprise_name = name_of("enterprise")
    reviews = VoucherExpertReviewSerializer(many=True, read_only=True)

    class Meta:
        model = Voucher
        fields = [
            "id",
            "number",
            "round",
            "year",
            "enterprise",
            "enterprise_name",
            "purposes",
            "amount",
            "status",
            "applied_at",
            "issued_at",
            "expires_at",
            "claimed_amount",
            "paid_amount",
            "paid_on",
            "reason",
            "reviews",
        ]


class VoucherApplySerializer(serializers.Serializer):
    round = serializers.IntegerField()
    enterprise = serializers.IntegerField()
    purposes = serializers.ListField(
        child=serializers.ChoiceField(choices=VoucherPurpose.choices), min_length=1, max_length=3
    )
    amount = serializers.DecimalField(**MONEY)


class VoucherList(ListCreateThroughAction):
    """Vouchers the user sees (`?status=`); POST applies for one in an open round."""

    serializer_class = VoucherSerializer
    create_serializer_class = VoucherApplySerializer
    parser_classes = [BoundedJSONParser]

    def get_queryset(self):
        status = query_choice(self.request, "status", VoucherStatus.values, _("Unknown status."))
        qs = (
            selectors.vouchers_visible_to(self.request.user)
            .prefetch_related("reviews__expert")
            .order_by("-id")
        )
        return qs.filter(status=status) if status else qs

    def create_from(self, values):
        user = self.request.user
        return actions.voucher_apply(
            actor=user,
            round=input_row(selectors.voucher_rounds(), values["round"], "round", _("Not found.")),
            enterprise=input_row(
                enterprises_visible_to(user), values["enterprise"], "enterprise", _("Not found.")
            ),
            purposes=values["purposes"],
            amount=values["amount"],
        )


VOUCHER = ApiObject(selectors.voucher_for, "voucher", VoucherSerializer)


class VoucherActSerializer(serializers.Serializer):
    amount = serializers.DecimalField(required=False, **MONEY)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    experts = serializers.ListField(child=serializers.IntegerField(), required=False, max_length=20)
    score = serializers.IntegerField(required=False, min_value=0, max_value=100)
    opinion = serializers.CharField(required=False, allow_blank=True, max_length=2000)


def _voucher_act(verb: str, *, actor, voucher, **values):
    if "experts" in values:
        values["experts"] = list(User.objects.filter(pk__in=values["experts"]))
    return actions.case_act(actions.VOUCHER_VERBS, verb, actor=actor, values=values, voucher=voucher)


class VoucherRedeemSerializer(serializers.Serializer):
    claimed_amount = serializers.DecimalField(**MONEY)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    contract = serializers.ListField(child=serializers.FileField(), max_length=10)
    invoice = serializers.ListField(child=serializers.FileField(), max_length=10)
    report = serializers.ListField(child=serializers.FileField(), max_length=10)


def _redeem(*, actor, voucher, claimed_amount, note="", **files):
    return actions.voucher_redeem(
        actor=actor,
        voucher=voucher,
        claimed_amount=claimed_amount,
        note=note,
        files={kind: files.get(kind, []) for kind in REDEMPTION_KINDS},
    )


# One body for every verb of a voucher (`actions.VOUCHER_VERBS` says which fields each one reads);
# the redemption is an upload of its own.
VOUCHER_ROUTES = [
    *[
        (
            verb,
            partial(_voucher_act, verb),
            VoucherActSerializer,
            {"doc": f"`{verb}` the voucher (409 when its status does not allow it)."},
        )
        for verb in actions.VOUCHER_VERBS
        if verb != "redeem"  # files: its own body, below
    ],
    (
        "redeem",
        _redeem,
        VoucherRedeemSerializer,
        {
            **UPLOADS,
            "operation_id": None,
            "doc": "Submit the redemption: the amount claimed and the contract, invoices and report.",
        },
    ),
]


class VoucherFiguresSerializer(serializers.Serializer):
    firms = serializers.IntegerField()
    vouchers = serializers.IntegerField()
    issued = serializers.DecimalField(max_digits=18, decimal_places=2)
    paid = serializers.DecimalField(max_digits=18, decimal_places=2)
    paid_count = serializers.IntegerField()
    expired = serializers.IntegerField()
    at_risk = serializers.IntegerField()
    redemption_rate = serializers.DecimalField(max_digits=6, decimal_places=4, allow_null=True)


@extend_schema(responses=VoucherFiguresSerializer)
@api_view(["GET"])
def voucher_figures(request):
    """Firms, amounts issued and paid, redemption rate, at risk of expiring (of what the user sees)."""
    return Response(
        VoucherFiguresSerializer(selectors.voucher_figures(selectors.vouchers_visible_to(request.user))).data
    )


class VoucherRoundSerializer(serializers.ModelSerializer):
    class Meta:
        model = VoucherRound
        fields = [
            "id",
            "name",
            "year",
            "opens_on",
            "closes_on",
            "valid_until",
            "budget",
            "cap_per_enterprise",
            "reserved",
            "city_total",
        ]


class VoucherRoundCityTotalSerializer(serializers.Serializer):
    city_total = serializers.DecimalField(allow_null=True, **MONEY)


@extend_schema(request=VoucherRoundCityTotalSerializer, responses=VoucherRoundSerializer)
@api_view(["POST"])
def voucher_round_city_total(request, pk: int):
    """The city's total of vouchers issued in the round's year (administrators; null clears it):
    the zone's share of it is computed from the vouchers issued."""
    round_ = get_visible_or_404(selectors.voucher_rounds_visible_to(request.user), pk)
    values = validated(VoucherRoundCityTotalSerializer, request)
    actions.voucher_round_city_total(actor=request.user, round=round_, city_total=values["city_total"])
    return Response(VoucherRoundSerializer(round_).data)


urlpatterns = [
    path("benefit-policies/", PolicyList.as_view(), name="api-benefit-policies"),
    path("benefit-policies/for-me/", policies_for_me, name="api-benefit-policies-for-me"),
    path("benefit-policies/<int:pk>/", policy_detail, name="api-benefit-policy"),
    path("benefit-policies/<int:pk>/matches/", policy_matches, name="api-benefit-policy-matches"),
    path("policy-applications/", ApplicationList.as_view(), name="api-policy-applications"),
    *object_routes(
        "policy-applications", "policy-application", APPLICATION, APPLICATION_ROUTES, operation="application"
    ),
    path("benefit-ledger/", LedgerList.as_view(), name="api-benefit-ledger"),
    path("benefit-ledger/totals/", ledger_totals, name="api-benefit-ledger-totals"),
    path("benefit-ledger.xlsx", ledger_xlsx, name="api-benefit-ledger-xlsx"),
    path("vouchers/", VoucherList.as_view(), name="api-vouchers"),
    path("vouchers/figures/", voucher_figures, name="api-voucher-figures"),
    path(
        "voucher-rounds/<int:pk>/city-total/", voucher_round_city_total, name="api-voucher-round-city-total"
    ),
    *object_routes("vouchers", "voucher", VOUCHER, VOUCHER_ROUTES, operation="voucher"),
    *financing_api.urlpatterns,
]
