"""The foundation's helpers that replaced copies in the apps (issue 11): each does what the copies did."""

from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.test import RequestFactory

from enterprises.models import Enterprise
from zone_portal.accounts.models import User
from zone_portal.dashboard.scope import Scope
from zone_portal.errors import Conflict, DomainError, InvalidInput, TransitionForbidden, TryAgain
from zone_portal.fields import at_risk_ratio_field, unmarked_index, working_days_field
from zone_portal.org.models import Park
from zone_portal.web.forms import form_submit
from zone_portal.web.navigation import LIST_PANEL_ROWS, list_panel


class _NameForm(forms.Form):
    name = forms.CharField(max_length=10)


def _post(data):
    request = RequestFactory().post("/", data)
    return request, _NameForm(data)


def test_form_submit_leaves_a_get_alone():
    request = RequestFactory().get("/")
    sent = form_submit(request, _NameForm(), lambda data: pytest.fail("no action on a GET"))
    assert (sent.ok, sent.status) == (False, 200)
    assert form_submit(request, None, None) == (False, 200, None)


def test_form_submit_answers_400_for_an_invalid_form_without_acting():
    request, form = _post({"name": ""})
    sent = form_submit(request, form, lambda data: pytest.fail("no action on an invalid form"))
    assert (sent.ok, sent.status) == (False, 400)


def test_form_submit_shows_a_refusal_on_the_form_with_its_status():
    request, form = _post({"name": "x"})

    def refuse(data):
        raise TransitionForbidden("Not now.", fields={"name": ["Taken."]})

    sent = form_submit(request, form, refuse)
    assert (sent.ok, sent.status) == (False, 409)
    assert form.non_field_errors() == ["Not now."]
    assert form.errors["name"] == ["Taken."]


def test_form_submit_gives_what_the_action_returned():
    request, form = _post({"name": "x"})
    sent = form_submit(request, form, lambda data: data["name"].upper())
    assert sent == (True, 200, "X")


def test_an_error_class_names_its_status_and_code_in_its_header():
    assert (InvalidInput.status, InvalidInput.code) == (400, "invalid")
    assert (Conflict.status, Conflict.code) == (409, "conflict")
    # a subclass keeps what it does not name
    assert (TryAgain.status, TryAgain.code) == (409, "try_again")
    assert (DomainError.status, DomainError.code) == (400, "invalid")

    class Gone(DomainError, status=410, code="gone"):
        pass

    assert (Gone.status, Gone.code, Gone().code) == (410, "gone", "gone")
    assert Gone(code="other").code == "other"


def test_the_policy_fields_keep_their_bounds():
    days = working_days_field("days", "3")
    assert (days.max_digits, days.decimal_places, days.default) == (4, 1, Decimal("3"))
    with pytest.raises(ValidationError):
        days.run_validators(Decimal("0"))
    ratio = at_risk_ratio_field("ratio")
    assert ratio.default == Decimal("0.75")
    for wrong in (Decimal("0.01"), Decimal("1")):
        with pytest.raises(ValidationError):
            ratio.run_validators(wrong)


def test_an_unmarked_index_is_the_partial_index_of_one_sweep_step():
    one = unmarked_index("due_at", name="x_due", status="open", marker="overdue_at")
    assert one.fields == ["due_at"]
    assert one.condition == Q(status="open", overdue_at=None)
    two = unmarked_index(
        "ack_due_at", name="x_ack", status="open", marker=("acknowledged_at", "ack_overdue_at")
    )
    assert two.condition == Q(status="open", acknowledged_at=None, ack_overdue_at=None)


@pytest.mark.django_db
def test_scope_narrow_cuts_by_the_scope_kind(demo, enterprise_a):
    land = demo.departments["land"]
    users = User.objects.all()
    assert Scope().narrow(users, department="departments", park="parks").count() == users.count()
    assert set(Scope(department=land).narrow(users, department="departments")) == set(
        User.objects.filter(departments=land)
    )
    assert demo.users["dept_land"] in set(Scope(department=land).narrow(users, department="departments"))
    # a lookup left out: that scope sees every row
    assert Scope(park=enterprise_a.park).narrow(users, department="departments").count() == users.count()
    in_park = Scope(park=enterprise_a.park).narrow(Enterprise.objects.all(), park="park")
    assert enterprise_a in in_park
    assert set(in_park) == set(Enterprise.objects.filter(park=enterprise_a.park))


@pytest.mark.django_db
def test_list_panel_counts_every_row_and_lists_the_first_ten(demo):
    parks = Park.objects.order_by("code")
    Park.objects.bulk_create(Park(code=f"extra{n:02}", name=f"园区{n}", order=50 + n) for n in range(12))
    panel = list_panel(
        parks,
        row=lambda p: (p.name, f"/parks/{p.pk}/", p.code, None),
        anchor="parks",
        title="Parks",
        label_header="Park",
        empty="No parks.",
    )
    assert panel["total"] == parks.count()
    assert len(panel["rows"]) == LIST_PANEL_ROWS
    first = parks.first()
    assert panel["rows"][0] == {
        "label": first.name,
        "url": f"/parks/{first.pk}/",
        "status": first.code,
        "date": None,
    }
    assert (panel["anchor"], panel["empty"]) == ("parks", "No parks.")


def test_refuse_duplicate_says_taken_only_for_a_unique_clash(db):
    """A NOT NULL (or CHECK, or foreign key) refusal is the caller's bug, not a duplicate: it stays an
    IntegrityError instead of reading as "name taken"; the unique clash becomes the refusal given."""
    from django.db import IntegrityError, transaction

    from zone_portal.cases.unique import refuse_duplicate

    Park.objects.create(code="north", name="北区")
    taken = Conflict("taken", code="taken")
    with pytest.raises(Conflict) as refused, refuse_duplicate(taken):
        Park.objects.create(code="north", name="另一个北区")
    assert refused.value is taken
    with transaction.atomic(), pytest.raises(IntegrityError), refuse_duplicate(taken):
        Park.objects.create(code="south", name=None)
    assert list(Park.objects.filter(code__in=["north", "south"]).values_list("code", flat=True)) == ["north"]


def test_a_kinds_role_maps_are_its_own_read_only_copies():
    """Two kinds (or a kind's read and act) often get the same dict: a change to it afterwards, or
    through one kind, must not widen the other."""
    from zone_portal.access.policy import ObjectKind, Scope
    from zone_portal.accounts.roles import Role

    shared = {Role.ADMIN: (Scope.ALL,)}
    kind = ObjectKind("parks", Park, visible_to=lambda user: Park.objects.all(), read=shared, act=shared)
    shared[Role.LEADER] = (Scope.ALL,)
    assert Role.LEADER not in kind.read and Role.LEADER not in kind.act
    with pytest.raises(TypeError):
        kind.act[Role.LEADER] = (Scope.ALL,)
