from django.conf import settings

BEAT_SCHEDULE = {
    "safety-sweep-hazards": {
        "task": "safety.tasks.sweep_hazards",
        "schedule": float(settings.SWEEP_INTERVAL_SECONDS),
        # A sweep that waited longer than one interval is superseded by the next one.
        "options": {"expires": float(settings.SWEEP_INTERVAL_SECONDS)},
    },
}
