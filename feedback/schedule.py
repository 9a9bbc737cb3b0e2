from django.conf import settings

BEAT_SCHEDULE = {
    "feedback-sweep-deadlines": {
        "task": "feedback.tasks.sweep_deadlines",
        "schedule": float(settings.SWEEP_INTERVAL_SECONDS),
        # A sweep that waited longer than one interval is superseded by the next one.
        "options": {"expires": float(settings.SWEEP_INTERVAL_SECONDS)},
    },
}
