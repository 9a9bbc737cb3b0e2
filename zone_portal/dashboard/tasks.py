from celery import shared_task

from .rollup import refresh


@shared_task(acks_late=True)
def refresh_rollups(full: bool = False):
    """Bring the dashboard's daily rollups up to date (see rollup.py); safe to run twice or at once.
    Answers how many cases of each fact it recounted."""
    report = refresh(full=full)
    return {name: part["cases"] for name, part in report.items()}
