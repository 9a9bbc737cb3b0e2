from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Role codes as the API names them. One person may hold several."""

    ENTERPRISE_STAFF = "enterprise_staff", _("Enterprise staff")
    CLERK = "clerk", _("Service-center clerk")
    CSO = "cso", _("Chief service officer")
    PARK_OFFICER = "park_officer", _("Park officer")
    PARK_DIRECTOR = "park_director", _("Park director")
    DEPARTMENT_OFFICER = "department_officer", _("Department officer")
    LEADER = "leader", _("Leader")
    SUPERVISOR = "supervisor", _("Social supervisor")
    ADMIN = "admin", _("Administrator")
    HOTLINE = "hotline", _("12345 hotline client")
    # Reviews what is assigned to them (innovation-voucher redemptions), nothing else.
    EXPERT = "expert", _("Expert")


# Machine clients: accounts of other systems, each limited to its own endpoint (the hotline: its
# intake). They may not use the rest of the API nor sign in to the pages.
MACHINE_ROLES = frozenset({Role.HOTLINE})

# Roles that work for the zone (as opposed to enterprises, citizens and machine clients).
STAFF_ROLES = frozenset(
    {
        Role.CLERK,
        Role.CSO,
        Role.PARK_OFFICER,
        Role.PARK_DIRECTOR,
        Role.DEPARTMENT_OFFICER,
        Role.LEADER,
        Role.ADMIN,
    }
)
