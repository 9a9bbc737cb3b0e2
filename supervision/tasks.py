from celery import shared_task

from .sweep import observations_sweep


@shared_task(acks_late=True)
def sweep_observations():
    """The periodic sweep of observations; safe to run twice or at once (see supervision/sweep.py)."""
    return observations_sweep()
