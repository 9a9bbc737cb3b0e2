"""`/api/v1/` routes of the services app: catalog, requests and their actions, materials,
appointments, ratings and rectifications. Views parse, scope (404 for "not yours"), call one
action and answer with the detail serializer."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.decorators import api_view, parser_classes
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from enterprises.selectors import enterprises_visible_to
from zone_portal.accounts.models import User
from zone_portal.api.creating import ListCreateThroughAction
from zone_portal.api.inputs import input_row
from zone_portal.api.params import query_choice
from zone_portal.api.parsers import BoundedJSONParser
from zone_portal.api.serializers import LocalTimeField, UserBriefSerializer, by_code, by_username, name_of
from zone_portal.api.verbs import ApiObject, object_routes, object_verb
from zone_portal.cases.checklist import checklist_asked, slot_uploads_by_field
from zone_portal.dates import parse_date_in_range
from zone_portal.errors import InvalidInput
from zone_portal.events.serializers import TimelineField
from zone_portal.ratings import actions as rating_actions
from zone_portal.ratings import selectors as rating_selectors
from zone_portal.ratings.models import FixScore, Rating, Rectification, Score
from zone_portal.uploads import file_download

from . import actions, selectors
from .filters import RectificationFilter, ServiceRequestFilter
from .models import (
    Appointment,
    AppointmentSlot,
    Material,
    ServiceItem,
    ServiceRequest,
)

# -- serializers -----------------------------------------------------------------------------------


class ServiceItemSerializer(serializers.ModelSerializer):
    department = by_code()
    department_name = name_of("department")
    limit_label = serializers.CharField(read_only=True)
    components = by_code(many=True)

    class Meta:
        model = ServiceItem
        fields = [
            "code",
            "name",
            "department",
            "department_name",
            "limit_amount",
            "limit_unit",
            "limit_label",
            "materials",
            "fee",
            "agency_offered",
            "components",
            "description",
        ]


class ServiceRequestSerializer(serializers.ModelSerializer):
    service = by_code()
    service_name = name_of("service")
    department = by_code()
    enterprise_name = name_of("enterprise", allow_null=True, default=None)
    assignee = UserBriefSerializer(read_only=True, allow_null=True)
    agent = UserBriefSerializer(read_only=True, allow_null=True)
    agency = serializers.BooleanField(source="is_agency", read_only=True)
    sla_state = serializers.SerializerMethodField()
    parent = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)

    class Meta:
        model = ServiceRequest
        fields = [
            "id",
            "number",
            "service",
            "service_name",
            "department",
            "status",
            "sla_state",
            "enterprise",
            "enterprise_name",
            "applicant_name",
            "assignee",
            "agent",
            "agency",
            "is_bundle",
            "parent",
            "submitted_at",
            "accepted_at",
            "risk_at",
            "due_at",
            "closed_at",
        ]

    def get_sla_state(self, obj) -> str:
        return obj.sla_state_at(self.context.get("now") or timezone.now())


class ServiceStageSerializer(serializers.ModelSerializer):
    """A request as a social supervisor reads it: its stages, anonymised (no applicant, no
    description, no handler, no materials)."""

    service_name = name_of("service")
    department = by_code()
    applicant = serializers.SerializerMethodField()
    time_limit_kept = serializers.SerializerMethodField()

    class Meta:
        model = ServiceRequest
        fields = [
            "number",
            "service_name",
            "department",
            "status",
            "applicant",
            "submitted_at",
            "accepted_at",
            "due_at",
            "closed_at",
            "time_limit_kept",
        ]

    def get_applicant(self, obj) -> str:
        return _("an enterprise") if obj.enterprise_id else _("a person")

    def get_time_limit_kept(self, obj) -> bool | None:
        """Whether it closed by its due time (None while open or without a time limit)."""
        if obj.closed_at is None or obj.due_at is None:
            return None
        return obj.closed_at <= obj.due_at


class ServiceStageList(generics.ListAPIView):
    """The stages of every service of the zone, anonymised: for social supervisors, administrators
    and leaders."""

    serializer_class = ServiceStageSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return ServiceRequest.objects.none()
        return selectors.service_stages_visible_to(self.request.user)


_STAGE_COUNT = {
    "service": serializers.CharField(),
    "department": serializers.CharField(),
    **{
        name: serializers.IntegerField()
        for name in (
            "booked",
            "submitted",
            "accepted",
            "completed",
            "rejected",
            "on_time",
            "late",
            "overdue_now",
        )
    },
}


@extend_schema(responses=inline_serializer("ServiceStageCount", _STAGE_COUNT, many=True))
@api_view(["GET"])
def service_stage_counts(request):
    """The stages per service and department (booked, submitted, accepted, completed, rejected, on
    time, late, overdue now): counts only, for social supervisors, administrators and leaders."""
    return Response(selectors.service_stage_counts(request.user))


class MaterialSerializer(serializers.ModelSerializer):
    uploaded_by = by_username()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Material
        fields = ["id", "original_name", "slot", "kind", "size", "uploaded_by", "uploaded_at", "download_url"]

    def get_download_url(self, obj) -> str:
        return f"/api/v1/service-materials/{obj.pk}/download/"


class RatingSerializer(serializers.ModelSerializer):
    rater = by_username()
    handler = by_username(allow_null=True)
    handler_department = by_code(allow_null=True)
    rectification = serializers.SerializerMethodField()

    class Meta:
        model = Rating
        fields = [
            "id",
            "score",
            "comment",
            "rater",
            "enterprise",
            "handler",
            "handler_department",
            "case_label",
            "case_url",
            "created_at",
            "rectification",
        ]

    def get_rectification(self, obj) -> int | None:
        rectification = getattr(obj, "rectification", None) if obj.is_bad else None
        return rectification.pk if rectification else None


class ServiceRequestDetailSerializer(ServiceRequestSerializer):
    submitted_by = UserBriefSerializer(read_only=True)
    handled_by = UserBriefSerializer(read_only=True, allow_null=True)
    children = serializers.SerializerMethodField()
    materials = serializers.SerializerMethodField()
    events = TimelineField()
    rating = serializers.SerializerMethodField()

    class Meta(ServiceRequestSerializer.Meta):
        fields = [
            *ServiceRequestSerializer.Meta.fields,
            "description",
            "applicant_phone",
            "submitted_by",
            "handled_by",
            "time_limit",
            "paused_at",
            "paused_total",
            "supplement_missing",
            "supplement_note",
            "supplement_rounds",
            "supplement_reason",
            "result",
            "reject_reason",
            "children",
            "materials",
            "events",
            "rating",
        ]

    def get_children(self, obj) -> list[dict]:
        now = timezone.now()
        return [
            {
                "id": c.pk,
                "number": c.number,
                "service": c.service.code,
                "status": c.status,
                "sla_state": c.sla_state_at(now),
            }
            for c in obj.children.select_related("service")
        ]

    def get_materials(self, obj) -> list[dict]:
        return MaterialSerializer(obj.materials.select_related("uploaded_by"), many=True).data

    def get_rating(self, obj) -> dict | None:
        rating = rating_selectors.rating_for(obj)
        return RatingSerializer(rating).data if rating else None


class ServiceRequestCreateSerializer(serializers.Serializer):
    service = serializers.SlugRelatedField(
        slug_field="code", queryset=ServiceItem.objects.filter(active=True)
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    enterprise = serializers.IntegerField(required=False, allow_null=True)
    applicant_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    applicant_phone = serializers.CharField(required=False, allow_blank=True, max_length=32)


class SupplementRequestSerializer(serializers.Serializer):
    """一次性告知: ticks on the service's materials checklist plus a note, as on the request's page."""

    missing = serializers.ListField(
        child=serializers.CharField(max_length=300),
        required=False,
        max_length=50,
        help_text="The ticked materials: names from the service's checklist (`materials` of the catalog "
        "entry). A name the checklist does not have is refused (400); put it in `other`.",
    )
    other = serializers.ListField(
        child=serializers.CharField(max_length=300),
        required=False,
        max_length=20,
        help_text="Missing materials the checklist does not name, one per item.",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Required for a second supplement round (二次补正).",
    )

    def validate(self, attrs):
        # the ticks are checked against the checklist here; the action files unknown names as other
        # lines (the page's form offers only the checklist's), which would hide a mistyped tick
        checklist = self.context["service_request"].service.checklist
        checklist_asked(checklist, attrs.get("missing", []), attrs.get("other", []))
        return attrs


class SupplySerializer(serializers.Serializer):
    """The applicant's supplement, multipart: one field per material asked for, as on the page."""

    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    files = serializers.ListField(
        child=serializers.FileField(), required=False, help_text="Other materials (no slot of the checklist)."
    )
    slot_n = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text="Sent as `slot-<n>` (n: the material's position in the service's checklist, from 0): "
        "the files of that material. Only the materials the supplement request asked for; another "
        "slot is refused (400).",
    )


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ResultSerializer(serializers.Serializer):
    result = serializers.CharField(max_length=5000)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class OptionalReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class AssigneeSerializer(serializers.Serializer):
    assignee = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))


