from django.db.models import Q

from zone_portal.accounts.roles import STAFF_ROLES, Role

from .models import CsoAssignment, Enterprise


def enterprises_visible_to(user):
    """Zone staff see the register; enterprise staff only their own enterprises; others nothing."""
    qs = Enterprise.objects.select_related("park")
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser or user.has_role(*STAFF_ROLES, Role.SUPERVISOR):
        return qs
    if user.has_role(Role.ENTERPRISE_STAFF):
        return qs.filter(Q(memberships__user=user)).distinct()
    return qs.none()


def enterprise_current_cso(enterprise):
    assignment = (
        CsoAssignment.objects.filter(enterprise=enterprise, ended_at=None).select_related("officer").first()
    )
    return assignment.officer if assignment else None
