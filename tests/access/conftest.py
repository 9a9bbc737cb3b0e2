"""Fixtures of the access tests: an officer of another park (the demo's cso3) and a closed,
badly rated problem ticket of enterprise B."""

import pytest

from feedback.actions import escalation_defaults_install, ticket_confirm, ticket_raise, ticket_resolve
from zone_portal.accounts.models import User, UserRole
from zone_portal.accounts.roles import Role


@pytest.fixture
def cso3(demo):
    """A chief service officer of park 2 who, like every officer, belongs to 企业服务部."""
    user = User.objects.create_user("cso3", password=demo.password, display_name="首席服务员 王芳")
    UserRole.objects.create(user=user, role=Role.CSO)
    user.parks.add(demo.parks["park2"])
    user.departments.add(demo.departments["enterprise_service"])
    return user


@pytest.fixture
def badly_rated_ticket(demo):
    """ent_b's problem, resolved by its officer cso2 and confirmed with a score of 1."""
    escalation_defaults_install()
    ticket = ticket_raise(
        actor=demo.users["ent_b"],
        enterprise=demo.enterprises["B"],
        category="land",
        title="厂区道路积水",
        description="雨后厂区门口道路积水严重。",
    )
    ticket = ticket_resolve(actor=demo.users["cso2"], ticket=ticket, resolution="已联系疏通。")
    return ticket_confirm(
        actor=demo.users["ent_b"], ticket=ticket, solved=True, score=1, comment="敷衍了事，问题依旧"
    )
