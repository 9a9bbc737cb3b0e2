"""`/api/v1/projects/…`: key projects, their milestones, ledger, supervision cycles, ranking, exports.

Views parse, fetch through `projects_visible_to` (404 for missing and not yours alike), call one
action, and answer with the detail serializer.
"""

import django_filters
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.decorators import api_view
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from enterprises.models import Enterprise
from zone_portal.accounts.models import User
from zone_portal.api.creating import ListCreateThroughAction
from zone_portal.api.inputs import validated
from zone_portal.api.parsers import BoundedJSONParser
from zone_portal.api.serializers import UserBriefSerializer, by_username, label_of, name_of
from zone_portal.api.verbs import object_verb
from zone_portal.events.serializers import TimelineField
from zone_portal.org.models import Park
from zone_portal.uploads import file_download
from zone_portal.xlsx import XLSX, xlsx_response

from . import actions, exports, selectors
from .models import SCORE_FIELDS, LedgerEntry, Milestone, Project, SiteObservation, Stage, Supervision


class ProjectListSerializer(serializers.ModelSerializer):
    enterprise_name = name_of("enterprise")
    park_name = name_of("park")
    leader_name = serializers.SerializerMethodField()
    team = serializers.SerializerMethodField()
    stage_label = label_of("stage")
    is_delayed = serializers.BooleanField(read_only=True)
    health = serializers.SerializerMethodField()
    invested = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True)
    progress = serializers.IntegerField(read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "enterprise",
            "enterprise_name",
            "park",
            "park_name",
            "leader",
            "leader_name",
            "team",
            "industry",
            "total_investment",
            "target_date",
            "stage",
            "stage_label",
            "is_delayed",
            "health",
            "invested",
            "progress",
        ]

    def get_leader_name(self, project) -> str:
        return str(project.leader or "")

    def get_team(self, project) -> list[int]:
        return project.team_ids

    def get_health(self, project) -> str:
        return selectors.project_health(project)


class ProjectDetailSerializer(ProjectListSerializer):
    team_members = serializers.SerializerMethodField()
    allowed_stages = serializers.SerializerMethodField()
    suspended_from = serializers.CharField(read_only=True)
    events = TimelineField()

    class Meta(ProjectListSerializer.Meta):
        fields = [
            *ProjectListSerializer.Meta.fields,
            "content",
            "goal",
            "team_members",
            "stage_changed_on",
            "construction_started_on",
            "suspended_from",
            "allowed_stages",
            "events",
        ]

    def get_team_members(self, project) -> dict:
        return {
            "investment": UserBriefSerializer(project.investment_member).data
            if project.investment_member
            else None,
            "enterprise_service": UserBriefSerializer(project.service_member).data
            if project.service_member
            else None,
            "platform": UserBriefSerializer(project.platform_member).data
            if project.platform_member
            else None,
        }

    def get_allowed_stages(self, project) -> list[str]:
        return project.allowed_stages()


class ProjectWriteSerializer(serializers.Serializer):
    """Every field optional here: the action answers one 400 naming all missing parts of the six ones."""

    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.all(), required=False, allow_null=True
    )
    park = serializers.PrimaryKeyRelatedField(queryset=Park.objects.all(), required=False, allow_null=True)
    industry = serializers.CharField(max_length=100, required=False, allow_blank=True)
    content = serializers.CharField(required=False, allow_blank=True)
    total_investment = serializers.DecimalField(
        max_digits=16, decimal_places=2, required=False, allow_null=True, min_value=0
    )
    leader = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)
    team = serializers.ListField(
        child=serializers.PrimaryKeyRelatedField(queryset=User.objects.all()), required=False, max_length=3
    )
    goal = serializers.CharField(required=False, allow_blank=True)
    target_date = serializers.DateField(required=False, allow_null=True)
    stage = serializers.ChoiceField(choices=Stage.choices, required=False)
    stage_date = serializers.DateField(required=False, allow_null=True)


