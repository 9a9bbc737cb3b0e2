from django.conf import settings

BEAT_SCHEDULE = {
    "services-sweep-deadlines": {
        "task": "services.tasks.sweep_deadlines",
        "schedule": float(settings.SWEEP_INTERVAL_SECONDS),
    },
}
