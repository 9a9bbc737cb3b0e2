# A safety net: delivery is normally triggered on commit; this catches a lost message.
BEAT_SCHEDULE = {
    "deliver-notifications": {
        "task": "zone_portal.notifications.tasks.deliver_notifications",
        "schedule": 60.0,
    },
}
