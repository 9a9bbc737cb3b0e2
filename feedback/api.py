"""`/api/v1/` routes of the feedback app: tickets (and their verbs), hotline intake, joint meetings,
action items. Views parse, fetch through the scoped selectors (404 for "missing" and "not yours"),
call one action and answer the detail representation."""

import django_filters.rest_framework as filters
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from enterprises.models import Enterprise
from projects.models import Project
from zone_portal.accounts.roles import Role
from zone_portal.api.inputs import input_row, validated
from zone_portal.api.permissions import HasRole
from zone_portal.api.serializers import UserBriefSerializer
from zone_portal.errors import InvalidInput
from zone_portal.events.serializers import TimelineField

from . import actions, notices, selectors
from .models import ActionItem, Category, Ticket, Tier, Urgency

# --------------------------------------------------------------------------- representations


class WhistleSerializer(serializers.Serializer):
    code = serializers.CharField(source="department.code")
    name = serializers.CharField(source="department.name")
    status = serializers.CharField()
    note = serializers.SerializerMethodField()
    whistled_at = serializers.DateTimeField()
    report_due_at = serializers.DateTimeField()
    answer_due_at = serializers.DateTimeField()
    reported_at = serializers.DateTimeField()
    reported_by = UserBriefSerializer(allow_null=True)
    answered_at = serializers.DateTimeField()
    answer = serializers.CharField()
    publicly_noticed = serializers.SerializerMethodField()

    def get_publicly_noticed(self, row) -> bool:
        return row.noticed_at is not None and row.status == row.Status.WHISTLED

    def get_note(self, row) -> str:
        return notices.whistle_note(row)


class ExtensionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    days = serializers.DecimalField(max_digits=5, decimal_places=1)
    reason = serializers.CharField()
    status = serializers.CharField()
    requested_by = serializers.CharField(source="requested_by.username")
    requested_at = serializers.DateTimeField()
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True, default=None)
    decision_note = serializers.CharField()


class ActionItemSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.code")
    ticket = serializers.IntegerField(source="ticket_id")
    meeting = serializers.IntegerField(source="meeting_id")

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "meeting",
            "ticket",
            "department",
            "description",
            "status",
            "due_at",
            "overdue_at",
            "done_at",
            "done_note",
        ]


