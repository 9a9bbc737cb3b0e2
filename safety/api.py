"""`/api/v1/safety/…`: campaigns, inspections, hazards and their files.

Views parse, fetch through the `*_for(user, pk)` selectors (404 for missing and not yours alike),
call one action and answer with the detail serializer; the actions' refusals become the one error
shape (400 / 403 / 409).
"""

from django.urls import path, reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.decorators import api_view
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from zone_portal.api.creating import ListCreateThroughAction
from zone_portal.api.inputs import input_row
from zone_portal.api.parsers import BoundedJSONParser
from zone_portal.api.serializers import UserBriefSerializer, label_of, name_of
from zone_portal.api.verbs import ApiObject, object_detail, object_routes
from zone_portal.errors import InvalidInput, PermissionDeniedError
from zone_portal.events.serializers import TimelineField
from zone_portal.uploads import file_download

from . import actions, permissions, selectors
from .models import (
    Campaign,
    ChecklistItem,
    ChecklistPoint,
    CheckResult,
    Hazard,
    HazardStatus,
    Inspection,
    InspectionStatus,
    SafetyFile,
    Severity,
)

MULTIPART = [BoundedJSONParser, MultiPartParser, FormParser]


class SafetyFileSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = SafetyFile
        fields = ["id", "purpose", "name", "content_type", "uploaded_at", "url"]

    def get_url(self, obj) -> str:
        return reverse("api-safety-file", args=[obj.pk])


class CampaignSerializer(serializers.ModelSerializer):
    done = serializers.IntegerField(read_only=True)
    planned = serializers.IntegerField(read_only=True)
    hazards_found = serializers.IntegerField(read_only=True)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "starts_on",
            "ends_on",
            "target_count",
            "description",
            "done",
            "planned",
            "hazards_found",
            "progress",
        ]

    def get_progress(self, campaign) -> float | None:
        """Recorded inspections ÷ target, in [0, 1] (more than the target shows as 1)."""
        done = getattr(campaign, "done", None)
        return None if done is None else min(1.0, done / campaign.target_count)


class ChecklistItemSerializer(serializers.ModelSerializer):
    point_label = label_of("point")

    class Meta:
        model = ChecklistItem
        fields = ["point", "point_label", "result", "note"]


class HazardListSerializer(serializers.ModelSerializer):
    enterprise_name = name_of("enterprise")
    lateness = serializers.SerializerMethodField()

    class Meta:
        model = Hazard
        fields = [
            "id",
            "inspection",
            "enterprise",
            "enterprise_name",
            "severity",
            "description",
            "status",
            "found_at",
            "due_at",
            "deadline_round",
            "lateness",
            "reported_at",
            "closed_at",
            "exposed_at",
        ]

    def get_lateness(self, hazard) -> str:
        return hazard.lateness


class HazardDetailSerializer(HazardListSerializer):
    files = SafetyFileSerializer(many=True, read_only=True)
    events = TimelineField()

    class Meta(HazardListSerializer.Meta):
        fields = [
            *HazardListSerializer.Meta.fields,
            "plan",
            "plan_submitted_at",
            "fix_report",
            "reinspected_at",
            "reinspection_note",
            "exposure_note",
            "files",
            "events",
        ]


class InspectionListSerializer(serializers.ModelSerializer):
    enterprise_name = name_of("enterprise")
    inspector = UserBriefSerializer(read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "campaign",
            "unannounced",
            "status",
            "planned_on",
            "inspected_at",
            "inspector",
        ]


class InspectionDetailSerializer(InspectionListSerializer):
    checklist = ChecklistItemSerializer(many=True, read_only=True)
    hazards = HazardListSerializer(many=True, read_only=True)
    files = serializers.SerializerMethodField()
    events = TimelineField()

    class Meta(InspectionListSerializer.Meta):
        fields = [
            *InspectionListSerializer.Meta.fields,
            "findings",
            "checklist",
            "hazards",
            "files",
            "events",
        ]

    def get_files(self, inspection) -> list[dict]:
        return SafetyFileSerializer(inspection.files.filter(hazard=None), many=True).data


def _hazard_detail(request, pk, status=200):
    return Response(HazardDetailSerializer(selectors.hazard_for(request.user, pk)).data, status=status)


