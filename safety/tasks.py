from celery import shared_task

from .sweep import hazards_sweep


@shared_task(acks_late=True)
def sweep_hazards():
    """The periodic hazard sweep; safe to run twice or at once (see safety/sweep.py)."""
    return hazards_sweep()
