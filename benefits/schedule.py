"""Beat entries of the benefits app: exactly-once sweeps, cheap with nothing due, so they run at the
common sweep interval (a missed beat is caught up at the next run)."""

from django.conf import settings

BEAT_SCHEDULE = {
    "benefits-applications": {
        "task": "benefits.tasks.sweep_applications",
        "schedule": float(settings.SWEEP_INTERVAL_SECONDS),
    },
    "benefits-vouchers": {
        "task": "benefits.tasks.sweep_vouchers",
        "schedule": float(settings.SWEEP_INTERVAL_SECONDS),
    },
}