class ProjectFilter(django_filters.FilterSet):
    park = django_filters.NumberFilter(field_name="park_id")
    leader = django_filters.NumberFilter(field_name="leader_id")
    enterprise = django_filters.NumberFilter(field_name="enterprise_id")
    stage = django_filters.ChoiceFilter(choices=Stage.choices)
    delayed = django_filters.BooleanFilter(field_name="is_delayed")

    class Meta:
        model = Project
        fields = ["park", "leader", "enterprise", "stage", "delayed"]


def _project_for(user, pk: int) -> Project:
    """The project as its detail shows it (stage and delays computed), 404 when not the user's."""
    return selectors.project_for(user, pk, with_status=True)


def _detail(request, pk) -> Response:
    return Response(ProjectDetailSerializer(_project_for(request.user, pk)).data)


class ProjectListCreate(ListCreateThroughAction):
    """Key projects visible to you, with `stage` and `is_delayed`; administrators create them."""

    serializer_class = ProjectListSerializer
    create_serializer_class = ProjectWriteSerializer
    created_serializer_class = ProjectDetailSerializer
    filterset_class = ProjectFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator needs no database
            return Project.objects.none()
        return selectors.projects_with_status(selectors.projects_visible_to(self.request.user))

    def create_from(self, values):
        project = actions.project_create(
            actor=self.request.user,
            **{k: values.get(k) for k in actions.PROJECT_FIELDS},
            team=values.get("team") or [],
            stage=values.get("stage") or Stage.NEGOTIATING,
            stage_date=values.get("stage_date"),
        )
        return _project_for(self.request.user, project.pk)


class ProjectDetail(generics.GenericAPIView):
    serializer_class = ProjectDetailSerializer

    def get(self, request, pk: int):
        return _detail(request, pk)

    @extend_schema(request=ProjectWriteSerializer, responses=ProjectDetailSerializer)
    def patch(self, request, pk: int):
        project = _project_for(request.user, pk)
        changes = validated(ProjectWriteSerializer, request, partial=True)
        actions.project_update(actor=request.user, project=project, **changes)
        return _detail(request, pk)


class StageChangeSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    date = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


def _stage_change(*, actor, project, stage, reason, date=None):
    return actions.project_change_stage(
        actor=actor, project=project, to_stage=stage, on_date=date, reason=reason
    )


project_stage = object_verb(
    name="project_stage",
    fetch=_project_for,
    action=_stage_change,
    body=StageChangeSerializer,
    argument="project",
    answers=ProjectDetailSerializer,
    doc="Move the project to another stage (its leader or an administrator).",
)


# --- nested lists -------------------------------------------------------------------------------


class MilestoneSerializer(serializers.ModelSerializer):
    is_delayed = serializers.SerializerMethodField()
    reason = serializers.CharField(write_only=True, required=False, allow_blank=True, default="")

    class Meta:
        model = Milestone
        fields = ["id", "name", "planned_date", "actual_date", "note", "is_delayed", "reason"]

    def get_is_delayed(self, milestone) -> bool:
        return milestone.is_delayed_on(timezone.localdate())


class LedgerEntrySerializer(serializers.ModelSerializer):
    cumulative = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True)
    recorded_by = by_username(allow_null=True)
    photos = serializers.SerializerMethodField()
    upload = serializers.ListField(
        child=serializers.FileField(), write_only=True, required=False, source="photo_files"
    )

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "entry_date",
            "investment_completed",
            "cumulative",
            "progress_percent",
            "problems",
            "note",
            "recorded_by",
            "photos",
            "upload",
        ]

    def get_photos(self, entry) -> list[str]:
        """Download links through the project's scoping (MEDIA is not served publicly)."""
        return [
            reverse("api-project-photo", args=[entry.project_id, photo.pk]) for photo in entry.photos.all()
        ]


