"""`/api/v1/…` of social supervision: observations and their verbs, the roster, indicators, their
monthly entries, the quarterly ranking. Thin: parse → check (the selectors' 404) → one action."""

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.decorators import api_view
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from zone_portal.api.creating import ListCreateThroughAction
from zone_portal.api.inputs import input_row
from zone_portal.api.parsers import BoundedJSONParser
from zone_portal.api.serializers import UserBriefSerializer, by_code, name_of
from zone_portal.api.verbs import ApiObject, object_routes, object_verb
from zone_portal.errors import InvalidInput, PermissionDeniedError
from zone_portal.events.serializers import TimelineField
from zone_portal.org.models import Department, Park
from zone_portal.ratings.models import Score

from . import actions, selectors
from .figures import SOURCE_CHOICES
from .models import (
    Combine,
    Indicator,
    IndicatorEntry,
    IndicatorGroup,
    Measure,
    Observation,
    ObservationCategory,
    Place,
    Supervisor,
)
from .permissions import may_read_ranking
from .scoring import FORMULA

# -- observations ----------------------------------------------------------------------------------


class SupervisorObservationSerializer(serializers.ModelSerializer):
    supervisor = UserBriefSerializer(read_only=True)
    department = by_code(allow_null=True)
    park = by_code(allow_null=True)
    enterprise_name = name_of("enterprise", allow_null=True, default=None)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Observation
        fields = [
            "id",
            "category",
            "place",
            "place_detail",
            "park",
            "department",
            "enterprise",
            "enterprise_name",
            "observed_at",
            "description",
            "status",
            "supervisor",
            "created_at",
            "answered_at",
            "measures",
            "fixed_at_once",
            "rectify_by",
            "resolved_at",
            "result",
            "risk_at",
            "due_at",
            "is_overdue",
        ]


class SupervisorObservationDetailSerializer(SupervisorObservationSerializer):
    events = TimelineField()
    photos = serializers.SerializerMethodField()

    class Meta(SupervisorObservationSerializer.Meta):
        fields = [*SupervisorObservationSerializer.Meta.fields, "photos", "events"]

    def get_photos(self, obj) -> list[int]:
        return [p.pk for p in obj.photos.all()]


class ObservationFileSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=ObservationCategory.choices)
    place = serializers.ChoiceField(choices=Place.choices)
    place_detail = serializers.CharField(required=False, allow_blank=True, max_length=100)
    park = serializers.SlugRelatedField(
        slug_field="code", queryset=Park.objects.all(), required=False, allow_null=True
    )
    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), required=False, allow_null=True
    )
    enterprise = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**31 - 1)
    observed_at = serializers.DateTimeField(required=False, allow_null=True)
    description = serializers.CharField(max_length=4000)
    photos = serializers.ListField(child=serializers.FileField(), required=False, max_length=20)


class ObservationListCreate(ListCreateThroughAction):
    """Observations the user may read (a supervisor's own; a department's assigned; all for
    administrators and leaders), newest first; POST: a supervisor files one (with or without an
    enterprise; photos as multipart `photos`)."""

    serializer_class = SupervisorObservationSerializer
    create_serializer_class = ObservationFileSerializer
    parser_classes = [BoundedJSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.observation_list(self.request.user)

    def create_from(self, values):
        from enterprises.models import Enterprise

        enterprise = input_row(
            Enterprise.objects.all(), values.pop("enterprise", None), "enterprise", _("Unknown enterprise.")
        )
        return actions.observation_file(actor=self.request.user, enterprise=enterprise, **values)


OBSERVATION = ApiObject(selectors.observation_for, "observation", SupervisorObservationDetailSerializer)


class ObservationAnswerSerializer(serializers.Serializer):
    measures = serializers.CharField(max_length=4000)
    fixed_at_once = serializers.BooleanField()
    rectify_by = serializers.DateField(required=False, allow_null=True)


class ObservationResolveSerializer(serializers.Serializer):
    result = serializers.CharField(max_length=4000)


class ObservationRateSerializer(serializers.Serializer):
    score = serializers.ChoiceField(choices=Score.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ObservationAssignSerializer(serializers.Serializer):
    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), allow_null=True
    )