class TicketListSerializer(serializers.ModelSerializer):
    enterprise = serializers.SerializerMethodField()
    park = serializers.CharField(source="park.code", allow_null=True, default=None)
    owner = UserBriefSerializer(allow_null=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = [
            "id",
            "number",
            "title",
            "category",
            "urgency",
            "source",
            "status",
            "tier",
            "enterprise",
            "park",
            "owner",
            "due_at",
            "is_overdue",
            "created_at",
        ]

    def get_enterprise(self, ticket) -> dict | None:
        if ticket.enterprise is None:
            return None
        return {"id": ticket.enterprise_id, "name": ticket.enterprise.name}

    def get_is_overdue(self, ticket) -> bool:
        return ticket.is_overdue()


class TicketDetailSerializer(TicketListSerializer):
    departments = WhistleSerializer(source="whistles", many=True)
    extensions = ExtensionSerializer(many=True)
    action_items = ActionItemSerializer(many=True)
    attachments = serializers.SerializerMethodField()
    events = TimelineField()
    project = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    # Read from the ticket's one rating (the zone's shared good/bad ratings).
    score = serializers.SerializerMethodField()
    rating_comment = serializers.SerializerMethodField()

    class Meta(TicketListSerializer.Meta):
        fields = TicketListSerializer.Meta.fields + [
            "description",
            "contact",
            "project",
            "tier_started_at",
            "acknowledged_at",
            "ack_due_at",
            "remind_at",
            "resolved_at",
            "resolution",
            "confirm_due_at",
            "closed_at",
            "reopen_count",
            "score",
            "rating_comment",
            "departments",
            "extensions",
            "action_items",
            "attachments",
            "events",
        ]

    def get_attachments(self, ticket) -> list[dict]:
        from django.urls import reverse

        return [
            {
                "id": a.pk,
                "name": a.name,
                "size": a.size,
                "url": reverse("feedback:attachment", args=[ticket.pk, a.pk]),
            }
            for a in ticket.attachments.all()
        ]

    def get_score(self, ticket) -> int | None:
        return ticket.rating_score

    def get_rating_comment(self, ticket) -> str:
        return ticket.rating_comment or ""


# --------------------------------------------------------------------------- inputs


# What a new ticket says, raised in the portal or taken in from the hotline alike.
TICKET_TEXT = ("category", "title", "description", "contact")


class TicketCreateIn(serializers.Serializer):
    enterprise = serializers.IntegerField(required=False)
    category = serializers.ChoiceField(choices=Category.choices)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField()
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    project = serializers.IntegerField(required=False, allow_null=True)
    contact = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")


class IntakeIn(serializers.Serializer):
    enterprise = serializers.IntegerField(required=False)
    uscc = serializers.CharField(required=False, max_length=18)
    park = serializers.CharField(required=False, max_length=32)
    case_id = serializers.CharField(required=False, max_length=100)
    category = serializers.ChoiceField(choices=Category.choices)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField()
    contact = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")


class NoteIn(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class WhistleIn(serializers.Serializer):
    departments = serializers.ListField(child=serializers.SlugField(), min_length=1)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DepartmentIn(serializers.Serializer):
    department = serializers.SlugField(required=False)


class AnswerIn(DepartmentIn):
    text = serializers.CharField()


class ResolveIn(serializers.Serializer):
    resolution = serializers.CharField()


class ConfirmIn(serializers.Serializer):
    solved = serializers.BooleanField()
    score = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonIn(serializers.Serializer):
    reason = serializers.CharField()


class ExtendIn(ReasonIn):
    days = serializers.DecimalField(max_digits=4, decimal_places=1)


class DecideIn(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReassignIn(ReasonIn):
    department = serializers.SlugField(required=False)
    park = serializers.SlugField(required=False)


class TextIn(serializers.Serializer):
    text = serializers.CharField()


def _ticket_verb(name: str, body, act, *, url_path: str | None = None):
    """A `POST tickets/<pk>/<name>/` verb of `TicketViewSet`: the ticket first (so "not yours" is
    404 whatever the body holds), then the body `body` validated, then `act(actor=user,
    ticket=ticket, **fields)`; the answer is the ticket's detail as it now is."""

    def verb(self, request, pk=None):
        ticket = self._ticket()
        act(actor=request.user, ticket=ticket, **validated(body, request))
        return self._detail(ticket)

    verb.__name__ = name
    return extend_schema(request=body, responses=TicketDetailSerializer)(
        action(detail=True, methods=["post"], url_path=url_path)(verb)
    )


# --------------------------------------------------------------------------- tickets


class TicketFilter(filters.FilterSet):
    tier = filters.TypedChoiceFilter(choices=Tier.choices, coerce=int)
    status = filters.ChoiceFilter(choices=Ticket.Status.choices)
    category = filters.ChoiceFilter(choices=Category.choices)
    department = filters.CharFilter(method="by_department")
    park = filters.CharFilter(field_name="park__code")
    enterprise = filters.NumberFilter(field_name="enterprise_id")
    overdue = filters.BooleanFilter(method="by_overdue")
    mine = filters.BooleanFilter(method="by_mine")

    class Meta:
        model = Ticket
        fields = []

    def by_department(self, qs, name, value):
        return selectors.filter_department(qs, value)

    def by_overdue(self, qs, name, value):
        return selectors.filter_overdue(qs, value)

    def by_mine(self, qs, name, value):
        return selectors.filter_mine(qs, self.request.user) if value else qs


class TicketViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Problem tickets. Every verb answers 200 with the updated ticket; 409 when its state forbids
    the verb, 403 when the user may see but not do it, 404 when they may not see it."""

    serializer_class = TicketListSerializer
    filterset_class = TicketFilter

    def get_queryset(self):
        return selectors.ticket_list(self.request.user).order_by("-created_at", "-id")

    def _ticket(self) -> Ticket:
        return selectors.ticket_for(self.request.user, self.kwargs["pk"])

    def _detail(self, ticket, status_code=200) -> Response:
        fresh = selectors.ticket_after_action(self.request.user, ticket.pk)
        return Response(TicketDetailSerializer(fresh).data, status=status_code)

    @extend_schema(responses=TicketDetailSerializer)
    def retrieve(self, request, pk=None):
        return Response(TicketDetailSerializer(selectors.ticket_for(request.user, pk, details=True)).data)

    @extend_schema(request=TicketCreateIn, responses={201: TicketDetailSerializer})
    def create(self, request):
        data = validated(TicketCreateIn, request)
        user = request.user
        enterprise_id = data.get("enterprise")
        if enterprise_id is None and len(user.enterprise_ids) == 1:
            enterprise_id = user.enterprise_ids[0]
        enterprise = Enterprise.objects.filter(pk=enterprise_id).first() if enterprise_id else None
        if enterprise is None:
            raise InvalidInput(fields={"enterprise": [_("Choose the enterprise.")]})
        project = input_row(
            Project.objects.all(), data.get("project") or None, "project", _("Unknown project.")
        )
        ticket = actions.ticket_raise(
            actor=user,
            enterprise=enterprise,
            urgency=data["urgency"],
            project=project,
            source=actions.source_for(user, enterprise),
            **{name: data[name] for name in TICKET_TEXT},
        )
        return self._detail(ticket, status.HTTP_201_CREATED)

    # The verbs on one ticket (`_ticket_verb`): the body's fields are the action's arguments.
    acknowledge = _ticket_verb("acknowledge", NoteIn, actions.ticket_acknowledge)
    whistle = _ticket_verb("whistle", WhistleIn, actions.ticket_whistle)
    report = _ticket_verb("report", DepartmentIn, actions.whistle_report)
    answer = _ticket_verb("answer", AnswerIn, actions.whistle_answer)
    resolve = _ticket_verb("resolve", ResolveIn, actions.ticket_resolve)
    confirm = _ticket_verb("confirm", ConfirmIn, actions.ticket_confirm)
    escalate = _ticket_verb("escalate", ReasonIn, actions.ticket_escalate)
    extend = _ticket_verb("extend", ExtendIn, actions.ticket_extend)
    approve_extension = _ticket_verb(
        "approve_extension", DecideIn, actions.extension_decide, url_path="approve-extension"
    )
    reassign = _ticket_verb("reassign", ReassignIn, actions.ticket_reassign)
    comment = _ticket_verb("comment", TextIn, actions.ticket_comment)

    @extend_schema(responses=TicketDetailSerializer)
    @action(detail=True, methods=["post"])
    def attachments(self, request, pk=None):
        ticket = self._ticket()
        files = request.FILES.getlist("files")
        if not files:
            raise InvalidInput(fields={"files": [_("Choose at least one file.")]})
        actions.ticket_attach(actor=request.user, ticket=ticket, files=files)
        return self._detail(ticket)


@extend_schema(
    request=IntakeIn,
    responses={201: TicketDetailSerializer, 200: TicketDetailSerializer},
    parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)],
)
@api_view(["POST"])
@permission_classes([HasRole(Role.HOTLINE)])
def ticket_intake(request):
    """12345 hotline intake: 201 with a new ticket, 200 with the same ticket for a repeated key."""
    data = validated(IntakeIn, request)
    key = request.headers.get("Idempotency-Key") or data.get("case_id")
    if not key:
        raise InvalidInput(fields={"idempotency_key": [_("Send an Idempotency-Key header or the case_id.")]})
    if not data.get("enterprise") and not data.get("uscc") and not data.get("park"):
        raise InvalidInput(fields={"enterprise": [_("Name the enterprise (id or uscc) or the park.")]})
    ticket, created = actions.ticket_intake(
        client=request.user,
        key=key,
        **{name: data[name] for name in TICKET_TEXT},
        enterprise_id=data.get("enterprise"),
        uscc=data.get("uscc"),
        park_code=data.get("park"),
    )
    return Response(
        TicketDetailSerializer(selectors.ticket_for(request.user, ticket.pk, details=True)).data,
        status=201 if created else 200,
    )


# --------------------------------------------------------------------------- meetings


class AgendaTicketSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="ticket.id")
    number = serializers.CharField(source="ticket.number")
    title = serializers.CharField(source="ticket.title")
    status = serializers.CharField(source="ticket.status")
    enterprise = serializers.CharField(source="ticket.enterprise.name", allow_null=True, default=None)


class MeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    location = serializers.CharField()
    chair = serializers.CharField(source="chair.username")
    status = serializers.CharField()
    held_at = serializers.DateTimeField()


class MeetingDetailSerializer(MeetingSerializer):
    minutes = serializers.CharField()
    agenda = AgendaTicketSerializer(source="agenda_items", many=True)
    action_items = ActionItemSerializer(many=True)


class MomentField(serializers.DateTimeField):
    """DRF's DateTimeField overflows (a 500) on moments at the ends of the calendar such as
    0001-01-01T00:00; those are invalid input. The actions bound the accepted range."""

    def to_internal_value(self, value):
        try:
            return super().to_internal_value(value)
        except OverflowError:
            self.fail("invalid", format="YYYY-MM-DDThh:mm[:ss][+HH:MM]")


class MeetingIn(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    starts_at = MomentField()
    location = serializers.CharField(required=False, allow_blank=True, default="")


class ActionSpecIn(serializers.Serializer):
    ticket = serializers.IntegerField()
    department = serializers.SlugField()
    description = serializers.CharField()
    due_at = MomentField(required=False)


class MinutesIn(serializers.Serializer):
    minutes = serializers.CharField()
    actions = ActionSpecIn(many=True, required=False, default=list)


class MeetingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = MeetingSerializer

    def get_queryset(self):
        return selectors.meetings_visible_to(self.request.user)

    def _meeting(self):
        return selectors.meeting_for(self.request.user, self.kwargs["pk"])

    @extend_schema(responses=MeetingDetailSerializer)
    def retrieve(self, request, pk=None):
        return Response(MeetingDetailSerializer(self._meeting()).data)

    @extend_schema(request=MeetingIn, responses={201: MeetingDetailSerializer})
    def create(self, request):
        data = validated(MeetingIn, request)
        meeting = actions.meeting_schedule(
            actor=request.user, title=data["title"], starts_at=data["starts_at"], location=data["location"]
        )
        self.kwargs["pk"] = meeting.pk
        return Response(MeetingDetailSerializer(self._meeting()).data, status=201)

    @extend_schema(request=MinutesIn, responses=MeetingDetailSerializer)
    @action(detail=True, methods=["post"])
    def minutes(self, request, pk=None):
        meeting = self._meeting()
        data = validated(MinutesIn, request)
        actions.meeting_record_minutes(
            actor=request.user, meeting=meeting, minutes=data["minutes"], actions=data["actions"]
        )
        return Response(MeetingDetailSerializer(self._meeting()).data)


class ActionItemViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Action items of joint meetings on the tickets the user can see."""

    serializer_class = ActionItemSerializer

    def get_queryset(self):
        return (
            selectors.action_items_visible_to(self.request.user)
            .select_related("department")
            .order_by("due_at", "id")
        )

    @extend_schema(request=NoteIn, responses=ActionItemSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        item = self.get_object()
        data = validated(NoteIn, request)
        item = actions.action_item_complete(actor=request.user, item=item, note=data["note"])
        return Response(ActionItemSerializer(item).data)


router = SimpleRouter()
router.register("tickets", TicketViewSet, basename="ticket")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("action-items", ActionItemViewSet, basename="action-item")

urlpatterns = [path("tickets/intake/", ticket_intake, name="ticket-intake"), *router.urls]
