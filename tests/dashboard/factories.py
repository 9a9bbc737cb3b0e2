"""Rows for constructed dashboard data sets, written directly (the dashboard only reads them): a
request in any state with the moments chosen by the test, its rating, its rectification."""

from datetime import datetime, timedelta
from itertools import count

from services.models import RequestStatus, ServiceRequest
from zone_portal.ratings.models import Rating, Rectification, RectificationStatus
from zone_portal.worktime.calendar import ZONE

_numbers = count(1)


def at(*args) -> datetime:
    """An aware moment in the zone's time: at(2026, 3, 9, 9, 0)."""
    return datetime(*args, tzinfo=ZONE)


def make_request(
    service,
    *,
    by,
    enterprise=None,
    submitted_at,
    status=RequestStatus.SUBMITTED,
    accepted_at=None,
    due_at=None,
    closed_at=None,
    paused_total=timedelta(0),
    agent=None,
    parent=None,
    is_bundle=False,
    department=None,
) -> ServiceRequest:
    return ServiceRequest.objects.create(
        number=f"T{next(_numbers):07d}",
        service=service,
        department=department or service.department,
        enterprise=enterprise,
        applicant_name="" if enterprise else "筹建中的公司",
        submitted_by=by,
        agent=agent,
        parent=parent,
        is_bundle=is_bundle,
        status=status,
        submitted_at=submitted_at,
        accepted_at=accepted_at,
        due_at=due_at,
        risk_at=due_at - timedelta(hours=1) if due_at else None,
        closed_at=closed_at,
        paused_total=paused_total,
    )


def completed(
    service, *, by, enterprise=None, accepted_at, closed_at, due_at=None, **kwargs
) -> ServiceRequest:
    return make_request(
        service,
        by=by,
        enterprise=enterprise,
        submitted_at=kwargs.pop("submitted_at", accepted_at),
        status=RequestStatus.COMPLETED,
        accepted_at=accepted_at,
        due_at=due_at or closed_at + timedelta(hours=1),
        closed_at=closed_at,
        **kwargs,
    )


def rate_case(case, *, score, rater, created_at, handler_department=None, enterprise=None) -> Rating:
    from django.contrib.contenttypes.models import ContentType

    return Rating.objects.create(
        content_type=ContentType.objects.get_for_model(case),
        object_id=case.pk,
        score=score,
        rater=rater,
        enterprise=enterprise if enterprise is not None else getattr(case, "enterprise", None),
        handler_department=handler_department or getattr(case, "department", None),
        case_label=str(case),
        case_url=case.get_absolute_url(),
        created_at=created_at,
    )


def rectify(
    rating, *, opened_at, verify_due_at, fix_due_at, status=RectificationStatus.OPEN, replied_at=None
):
    return Rectification.objects.create(
        rating=rating,
        department=rating.handler_department,
        status=status,
        opened_at=opened_at,
        verify_due_at=verify_due_at,
        fix_due_at=fix_due_at,
        replied_at=replied_at,
    )
