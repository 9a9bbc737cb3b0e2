import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zone_portal.settings")

app = Celery("zone_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _collect_beat_schedule(sender, **kwargs):
    """Every app that owns periodic work describes it in `<app>/schedule.py` as BEAT_SCHEDULE."""
    from zone_portal.contributions import app_modules

    for module in app_modules("schedule"):
        sender.conf.beat_schedule.update(module.BEAT_SCHEDULE)
