from zone_portal.notifications.selectors import notifications_unread_count

from .navigation import nav_for


def portal(request):
    """Header data for every page: the role menu and the unread notification count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "unread_count": 0}
    return {"nav_items": nav_for(user), "unread_count": notifications_unread_count(user)}
