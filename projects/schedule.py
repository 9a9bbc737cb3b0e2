"""Beat entries of the projects app (collected by zone_portal/celery.py).

Both sweeps are exactly-once and cheap when there is nothing to do, so they run at the common sweep
interval rather than at a fixed hour: a missed beat (server down on Monday morning) is caught up at
the next run instead of being lost.
"""

from django.conf import settings

BEAT_SCHEDULE = {
    "projects-flag-delays": {
        "task": "projects.tasks.flag_delayed_projects",
        "schedule": float(settings.SWEEP_INTERVAL_SECONDS),
    },
    "projects-flag-missing-supervision": {
        "task": "projects.tasks.flag_missing_supervision",
        "schedule": float(settings.SWEEP_INTERVAL_SECONDS),
    },
}
