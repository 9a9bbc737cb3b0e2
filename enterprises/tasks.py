"""Celery entry points of the enterprises app: each calls one action and is safe to run twice."""

from celery import shared_task

from .actions import enterprise_import_run, enterprise_import_validate


@shared_task(acks_late=True)
def enterprise_import_validate_task(job_id: int) -> None:
    enterprise_import_validate(job_id=job_id)


@shared_task(acks_late=True)
def enterprise_import_run_task(job_id: int) -> None:
    enterprise_import_run(job_id=job_id)


@shared_task(acks_late=True)
def enterprise_imports_resume_task() -> int:
    from .actions import enterprise_imports_resume

    return enterprise_imports_resume()