class SupervisionSerializer(serializers.ModelSerializer):
    supervisor = by_username()

    class Meta:
        model = Supervision
        fields = ["id", "supervised_on", "week_start", "supervisor", "findings", "problems"]
        read_only_fields = ["week_start"]


class ObservationSerializer(serializers.ModelSerializer):
    observer = by_username()
    total_score = serializers.IntegerField(read_only=True)

    class Meta:
        model = SiteObservation
        fields = ["id", "month", "observed_on", "observer", *SCORE_FIELDS, "total_score", "remarks"]
        read_only_fields = ["month"]


class NestedList(ListCreateThroughAction):
    """A list under one visible project; POST adds to it through the project's action for that list."""

    def project(self) -> Project:
        if not hasattr(self, "_project_obj"):
            self._project_obj = selectors.project_for(self.request.user, self.kwargs["pk"])
        return self._project_obj

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no project
            return self.serializer_class.Meta.model.objects.none()
        return self.scoped(self.project())

    def check_may_create(self):
        self.project()  # 404 before anything is said about the input


class MilestoneList(NestedList):
    serializer_class = MilestoneSerializer
    create_serializer_class = MilestoneSerializer

    def scoped(self, project):
        return Milestone.objects.filter(project=project)

    def create_from(self, values):
        values.pop("reason", None)
        return actions.milestone_add(actor=self.request.user, project=self.project(), **values)


class LedgerList(NestedList):
    serializer_class = LedgerEntrySerializer
    create_serializer_class = LedgerEntrySerializer
    parser_classes = [BoundedJSONParser, MultiPartParser, FormParser]

    def scoped(self, project):
        return (
            LedgerEntry.objects.filter(project=project)
            .select_related("recorded_by")
            .prefetch_related("photos")
            .annotate(cumulative=selectors.ledger_cumulative_window())
            .order_by("entry_date", "id")
        )

    def create_from(self, values):
        photos = values.pop("photo_files", [])
        entry = actions.ledger_entry_add(
            actor=self.request.user, project=self.project(), photos=photos, **values
        )
        return selectors.ledger_entry_with_cumulative(entry.pk)  # answered with its running total


class SupervisionList(NestedList):
    serializer_class = SupervisionSerializer
    create_serializer_class = SupervisionSerializer

    def scoped(self, project):
        return Supervision.objects.filter(project=project).select_related("supervisor")

    def create_from(self, values):
        return actions.supervision_record(actor=self.request.user, project=self.project(), **values)


class ObservationList(NestedList):
    serializer_class = ObservationSerializer
    create_serializer_class = ObservationSerializer

    def scoped(self, project):
        return SiteObservation.objects.filter(project=project).select_related("observer")

    def create_from(self, values):
        scores = {f: values.pop(f) for f in SCORE_FIELDS}
        return actions.observation_record(
            actor=self.request.user, project=self.project(), scores=scores, **values
        )


@extend_schema(request=MilestoneSerializer, responses=MilestoneSerializer)
@api_view(["PATCH"])
def milestone_detail(request, pk: int, milestone_id: int):
    """Record the actual date of a milestone, or re-plan it (with a `reason`)."""
    project = selectors.project_for(request.user, pk)
    milestone = get_object_or_404(Milestone.objects.filter(project=project), pk=milestone_id)
    values = validated(MilestoneSerializer, request, instance=milestone, partial=True)
    milestone = actions.milestone_update(
        actor=request.user,
        milestone=milestone,
        actual_date=values.get("actual_date"),
        planned_date=values.get("planned_date"),
        note=values.get("note"),
        reason=values.get("reason", ""),
    )
    return Response(MilestoneSerializer(milestone).data)


# --- ranking and exports ------------------------------------------------------------------------


class RankingPartsSerializer(serializers.Serializer):
    observation = serializers.DecimalField(max_digits=6, decimal_places=2)
    milestones = serializers.DecimalField(max_digits=6, decimal_places=2)
    investment = serializers.DecimalField(max_digits=6, decimal_places=2)
    supervision = serializers.DecimalField(max_digits=6, decimal_places=2)


class ProjectRankSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    project = serializers.IntegerField(source="project.pk")
    name = serializers.CharField()
    park = serializers.CharField(source="park.name")
    score = serializers.DecimalField(max_digits=6, decimal_places=2)
    parts = RankingPartsSerializer()


class ParkRankSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    park = serializers.IntegerField(source="park.pk")
    name = serializers.CharField()
    projects = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=6, decimal_places=2)


class RankingSerializer(serializers.Serializer):
    quarter = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    formula = serializers.CharField()
    projects = ProjectRankSerializer(many=True)
    parks = ParkRankSerializer(many=True)


RANKING_FORMULA = _(
    "score = 0.4 × observation + 0.3 × milestones on time + 0.2 × investment + 0.1 × supervision"
)


@extend_schema(
    parameters=[OpenApiParameter("quarter", str, description="e.g. 2026Q4; the current quarter if absent")],
    responses=RankingSerializer,
)
@api_view(["GET"])
def ranking(request):
    """The quarterly evaluation (季评比): projects and parks ranked by the formula in `formula`."""
    result = selectors.projects_ranking(request.user, quarter=request.query_params.get("quarter"))
    return Response(RankingSerializer({**result, "formula": str(RANKING_FORMULA)}).data)


def ledger_photo_response(user, pk: int, photo_id: int) -> FileResponse:
    """The photo, to a user who may see its project (404 otherwise, as for a missing file)."""
    photo = selectors.ledger_photo_for(user, pk, photo_id)
    return file_download(photo.file, content_type=photo.content_type, label="photo", pk=photo.pk)


@extend_schema(responses={(200, "image/*"): bytes})
@api_view(["GET"])
def ledger_photo(request, pk: int, photo_id: int):
    """One ledger photo (only through this check of the viewer's rights)."""
    return ledger_photo_response(request.user, pk, photo_id)


@extend_schema(responses={(200, XLSX): bytes})
@api_view(["GET"])
def ledger_xlsx(request, pk: int):
    """One project's ledger as .xlsx (amounts in 万元, cumulative column and total row)."""
    project = selectors.project_for(request.user, pk)
    content = exports.ledger_workbook(project, selectors.ledger_with_cumulative(project))
    return xlsx_response(content, f"project-{project.pk}-ledger.xlsx")


@extend_schema(responses={(200, XLSX): bytes})
@api_view(["GET"])
def summary_xlsx(request):
    """All visible projects' summary as .xlsx, with totals."""
    today = timezone.localdate()
    projects = selectors.projects_with_status(selectors.projects_visible_to(request.user), today=today)
    return xlsx_response(exports.summary_workbook(projects, today=today), f"key-projects-{today}.xlsx")


urlpatterns = [
    path("projects/", ProjectListCreate.as_view(), name="api-projects"),
    path("projects/ranking/", ranking, name="api-projects-ranking"),
    path("projects/summary.xlsx", summary_xlsx, name="api-projects-summary-xlsx"),
    path("projects/<int:pk>/", ProjectDetail.as_view(), name="api-project"),
    path("projects/<int:pk>/stage/", project_stage, name="api-project-stage"),
    path("projects/<int:pk>/milestones/", MilestoneList.as_view(), name="api-project-milestones"),
    path("projects/<int:pk>/milestones/<int:milestone_id>/", milestone_detail, name="api-project-milestone"),
    path("projects/<int:pk>/ledger/", LedgerList.as_view(), name="api-project-ledger"),
    path("projects/<int:pk>/ledger.xlsx", ledger_xlsx, name="api-project-ledger-xlsx"),
    path("projects/<int:pk>/photos/<int:photo_id>/", ledger_photo, name="api-project-photo"),
    path("projects/<int:pk>/supervisions/", SupervisionList.as_view(), name="api-project-supervisions"),
    path("projects/<int:pk>/observations/", ObservationList.as_view(), name="api-project-observations"),
]
