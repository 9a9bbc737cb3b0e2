import os
from importlib import import_module

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zone_portal.settings")

app = Celery("zone_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Apps that own periodic sweeps describe them in `<app>/schedule.py` as BEAT_SCHEDULE.
SCHEDULE_MODULES = [
    "zone_portal.notifications.schedule",
    "enterprises.schedule",
    "services.schedule",
    "projects.schedule",
    "feedback.schedule",
    "zone_portal.dashboard.schedule",
]


@app.on_after_finalize.connect
def _collect_beat_schedule(sender, **kwargs):
    for name in SCHEDULE_MODULES:
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        sender.conf.beat_schedule.update(module.BEAT_SCHEDULE)
