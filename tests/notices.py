"""Reading a notification as each recipient does: its e-mail in the recipient's `User.language`,
its inbox line in the page's language."""

from zone_portal.notifications.actions import notification_email
from zone_portal.notifications.models import Notification


def reads(user, language: str):
    """`user` chose `language` (as the language switch remembers it)."""
    user.language = language
    user.save(update_fields=["language"])
    return user


def subjects(user, code: str) -> list[str]:
    """The subjects of the e-mails `user` gets for the messages `code`, oldest first."""
    rows = Notification.objects.filter(recipient=user, code=code).select_related("recipient").order_by("id")
    return [notification_email(row)[0] for row in rows]


def email(user, code: str) -> str:
    """The text of the last e-mail `user` gets for the message `code`."""
    row = Notification.objects.filter(recipient=user, code=code).select_related("recipient").latest("id")
    return notification_email(row)[1]
