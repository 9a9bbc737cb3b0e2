"""`/api/v1/` routes of the enterprises app: parse → check → one action → respond."""

from django.db import transaction
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from zone_portal.accounts.models import User
from zone_portal.accounts.roles import Role
from zone_portal.api.inputs import validated
from zone_portal.api.permissions import HasRole
from zone_portal.api.serializers import UserBriefSerializer, by_username, name_of
from zone_portal.errors import InvalidInput, PermissionDeniedError
from zone_portal.events.serializers import TimelineField

from . import actions, permissions
from .filters import EnterpriseFilter
from .models import QUALIFICATION_FIELDS, REGISTER_FIELDS, CsoAssignment, Enterprise, Visit
from .selectors import (
    enterprise_cso_history,
    enterprise_current_cso,
    enterprise_visits,
    enterprises_visible_to,
    enterprises_with_cso,
    officer_workload,
)
from .uscc import uscc_validate


class EnterpriseSerializer(serializers.ModelSerializer):
    park_name = name_of("park")
    qualifications = serializers.SerializerMethodField()
    cso = serializers.SerializerMethodField()

    class Meta:
        model = Enterprise
        fields = [
            "id",
            *REGISTER_FIELDS,
            "park_name",
            "status",
            *QUALIFICATION_FIELDS,
            "qualifications",
            "cso",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_qualifications(self, enterprise) -> list[str]:
        return enterprise.qualification_codes()

    @extend_schema(responses=UserBriefSerializer(allow_null=True))
    def get_cso(self, enterprise) -> dict | None:
        assignments = getattr(enterprise, "active_cso_assignments", None)
        officer = assignments[0].officer if assignments else None
        if assignments is None:
            officer = enterprise_current_cso(enterprise)
        return UserBriefSerializer(officer).data if officer else None


class EnterpriseDetailSerializer(EnterpriseSerializer):
    events = TimelineField()

    class Meta(EnterpriseSerializer.Meta):
        fields = [*EnterpriseSerializer.Meta.fields, "events"]
        read_only_fields = fields


def _cso_queryset():
    return User.objects.filter(role_grants__role=Role.CSO, is_active=True)


class EnterpriseWriteSerializer(serializers.ModelSerializer):
    cso = serializers.PrimaryKeyRelatedField(
        queryset=_cso_queryset(),
        required=False,
        write_only=True,
        help_text=_("Initial officer (create only)."),
    )

    class Meta:
        model = Enterprise
        fields = [*REGISTER_FIELDS, *QUALIFICATION_FIELDS, "cso"]

    def validate_uscc(self, value):
        return uscc_validate(value)


class CsoAssignmentSerializer(serializers.ModelSerializer):
    officer = UserBriefSerializer(read_only=True)
    assigned_by = by_username(allow_null=True)

    class Meta:
        model = CsoAssignment
        fields = ["officer", "started_at", "ended_at", "reason", "assigned_by"]


class AssignCsoSerializer(serializers.Serializer):
    officer = serializers.PrimaryKeyRelatedField(queryset=_cso_queryset())
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class VisitSerializer(serializers.ModelSerializer):
    officer = UserBriefSerializer(read_only=True)

    class Meta:
        model = Visit
        fields = ["id", "enterprise", "officer", "visited_on", "participants", "findings", "created_at"]
        read_only_fields = ["id", "enterprise", "officer", "created_at"]


class EnterpriseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The register. Enterprise staff see only their own enterprises (others answer 404)."""

    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return enterprises_with_cso(enterprises_visible_to(self.request.user))

    def get_serializer_class(self):
        return EnterpriseDetailSerializer if self.action == "retrieve" else EnterpriseSerializer

    def _detail(self, enterprise, status_code=status.HTTP_200_OK):
        enterprise = self.get_queryset().get(pk=enterprise.pk)
        return Response(EnterpriseDetailSerializer(enterprise).data, status=status_code)

    @extend_schema(request=EnterpriseWriteSerializer, responses={201: EnterpriseDetailSerializer})
    def create(self, request):
        if not permissions.can_edit_register(request.user):
            raise PermissionDeniedError()
        data = validated(EnterpriseWriteSerializer, request)
        officer = data.pop("cso", None)
        with transaction.atomic():
            enterprise = actions.enterprise_create(actor=request.user, data=data)
            if officer is not None:
                actions.cso_assign(actor=request.user, enterprise=enterprise, officer=officer, reason="")
        return self._detail(enterprise, status.HTTP_201_CREATED)

    @extend_schema(request=EnterpriseWriteSerializer, responses=EnterpriseDetailSerializer)
    def partial_update(self, request, pk=None):
        enterprise = self.get_object()
        if "cso" in request.data:
            raise InvalidInput(fields={"cso": [_("Use assign-cso to change the officer.")]})
        changes = validated(EnterpriseWriteSerializer, request, instance=enterprise, partial=True)
        actions.enterprise_update(actor=request.user, enterprise=enterprise, changes=changes)
        return self._detail(enterprise)

    @extend_schema(request=AssignCsoSerializer, responses=EnterpriseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="assign-cso")
    def assign_cso(self, request, pk=None):
        """Hand the enterprise over to another chief service officer (the reason is kept)."""
        enterprise = self.get_object()
        actions.cso_assign(
            actor=request.user, enterprise=enterprise, **validated(AssignCsoSerializer, request)
        )
        return self._detail(enterprise)

    @extend_schema(responses=CsoAssignmentSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="cso-history")
    def cso_history(self, request, pk=None):
        """Every officer the enterprise had: `ended_at` is null for the active one."""
        page = self.paginate_queryset(enterprise_cso_history(self.get_object()))
        return self.get_paginated_response(CsoAssignmentSerializer(page, many=True).data)

    @extend_schema(methods=["GET"], responses=VisitSerializer(many=True))
    @extend_schema(methods=["POST"], request=VisitSerializer, responses={201: VisitSerializer})
    @action(detail=True, methods=["get", "post"], url_path="visits")
    def visits(self, request, pk=None):
        enterprise = self.get_object()
        if request.method == "POST":
            actions.visit_check_may_log(actor=request.user, enterprise=enterprise)  # 403 before 400
            visit = actions.visit_log(
                actor=request.user, enterprise=enterprise, **validated(VisitSerializer, request)
            )
            return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(enterprise_visits(enterprise))
        return self.get_paginated_response(VisitSerializer(page, many=True).data)


class WorkloadOfficerSerializer(UserBriefSerializer):
    active_enterprises = serializers.IntegerField()

    class Meta(UserBriefSerializer.Meta):
        fields = [*UserBriefSerializer.Meta.fields, "active_enterprises"]


class WorkloadSerializer(serializers.Serializer):
    without_officer = serializers.IntegerField()
    officers = WorkloadOfficerSerializer(many=True)


@extend_schema(responses=WorkloadSerializer)
@api_view(["GET"])
@permission_classes([HasRole(*permissions.DIRECTORY_ROLES)])
def cso_workload(request):
    """Active enterprises per chief service officer, and how many active enterprises have none."""
    return Response(WorkloadSerializer(officer_workload()).data)


router = DefaultRouter()
router.include_root_view = False
router.register("enterprises", EnterpriseViewSet, basename="enterprise")

urlpatterns = [*router.urls, path("cso-workload/", cso_workload, name="cso-workload")]
