from zone_portal.notifications.selectors import notifications_unread_count

from .navigation import nav_for, nav_menu_for


def portal(request):
    """Header data for every page: the role menu and the unread notification count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_menu": [], "unread_count": 0}
    menu = nav_menu_for(nav_for(user), request.path)
    return {"nav_menu": menu, "unread_count": notifications_unread_count(user)}
