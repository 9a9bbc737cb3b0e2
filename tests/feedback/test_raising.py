"""Who may raise a problem for which enterprise: the form's choices (`enterprises_raisable_by`) and
the check (`can_raise_for`) say the same thing for every demo user."""

import pytest

from enterprises.models import Enterprise
from feedback.permissions import can_raise_for, enterprises_raisable_by

pytestmark = pytest.mark.django_db


def test_the_choices_and_the_check_agree_for_everyone(org):
    enterprises = list(Enterprise.objects.all())
    for name, user in org.users.items():
        offered = set(enterprises_raisable_by(user).values_list("pk", flat=True))
        allowed = {e.pk for e in enterprises if can_raise_for(user, e)}
        assert offered == allowed, name


def test_a_leader_is_offered_no_enterprise(org):
    # A leader takes problems at the joint meeting; raising one is not among their verbs.
    assert not enterprises_raisable_by(org.users["leader1"]).exists()
