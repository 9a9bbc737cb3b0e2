from django.conf import settings

BEAT_SCHEDULE = {
    "supervision-sweep-observations": {
        "task": "supervision.tasks.sweep_observations",
        "schedule": float(settings.SWEEP_INTERVAL_SECONDS),
        "options": {"expires": float(settings.SWEEP_INTERVAL_SECONDS)},
    },
}
