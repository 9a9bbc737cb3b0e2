"""Beat entries of the enterprises app (collected by zone_portal/celery.py)."""

from django.conf import settings

BEAT_SCHEDULE = {
    # Imports whose task was lost (broker down when queued, worker killed) are queued again.
    "enterprises-resume-imports": {
        "task": "enterprises.tasks.enterprise_imports_resume_task",
        "schedule": float(settings.SWEEP_INTERVAL_SECONDS),
        "options": {"expires": float(settings.SWEEP_INTERVAL_SECONDS)},
    },
}
