from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .actions import notification_mark_read
from .models import Notification
from .selectors import notification_for, notifications_visible_to


class NotificationSerializer(serializers.ModelSerializer):
    # In the reader's language (the request's), from the message's code and parameters.
    title = serializers.CharField(source="title_text", read_only=True)
    body = serializers.CharField(source="body_text", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at"]


class NotificationList(generics.ListAPIView):
    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()  # for the schema; real rows come from get_queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return notifications_visible_to(self.request.user)


@extend_schema(request=None, responses=NotificationSerializer)
@api_view(["POST"])
def notification_read(request, pk: int):
    notification = notification_for(request.user, pk)
    notification_mark_read(actor=request.user, notification_id=notification.pk)
    notification.refresh_from_db()
    return Response(NotificationSerializer(notification).data)


urlpatterns = [
    path("notifications/", NotificationList.as_view(), name="api-notifications"),
    path("notifications/<int:pk>/read/", notification_read, name="api-notification-read"),
]
