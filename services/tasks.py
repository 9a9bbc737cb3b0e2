from celery import shared_task

from .actions import services_sweep


@shared_task(acks_late=True)
def sweep_deadlines():
    """Requests at risk / overdue and rectifications overdue: idempotent, safe to overlap."""
    return services_sweep()