# --- campaigns ------------------------------------------------------------------------------------


class SafetyListCreate(ListCreateThroughAction):
    """Only those who inspect create campaigns and inspections, refused before the input is read;
    the 201 is the new row as its detail shows it."""

    def check_may_create(self):
        if not permissions.can_inspect(self.request.user):
            raise PermissionDeniedError()


class CampaignList(SafetyListCreate):
    """Campaigns with their progress (recorded inspections against the target)."""

    serializer_class = CampaignSerializer
    create_serializer_class = CampaignSerializer

    def get_queryset(self):
        return selectors.campaign_progress(selectors.campaigns_visible_to(self.request.user)).order_by(
            "-starts_on", "-id"
        )

    def create_from(self, values):
        description = values.pop("description", "")
        campaign = actions.campaign_create(actor=self.request.user, description=description, **values)
        return selectors.campaign_for(self.request.user, campaign.pk)


campaign_detail = object_detail(
    name="campaign_detail", fetch=selectors.campaign_for, answers=CampaignSerializer
)


# --- inspections ----------------------------------------------------------------------------------


class InspectionPlanSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(min_value=1)
    planned_on = serializers.DateField()
    unannounced = serializers.BooleanField(default=False)
    campaign = serializers.IntegerField(min_value=1, required=False, allow_null=True)


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter("status", enum=InspectionStatus.values),
            OpenApiParameter("campaign", int),
            OpenApiParameter("enterprise", int),
        ]
    )
)
class InspectionList(SafetyListCreate):
    """Inspections the user may see (an enterprise sees an unannounced one once recorded);
    POST plans one (the bureau's officers, leaders, administrators)."""

    serializer_class = InspectionListSerializer
    create_serializer_class = InspectionPlanSerializer
    created_serializer_class = InspectionDetailSerializer

    def get_queryset(self):
        qs = selectors.inspections_visible_to(self.request.user).select_related("enterprise", "inspector")
        params = self.request.query_params
        if params.get("status") in InspectionStatus.values:
            qs = qs.filter(status=params["status"])
        for name in ("campaign", "enterprise"):
            if params.get(name):
                if not params[name].isdigit():
                    raise InvalidInput(fields={name: [_("A whole number is required.")]})
                qs = qs.filter(**{f"{name}_id": int(params[name])})
        return qs.order_by("-planned_on", "-id")

    def create_from(self, values):
        user = self.request.user
        enterprise = input_row(
            selectors.enterprises_inspectable(),
            values["enterprise"],
            "enterprise",
            _("No such active enterprise."),
        )
        campaign = selectors.campaign_for(user, values["campaign"]) if values.get("campaign") else None
        inspection = actions.inspection_plan(
            actor=user,
            enterprise=enterprise,
            planned_on=values["planned_on"],
            unannounced=values["unannounced"],
            campaign=campaign,
        )
        return selectors.inspection_for(user, inspection.pk)


INSPECTION = ApiObject(selectors.inspection_for, "inspection", InspectionDetailSerializer)


class SafetyCheckSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=CheckResult.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class InspectionRecordSerializer(serializers.Serializer):
    checklist = serializers.DictField(
        child=SafetyCheckSerializer(), help_text=", ".join(ChecklistPoint.values)
    )
    findings = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class SafetyReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class SafetyPhotosSerializer(serializers.Serializer):
    photos = serializers.ListField(child=serializers.FileField(), min_length=1, max_length=20)


class SafetyHazardAddSerializer(serializers.Serializer):
    severity = serializers.ChoiceField(choices=Severity.choices)
    description = serializers.CharField(max_length=5000)
    photos = serializers.ListField(child=serializers.FileField(), required=False, max_length=20, default=list)


