from zone_portal.access import get_visible_or_404

from .models import Notification


def notifications_visible_to(user):
    return Notification.objects.filter(recipient=user)


def notification_for(user, pk) -> Notification:
    """The user's notification `pk`; Http404 alike for missing and someone else's."""
    return get_visible_or_404(notifications_visible_to(user), pk)


def notifications_unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).count()
