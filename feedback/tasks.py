from celery import shared_task

from .sweep import tickets_sweep


@shared_task(acks_late=True)
def sweep_deadlines():
    """The periodic deadline sweep; safe to run twice or at once (see feedback/sweep.py)."""
    return tickets_sweep()