class RateSerializer(serializers.Serializer):
    score = serializers.ChoiceField(choices=Score.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


# -- catalog ---------------------------------------------------------------------------------------


class ServiceItemList(generics.ListAPIView):
    """The service catalog (事项清单): active items and bundles."""

    serializer_class = ServiceItemSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.catalog_items()


class ServiceItemDetail(generics.RetrieveAPIView):
    serializer_class = ServiceItemSerializer
    lookup_field = "code"

    def get_queryset(self):
        return selectors.catalog_items()


# -- requests --------------------------------------------------------------------------------------


class ServiceRequestListCreate(ListCreateThroughAction):
    """Requests the user may see, ordered by due time; filters `status`, `service`, `sla_state`,
    `assignee` (`me`/`none`/id), `enterprise`, `agency`. POST files a request (201)."""

    serializer_class = ServiceRequestSerializer
    create_serializer_class = ServiceRequestCreateSerializer
    created_serializer_class = ServiceRequestDetailSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ServiceRequestFilter

    def get_queryset(self):
        return selectors.request_rows(
            selectors.by_due_time(selectors.service_requests_visible_to(self.request.user))
        )

    def get_serializer_context(self):
        # One instant for every row's `sla_state`. The POST's answer reads it too: a request just
        # filed is `submitted`, whose `sla_state` does not depend on the instant.
        return {**super().get_serializer_context(), "now": timezone.now()}

    def create_from(self, values):
        request = self.request
        enterprise = input_row(
            enterprises_visible_to(request.user),
            values.pop("enterprise", None),
            "enterprise",
            _("Unknown enterprise."),
        )
        if enterprise is None and len(request.user.enterprise_ids) == 1 and not values.get("applicant_name"):
            enterprise = enterprises_visible_to(request.user).get(pk=request.user.enterprise_ids[0])
        # multipart `slot-<n>` fields fill the service's checklist (required materials enforced, as
        # on the form); without them, `files` are filed as other materials
        slot_uploads = None
        if slots := {name: request.FILES.getlist(name) for name in request.FILES if name.startswith("slot-")}:
            slot_uploads = slot_uploads_by_field(values["service"].checklist, slots)
        created = actions.request_submit(
            actor=request.user,
            enterprise=enterprise,
            uploads=request.FILES.getlist("files"),
            slot_uploads=slot_uploads,
            **values,
        )
        return selectors.service_request_for(request.user, created.pk)


SERVICE_REQUEST = ApiObject(selectors.service_request_for, "service_request", ServiceRequestDetailSerializer)
# The verbs take JSON or a form; the supplement's uploads come as multipart, by field.
NO_UPLOADS = [BoundedJSONParser, FormParser]
MULTIPART = {"parsers": [BoundedJSONParser, MultiPartParser, FormParser], "all_files": "request_files"}


def _supplement(*, actor, service_request, request_files, note="", **validated_files):
    """The uploads of a supplement: `files` (no slot) and one `slot-<n>` field per material asked for."""
    slots = {name: request_files.getlist(name) for name in request_files if name.startswith("slot-")}
    return actions.request_supplement(
        actor=actor,
        service_request=service_request,
        note=note,
        uploads=request_files.getlist("files"),
        slot_uploads=slot_uploads_by_field(service_request.service.checklist, slots) if slots else None,
    )


_supplement.__doc__ = actions.request_supplement.__doc__  # what the schema says of the verb


def _rate(*, actor, service_request, score, comment=""):
    return actions.request_rate(actor=actor, service_request=service_request, score=score, comment=comment)


REQUEST_ACTIONS = [
    ("claim", actions.request_claim, None),
    ("release", actions.request_release, None),
    ("reassign", actions.request_reassign, AssigneeSerializer),
    ("accept", actions.request_accept, None),
    ("request-supplement", actions.request_request_supplement, SupplementRequestSerializer),
    ("supplement", _supplement, SupplySerializer, MULTIPART),
    ("complete", actions.request_complete, ResultSerializer),
    ("reject", actions.request_reject, ReasonSerializer),
    ("withdraw", actions.request_withdraw, OptionalReasonSerializer),
    ("rate", _rate, RateSerializer),
]


@extend_schema(methods=["GET"], responses=MaterialSerializer(many=True))
@extend_schema(
    methods=["POST"],
    request={
        "multipart/form-data": inline_serializer(
            "MaterialUpload", {"files": serializers.ListField(child=serializers.FileField())}
        )
    },
    responses={201: MaterialSerializer(many=True)},
)
@api_view(["GET", "POST"])
@parser_classes([MultiPartParser, FormParser])
def service_request_materials(request, pk):
    """GET: the request's materials. POST (multipart `files`): add files, checked by content."""
    obj = selectors.service_request_for(request.user, pk)
    if request.method == "POST":
        files = request.FILES.getlist("files") or request.FILES.getlist("file")
        stored = actions.material_add(actor=request.user, service_request=obj, uploads=files)
        return Response(MaterialSerializer(stored, many=True).data, status=status.HTTP_201_CREATED)
    return Response(MaterialSerializer(obj.materials.select_related("uploaded_by"), many=True).data)


def material_response(user, pk) -> FileResponse:
    """The file, to a user who may see its request (404 otherwise, as for a missing file)."""
    material = selectors.material_for(user, pk)
    return file_download(material.file, content_type=material.content_type, label="material", pk=material.pk)


@extend_schema(responses={(200, "application/octet-stream"): bytes})
@api_view(["GET"])
def service_material_download(request, pk):
    """Download one material (only through this check of the viewer's rights)."""
    return material_response(request.user, pk)


@extend_schema(responses=inline_serializer("RequestCounts", {"counts": serializers.DictField()}))
@api_view(["GET"])
def service_request_counts(request):
    """Counts per status and SLA state of the requests the user may see (the queue's tiles)."""
    return Response({"counts": selectors.request_counts(selectors.request_queue(request.user))})


# -- appointments ----------------------------------------------------------------------------------


class AppointmentSlotSerializer(serializers.ModelSerializer):
    start = LocalTimeField(read_only=True)
    end = LocalTimeField(read_only=True)
    free = serializers.IntegerField(read_only=True)
    department = by_code(allow_null=True)

    class Meta:
        model = AppointmentSlot
        fields = ["id", "date", "start", "end", "kind", "capacity", "booked", "free", "department"]


class AppointmentSerializer(serializers.ModelSerializer):
    slot = AppointmentSlotSerializer(read_only=True)
    service = by_code(allow_null=True)
    booked_by = by_username()

    class Meta:
        model = Appointment
        fields = [
            "id",
            "slot",
            "enterprise",
            "service",
            "booked_by",
            "address",
            "note",
            "status",
            "created_at",
        ]


class AppointmentBookSerializer(serializers.Serializer):
    slot = serializers.PrimaryKeyRelatedField(queryset=AppointmentSlot.objects.all())
    enterprise = serializers.IntegerField(required=False)
    service = serializers.SlugRelatedField(
        slug_field="code", queryset=ServiceItem.objects.filter(active=True), required=False, allow_null=True
    )
    address = serializers.CharField(required=False, allow_blank=True, max_length=300)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class AppointmentSlotList(generics.ListAPIView):
    """Open slots from today on; filter `kind` and `date`."""

    serializer_class = AppointmentSlotSerializer

    def get_queryset(self):
        qs = selectors.appointment_slots_open()
        kinds = AppointmentSlot.Kind.values
        unknown = _("Unknown slot kind; use one of %(kinds)s.") % {"kinds": ", ".join(kinds)}
        if kind := query_choice(self.request, "kind", kinds, unknown):
            qs = qs.filter(kind=kind)
        if day := self.request.query_params.get("date"):
            try:
                qs = qs.filter(date=parse_date_in_range(day))
            except DjangoValidationError as exc:
                raise InvalidInput(fields={"date": exc.messages}) from None
        return qs


class AppointmentListCreate(ListCreateThroughAction):
    """The user's (enterprise's) appointments; POST books one (409 when the slot is full)."""

    serializer_class = AppointmentSerializer
    create_serializer_class = AppointmentBookSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Appointment.objects.none()
        return selectors.appointments_visible_to(self.request.user)

    def create_from(self, values):
        user = self.request.user
        enterprise_id = values.pop("enterprise", None) or (user.enterprise_ids or [None])[0]
        enterprise = enterprises_visible_to(user).filter(pk=enterprise_id).first()
        if enterprise is None:
            raise InvalidInput(fields={"enterprise": [_("Unknown enterprise.")]})
        return actions.appointment_book(actor=user, enterprise=enterprise, **values)


appointment_cancel = object_verb(
    name="appointment_cancel",
    fetch=selectors.appointment_for,
    action=actions.appointment_cancel,
    argument="appointment",
    answers=AppointmentSerializer,
    answers_result=True,
    doc="Cancel a booking before its slot begins.",
)


# -- ratings and rectifications --------------------------------------------------------------------


class RatingList(generics.ListAPIView):
    """Ratings the user may see (newest first)."""

    serializer_class = RatingSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Rating.objects.none()
        return rating_selectors.ratings_visible_to(self.request.user).select_related("rectification")


@extend_schema(
    responses=inline_serializer(
        "RatingCoverage",
        {
            "finished": serializers.IntegerField(),
            "rated": serializers.IntegerField(),
            "bad": serializers.IntegerField(),
            "coverage_percent": serializers.FloatField(allow_null=True),
        },
    )
)
@api_view(["GET"])
def rating_coverage(request):
    """The one rating coverage: ratings ÷ rateable cases, every rated kind of case counted."""
    return Response(rating_selectors.rating_coverage())


class RectificationSerializer(serializers.ModelSerializer):
    department = by_code(allow_null=True)
    handler = by_username(allow_null=True)
    rating = RatingSerializer(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Rectification
        fields = [
            "id",
            "status",
            "department",
            "handler",
            "rating",
            "opened_at",
            "verify_due_at",
            "fix_due_at",
            "is_overdue",
            "verified_at",
            "finding",
            "fixed_at_once",
            "replied_at",
            "reply",
            "called_back_at",
            "callback_note",
            "fix_score",
            "fix_comment",
            "closed_at",
            "appeal_reason",
            "appeal_decision",
        ]


class RectificationDetailSerializer(RectificationSerializer):
    events = TimelineField()

    class Meta(RectificationSerializer.Meta):
        fields = [*RectificationSerializer.Meta.fields, "events"]


class RectificationList(generics.ListAPIView):
    """Rectifications the user may see, soonest fix deadline first; filters `status`, `department`."""

    serializer_class = RectificationSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = RectificationFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Rectification.objects.none()
        return rating_selectors.rectifications_visible_to(self.request.user).order_by("fix_due_at", "id")


RECTIFICATION = ApiObject(rating_selectors.rectification_for, "rectification", RectificationDetailSerializer)


class VerifySerializer(serializers.Serializer):
    finding = serializers.CharField(max_length=5000)
    fixed_at_once = serializers.BooleanField(required=False, default=False)


class ReplySerializer(serializers.Serializer):
    reply = serializers.CharField(max_length=5000)


class CallbackSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000)


class RateFixSerializer(serializers.Serializer):
    fix_score = serializers.ChoiceField(choices=FixScore.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class DecideSerializer(serializers.Serializer):
    uphold = serializers.BooleanField()
    decision = serializers.CharField(max_length=5000)


RECTIFICATION_ACTIONS = [
    ("verify", rating_actions.rectification_verify, VerifySerializer),
    ("reply", rating_actions.rectification_reply, ReplySerializer),
    ("callback", rating_actions.rectification_callback, CallbackSerializer),
    ("rate-fix", rating_actions.rectification_rate_fix, RateFixSerializer),
    ("appeal", rating_actions.rectification_appeal, ReasonSerializer),
    ("decide", rating_actions.rectification_decide_appeal, DecideSerializer),
]


urlpatterns = [
    path("services/", ServiceItemList.as_view(), name="api-services"),
    path("services/<slug:code>/", ServiceItemDetail.as_view(), name="api-service"),
    path("service-requests/", ServiceRequestListCreate.as_view(), name="api-service-requests"),
    path("service-stages/", ServiceStageList.as_view(), name="api-service-stages"),
    path("service-stages/summary/", service_stage_counts, name="api-service-stage-counts"),
    path("service-requests/counts/", service_request_counts, name="api-service-request-counts"),
    path(
        "service-requests/<int:pk>/materials/",
        service_request_materials,
        name="api-service-request-materials",
    ),
    *object_routes(
        "service-requests",
        "service-request",
        SERVICE_REQUEST,
        REQUEST_ACTIONS,
        doc="One request with its clock, assignee, materials, rating and events.",
        parsers=NO_UPLOADS,
    ),
    path(
        "service-materials/<int:pk>/download/",
        service_material_download,
        name="api-service-material-download",
    ),
    path("appointment-slots/", AppointmentSlotList.as_view(), name="api-appointment-slots"),
    path("appointments/", AppointmentListCreate.as_view(), name="api-appointments"),
    path("appointments/<int:pk>/cancel/", appointment_cancel, name="api-appointment-cancel"),
    path("ratings/", RatingList.as_view(), name="api-ratings"),
    path("ratings/coverage/", rating_coverage, name="api-rating-coverage"),
    path("rectifications/", RectificationList.as_view(), name="api-rectifications"),
    *object_routes("rectifications", "rectification", RECTIFICATION, RECTIFICATION_ACTIONS),
]
