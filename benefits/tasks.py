"""Celery entry points of the benefits sweeps: each calls one idempotent action."""

from celery import shared_task

from .actions import applications_sweep, vouchers_sweep


@shared_task(acks_late=True)
def sweep_applications():
    return applications_sweep()


@shared_task(acks_late=True)
def sweep_vouchers():
    return vouchers_sweep()
