from celery.schedules import crontab
from django.conf import settings

BEAT_SCHEDULE = {
    "dashboard-refresh-rollups": {
        "task": "zone_portal.dashboard.tasks.refresh_rollups",
        "schedule": float(settings.ROLLUP_INTERVAL_SECONDS),
    },
    # The safety net: recount every case once a night (see rollup.py).
    "dashboard-rebuild-rollups": {
        "task": "zone_portal.dashboard.tasks.refresh_rollups",
        "schedule": crontab(hour=3, minute=17),
        "kwargs": {"full": True},
    },
}