OBSERVATION_ACTIONS = [
    ("answer", actions.observation_answer, ObservationAnswerSerializer),
    ("resolve", actions.observation_resolve, ObservationResolveSerializer),
    ("rate", actions.observation_rate, ObservationRateSerializer),
    ("assign", actions.observation_assign, ObservationAssignSerializer),
]

# -- the roster ------------------------------------------------------------------------------------


class SupervisorSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Supervisor
        fields = ["id", "username", "name", "organisation", "phone", "term_start", "term_end", "active"]


class SupervisorAddSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    name = serializers.CharField(max_length=100)
    phone = serializers.CharField(max_length=32)
    organisation = serializers.CharField(max_length=200, required=False, allow_blank=True)
    term_start = serializers.DateField()
    term_end = serializers.DateField()


class SupervisorListCreate(ListCreateThroughAction):
    """The roster (administrators and leaders; a supervisor reads their own row); POST: an
    administrator puts a supervisor on it."""

    serializer_class = SupervisorSerializer
    create_serializer_class = SupervisorAddSerializer

    def get_queryset(self):
        return selectors.supervisors_visible_to(self.request.user)

    def create_from(self, values):
        return actions.supervisor_add(actor=self.request.user, **values)


# -- indicators ------------------------------------------------------------------------------------


class IndicatorSerializer(serializers.ModelSerializer):
    department = by_code(allow_null=True)
    park = by_code(allow_null=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "year",
            "department",
            "park",
            "group",
            "name",
            "weight",
            "target",
            "unit",
            "measure",
            "source",
            "combine",
        ]


class IndicatorCreateSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), required=False, allow_null=True
    )
    park = serializers.SlugRelatedField(
        slug_field="code", queryset=Park.objects.all(), required=False, allow_null=True
    )
    group = serializers.ChoiceField(choices=IndicatorGroup.choices)
    name = serializers.CharField(max_length=200)
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0)
    target = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    unit = serializers.CharField(max_length=20)
    measure = serializers.ChoiceField(choices=Measure.choices)
    source = serializers.ChoiceField(choices=SOURCE_CHOICES, required=False)
    combine = serializers.ChoiceField(choices=Combine.choices, required=False)


