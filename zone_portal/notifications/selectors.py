from .models import Notification


def notifications_visible_to(user):
    return Notification.objects.filter(recipient=user)


def notifications_unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).count()