# --- hazards --------------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter("status", enum=HazardStatus.values),
            OpenApiParameter("severity", enum=Severity.values),
            OpenApiParameter("open", bool),
            OpenApiParameter("exposed", bool),
        ]
    )
)
class HazardList(generics.ListAPIView):
    """Hazards the user may see; `open=1` the unclosed ones, `exposed=1` the exposure list."""

    serializer_class = HazardListSerializer

    def get_queryset(self):
        qs = selectors.hazards_visible_to(self.request.user).select_related("enterprise")
        params = self.request.query_params
        if params.get("status") in HazardStatus.values:
            qs = qs.filter(status=params["status"])
        if params.get("severity") in Severity.values:
            qs = qs.filter(severity=params["severity"])
        if params.get("open") in ("1", "true"):
            qs = qs.exclude(status=HazardStatus.CLOSED)
        if params.get("exposed") in ("1", "true"):
            qs = qs.filter(exposed_at__isnull=False)
        return qs.order_by("due_at", "id")


HAZARD = ApiObject(selectors.hazard_for, "hazard", HazardDetailSerializer)


class SafetyPlanSerializer(serializers.Serializer):
    plan = serializers.CharField(max_length=5000)
    files = serializers.ListField(child=serializers.FileField(), required=False, max_length=20, default=list)


class SafetyReportSerializer(serializers.Serializer):
    report = serializers.CharField(max_length=5000)
    evidence = serializers.ListField(child=serializers.FileField(), min_length=1, max_length=20)


class SafetyReinspectSerializer(serializers.Serializer):
    fixed = serializers.BooleanField()
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    photos = serializers.ListField(child=serializers.FileField(), required=False, max_length=20, default=list)


class SafetyExposeSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


# The verbs on one inspection or hazard: (verb, action, body, options), answered with its detail.
# Uploads come as multipart; a verb whose body is only files documents it as such.
UPLOADS = {"parsers": MULTIPART, "files_only": True}
INSPECTION_VERBS = [
    (
        "record",
        actions.inspection_record,
        InspectionRecordSerializer,
        {"doc": "Record the inspection: every checklist point pass or fail (with a note), the findings."},
    ),
    ("cancel", actions.inspection_cancel, SafetyReasonSerializer),
    ("photos", actions.inspection_add_photos, SafetyPhotosSerializer, UPLOADS),
    (
        "hazards",
        actions.hazard_add,
        SafetyHazardAddSerializer,
        {
            "answer": lambda request, pk, hazard: _hazard_detail(request, hazard.pk, status=201),
            "answers": HazardDetailSerializer,
            "created": True,
            "parsers": MULTIPART,
            "doc": "A hazard this (recorded) inspection found; its deadline follows from its severity.",
        },
    ),
]
HAZARD_VERBS = [
    (
        "plan",
        actions.hazard_plan_submit,
        SafetyPlanSerializer,
        {**UPLOADS, "doc": "The enterprise's rectification plan (required for a major hazard)."},
    ),
    (
        "report",
        actions.hazard_report_fix,
        SafetyReportSerializer,
        {**UPLOADS, "doc": "The enterprise reports its fix with evidence."},
    ),
    (
        "reinspect",
        actions.hazard_reinspect,
        SafetyReinspectSerializer,
        {
            "parsers": MULTIPART,
            "doc": "The re-inspection: `fixed` closes it, otherwise it reopens with a new deadline "
            "(a note says why).",
        },
    ),
    (
        "expose",
        actions.hazard_expose,
        SafetyExposeSerializer,
        {"doc": "Put the hazard on the internal exposure list (问题隐患曝光)."},
    ),
]


@extend_schema(responses={(200, "application/octet-stream"): bytes})
@api_view(["GET"])
def safety_file(request, pk: int):
    """A photo, plan or evidence file (only through its inspection's scoping)."""
    obj = selectors.file_for(request.user, pk)
    return file_download(obj.file, content_type=obj.content_type, label=obj.purpose, pk=obj.pk)


urlpatterns = [
    path("safety/campaigns/", CampaignList.as_view(), name="api-safety-campaigns"),
    path("safety/campaigns/<int:pk>/", campaign_detail, name="api-safety-campaign"),
    path("safety/inspections/", InspectionList.as_view(), name="api-safety-inspections"),
    path("safety/hazards/", HazardList.as_view(), name="api-safety-hazards"),
    *object_routes(
        "safety/inspections", "safety-inspection", INSPECTION, INSPECTION_VERBS, operation_id=None
    ),
    *object_routes("safety/hazards", "safety-hazard", HAZARD, HAZARD_VERBS, operation_id=None),
    path("safety/files/<int:pk>/", safety_file, name="api-safety-file"),
]