class IndicatorListCreate(ListCreateThroughAction):
    """The indicators the user may read (`year` filters); POST: an administrator sets one."""

    serializer_class = IndicatorSerializer
    create_serializer_class = IndicatorCreateSerializer

    def get_queryset(self):
        qs = selectors.indicators_visible_to(self.request.user).order_by(
            "year", "department_id", "park_id", "group", "id"
        )
        year = self.request.query_params.get("year", "")
        return qs.filter(year=_year_param(year)) if year else qs

    @extend_schema(
        parameters=[OpenApiParameter("year", int, required=False)],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def create_from(self, values):
        return actions.indicator_create(actor=self.request.user, **values)


class IndicatorEntrySerializer(serializers.ModelSerializer):
    entered_by = UserBriefSerializer(read_only=True)

    class Meta:
        model = IndicatorEntry
        fields = [
            "id",
            "indicator",
            "month",
            "value",
            "note",
            "status",
            "entered_by",
            "entered_at",
            "decided_at",
            "decision_note",
        ]


class EntrySubmitSerializer(serializers.Serializer):
    month = serializers.IntegerField(min_value=1, max_value=12)
    value = serializers.DecimalField(max_digits=12, decimal_places=2)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    evidence = serializers.FileField(required=False)


indicator_entry_submit = object_verb(
    name="indicator_entry_submit",
    fetch=selectors.indicator_for,
    action=actions.indicator_entry_submit,
    body=EntrySubmitSerializer,
    argument="indicator",
    answers=IndicatorEntrySerializer,
    answers_result=True,
    created=True,
    parsers=[MultiPartParser, FormParser, BoundedJSONParser],
    doc="The department (or park) enters a month's value of the indicator with its evidence.",
)


class EntryList(generics.ListAPIView):
    """Monthly entries the user may read."""

    serializer_class = IndicatorEntrySerializer

    def get_queryset(self):
        return selectors.indicator_entries_visible_to(self.request.user).order_by("indicator_id", "month")


class EntryDecideSerializer(serializers.Serializer):
    confirm = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


indicator_entry_decide = object_verb(
    name="indicator_entry_decide",
    fetch=selectors.indicator_entry_for,
    action=actions.indicator_entry_decide,
    body=EntryDecideSerializer,
    argument="entry",
    answers=IndicatorEntrySerializer,
    answers_result=True,
    doc="An administrator confirms a month's entry or returns it with a reason.",
)


_RANK_ROW = {
    "id": serializers.IntegerField(),
    "name": serializers.CharField(),
    "score": serializers.FloatField(allow_null=True),
    "rank": serializers.IntegerField(allow_null=True),
    "own": serializers.BooleanField(),
}


def _year_param(value: str) -> int:
    """A year of the indicators (2000 to 2100) from the query or the body; 400 otherwise."""
    # ASCII digits only: "²".isdigit() is true, and int() refuses it
    if not (value.isascii() and value.isdigit() and len(value) == 4) or not 2000 <= int(value) <= 2100:
        raise InvalidInput(fields={"year": [_("A year from 2000 to 2100.")]})
    return int(value)


def _quarter_params(params) -> tuple[int, int]:
    from django.utils import timezone

    today = timezone.localdate()
    year, quarter = (
        params.get("year", str(today.year)),
        params.get("quarter", str((today.month - 1) // 3 + 1)),
    )
    year = _year_param(year)
    if quarter not in ("1", "2", "3", "4"):
        raise InvalidInput(fields={"quarter": [_("A quarter from 1 to 4.")]})
    return year, int(quarter)


@extend_schema(
    parameters=[
        OpenApiParameter("year", int, required=False),
        OpenApiParameter("quarter", int, required=False),
    ],
    responses=inline_serializer(
        "IndicatorRanking",
        {
            "year": serializers.IntegerField(),
            "quarter": serializers.IntegerField(),
            "formula": serializers.CharField(),
            "departments": inline_serializer("IndicatorRankingRow", _RANK_ROW, many=True),
            "parks": inline_serializer("IndicatorRankingParkRow", _RANK_ROW, many=True),
        },
    ),
)
@api_view(["GET"])
def indicator_ranking(request):
    """The quarter's indicator scores and ranks of departments and parks, with the formula."""
    if not may_read_ranking(request.user):
        raise PermissionDeniedError()
    year, quarter = _quarter_params(request.query_params)
    result = selectors.ranking(year, quarter)
    from zone_portal.access.scopes import acting_department_ids, acting_park_ids

    for row in result["departments"]:
        row["own"] = row["id"] in acting_department_ids(request.user)
    for row in result["parks"]:
        row["own"] = row["id"] in acting_park_ids(request.user)
    return Response({**result, "formula": str(FORMULA)})


@extend_schema(
    request=inline_serializer(
        "IndicatorScoreQuarter", {"year": serializers.IntegerField(), "quarter": serializers.IntegerField()}
    ),
    responses=inline_serializer("IndicatorScored", {"scored": serializers.IntegerField()}),
)
@api_view(["POST"])
def indicator_score_quarter(request):
    """An administrator scores (again) every indicator of the year for the quarter."""
    data = request.data if isinstance(request.data, dict) else {}
    year, quarter = _quarter_params({k: str(v) for k, v in data.items() if k in ("year", "quarter")})
    return Response(
        {"scored": actions.indicators_score_quarter(actor=request.user, year=year, quarter=quarter)}
    )


urlpatterns = [
    path("observations/", ObservationListCreate.as_view(), name="api-observations"),
    *object_routes("observations", "observation", OBSERVATION, OBSERVATION_ACTIONS),
    path("supervisors/", SupervisorListCreate.as_view(), name="api-supervisors"),
    path("indicators/", IndicatorListCreate.as_view(), name="api-indicators"),
    path("indicators/<int:pk>/entries/", indicator_entry_submit, name="api-indicator-entries"),
    path("indicator-entries/", EntryList.as_view(), name="api-indicator-entry-list"),
    path("indicator-entries/<int:pk>/decide/", indicator_entry_decide, name="api-indicator-entry-decide"),
    path("indicator-ranking/", indicator_ranking, name="api-indicator-ranking"),
    path("indicator-ranking/score/", indicator_score_quarter, name="api-indicator-score"),
]
