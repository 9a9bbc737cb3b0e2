from django.conf import settings

# A safety net: delivery is normally triggered on commit; this catches a lost message (a broker that
# was down when the rows were written, a worker killed before it finished).
BEAT_SCHEDULE = {
    "deliver-notifications": {
        "task": "zone_portal.notifications.tasks.deliver_notifications",
        "schedule": float(settings.OUTBOX_INTERVAL_SECONDS),
        "options": {"expires": float(settings.OUTBOX_INTERVAL_SECONDS)},
    },
}
