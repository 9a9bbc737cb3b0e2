from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "zone_portal.notifications"
    label = "notifications"

    def ready(self):
        from zone_portal.access.policy import ObjectKind, Scope, access_register, grant
        from zone_portal.accounts.roles import Role

        from .models import Notification
        from .selectors import notifications_visible_to

        access_register(
            ObjectKind(
                name="notification",
                model=Notification,
                visible_to=notifications_visible_to,
                read=grant(Role.values, Scope.OWN),
                act=grant(Role.values, Scope.OWN),
                description="The inbox: each person reads and marks their own.",
            )
        )
