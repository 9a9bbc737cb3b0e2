"""Celery entry points of the projects sweeps: each calls one idempotent action."""

from celery import shared_task

from .actions import projects_flag_delays, projects_flag_missing_supervision


@shared_task(acks_late=True)
def flag_delayed_projects():
    return projects_flag_delays()


@shared_task(acks_late=True)
def flag_missing_supervision():
    return projects_flag_missing_supervision()
