from celery import shared_task

from .actions import notifications_deliver_all


@shared_task(acks_late=True)
def deliver_notifications():
    return notifications_deliver_all()
