"""Every write of the good/bad ratings (好差评) and their rectifications (整改).

Each function is one transition: atomic, the rectification row locked (`select_for_update`), the
transition checked against `RECTIFICATION_TRANSITIONS`, the event recorded, and notifications
written to the outbox in the same transaction. The rated case is whatever the caller passes; the
caller decides who may rate it and when, the case's `Rateable` declaration (`registry.py`) who
answers for the rating.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zone_portal.access.scopes import DEPARTMENT_ROLES
from zone_portal.accounts.models import User
from zone_portal.cases.transitions import case_move
from zone_portal.cases.unique import refuse_duplicate
from zone_portal.checks import text_input
from zone_portal.dates import minute_text
from zone_portal.errors import Conflict, InvalidInput, PermissionDeniedError, TransitionForbidden
from zone_portal.events.log import event_record
from zone_portal.notifications.actions import notify
from zone_portal.worktime.calendar import add_working_days

from . import notices, permissions
from .models import FixScore, Rating, Rectification, RectificationStatus, Score
from .registry import (
    Responsible,
    rateable_responsible,
    rectification_deadlines,
    rectification_overseers,
)

R = RectificationStatus


def _now():
    return timezone.now()


def rating_submit(
    *,
    actor,
    case,
    score: int,
    comment: str = "",
    handler=None,
    handler_department=None,
    enterprise=None,
) -> Rating:
    """Record the one rating of a finished `case` (any model instance: a service request, a problem
    ticket). The caller has checked that `actor` may rate it and that the case is finished.

    Who answers for it (谁办理谁负责) is what the case's kind declares (`Rateable.responsible`), so
    every caller rates the same way; a caller rating a case of no declared kind may name the
    `handler`, `handler_department` and `enterprise` itself (each one it names replaces the declared
    one; the others stay as declared).

    A second rating of the same case raises `Conflict` (409), also when two arrive at once (unique
    constraint). A bad review (score 1 or 2) opens a `Rectification` owned by the handler's
    department and the handler, with its deadlines computed from the administrator's settings; the
    department's members and the handler are notified. An event `rated` is recorded on the case.
    """
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if score not in Score.values:
        raise InvalidInput(_("Choose a score from 1 to 5."), fields={"score": [_("1 to 5.")]})
    named = Responsible(handler, handler_department, enterprise)
    declared = rateable_responsible(case)
    responsible = Responsible(
        *(given if given is not None else kind for given, kind in zip(named, declared, strict=True))
    )
    ct = ContentType.objects.get_for_model(case)
    label = str(case)[:200]
    url = case.get_absolute_url() if hasattr(case, "get_absolute_url") else ""
    now = _now()
    with transaction.atomic():
        already_rated = Conflict(_("This service has already been rated."), code="already_rated")
        if Rating.objects.filter(content_type=ct, object_id=case.pk).exists():
            raise already_rated
        with refuse_duplicate(already_rated):
            rating = Rating.objects.create(
                content_type=ct,
                object_id=case.pk,
                score=score,
                comment=comment,
                rater=actor,
                enterprise=responsible.enterprise,
                handler=responsible.handler,
                handler_department=responsible.department,
                case_label=label,
                case_url=url,
                created_at=now,
            )
        event_record(
            case=case, kind="rated", actor=actor, reason=comment, data={"score": score, "bad": rating.is_bad}
        )
        if rating.is_bad:
            _rectification_open(rating, now=now)
    return rating


def _department_members(department_id) -> list[int]:
    """Who acts for the department (its officers and clerks): other roles filed under it, such as
    every chief service officer under 企业服务部, are not told of another officer's bad review."""
    if department_id is None:
        return []
    members = User.objects.filter(
        departments=department_id, is_active=True, role_grants__role__in=DEPARTMENT_ROLES
    )
    return list(members.values_list("id", flat=True).distinct())


def _handler_side(rectification) -> list[int]:
    """Whoever handled the case and the people acting for the responsible department."""
    return [rectification.handler_id, *_department_members(rectification.department_id)]


def _tell(rectification, recipients, code: str, **params) -> None:
    """Notify `recipients` about `rectification` with the message `code`, which names the rated
    case (and `params`) and links to the rectification's page."""
    notify(
        recipients=recipients,
        code=code,
        params={"case": rectification.rating.case_label, **params},
        url=rectification.get_absolute_url(),
        kind="rectification",
    )


def _rectification_open(rating: Rating, *, now) -> Rectification:
    verify_days, fix_days = rectification_deadlines()
    rectification = Rectification.objects.create(
        rating=rating,
        department=rating.handler_department,
        handler=rating.handler,
        opened_at=now,
        verify_due_at=add_working_days(now, float(verify_days)),
        fix_due_at=add_working_days(now, float(fix_days)),
    )
    event_record(
        case=rectification, kind="opened", actor=rating.rater, to_state=R.OPEN, reason=rating.comment
    )
    _tell(
        rectification,
        _handler_side(rectification),
        notices.BAD_REVIEW,
        due=minute_text(rectification.verify_due_at),
        text=rating.comment,
    )
    return rectification


def _lock_rectification(rectification) -> Rectification:
    return (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("rating")
        .get(pk=rectification.pk)
    )


def _lock_for_worker(actor, rectification) -> Rectification:
    """The rectification locked, for the responsible department's side only (403 otherwise)."""
    locked = _lock_rectification(rectification)
    if not permissions.may_work_rectification(actor, locked):
        raise PermissionDeniedError(_("Only the responsible department handles this rectification."))
    return locked


def _rectification_move(locked, to, values: dict, *, actor, kind: str, reason: str) -> None:
    """Set `values` on the locked rectification and move it to `to` (`case_move`: the transition
    table guards it), saving them with the status and recording the move as `kind` with `reason`."""
    for name, value in values.items():
        setattr(locked, name, value)
    case_move(locked, to, actor=actor, kind=kind, reason=reason, fields=list(values))


def rectification_verify(*, actor, rectification, finding: str, fixed_at_once: bool = False) -> Rectification:
    """The department verifies the complaint (核实). What can be fixed at once is fixed at once
    (立行立改): then the finding is also the reply and the callback is next."""
    text_input(finding, "finding", message=_("Write what you found."), missing=_("Required."))
    now = _now()
    with transaction.atomic():
        locked = _lock_for_worker(actor, rectification)
        if locked.status != R.OPEN:
            raise TransitionForbidden(_("This rectification has been verified already."))
        values = {"verified_at": now, "finding": finding, "fixed_at_once": fixed_at_once}
        if fixed_at_once:
            values.update(replied_at=now, reply=finding)
        to = R.REPLIED if fixed_at_once else R.FIXING
        _rectification_move(locked, to, values, actor=actor, kind="verified", reason=finding)
    return locked


def rectification_reply(*, actor, rectification, reply: str) -> Rectification:
    """The department replies with what it fixed (整改答复)."""
    text_input(reply, "reply", message=_("Write the reply."), missing=_("Required."))
    with transaction.atomic():
        locked = _lock_for_worker(actor, rectification)
        if locked.status == R.OPEN:  # the table allows it only for a fix at once, when verifying
            raise TransitionForbidden(_("Verify the complaint before replying."))
        values = {"replied_at": _now(), "reply": reply}
        _rectification_move(locked, R.REPLIED, values, actor=actor, kind="replied", reason=reply)
    return locked


def rectification_callback(*, actor, rectification, note: str) -> Rectification:
    """The mandatory callback (回访) to the enterprise; then the enterprise rates the fix."""
    text_input(note, "note", message=_("Record what the enterprise said."), missing=_("Required."))
    with transaction.atomic():
        locked = _lock_for_worker(actor, rectification)
        values = {"called_back_at": _now(), "callback_note": note}
        _rectification_move(locked, R.CALLED_BACK, values, actor=actor, kind="called_back", reason=note)
        _tell(locked, [locked.rating.rater_id], notices.RATE_THE_FIX)
    return locked


def rectification_rate_fix(*, actor, rectification, fix_score: str, comment: str = "") -> Rectification:
    """The enterprise rates the fix. Satisfied or basically satisfied closes the rectification;
    dissatisfied sends it back to the department with a new fix deadline (tracked to the end)."""
    if fix_score not in FixScore.values:
        raise InvalidInput(_("Choose how satisfied you are."), fields={"fix_score": [_("Required.")]})
    now = _now()
    with transaction.atomic():
        locked = _lock_rectification(rectification)
        if not permissions.may_rate_fix(actor, locked):
            raise PermissionDeniedError(_("Only the enterprise that gave the review rates the fix."))
        if locked.status != R.CALLED_BACK:
            raise TransitionForbidden(_("The fix can be rated after the callback."))
        values = {"fix_score": fix_score, "fix_comment": comment}
        if fix_score == FixScore.DISSATISFIED:
            _verify_days, fix_days = rectification_deadlines()
            values.update(fix_due_at=add_working_days(now, float(fix_days)), fix_overdue_marked_at=None)
            _rectification_move(locked, R.FIXING, values, actor=actor, kind="fix_rejected", reason=comment)
            _tell(locked, _handler_side(locked), notices.FIX_NOT_SATISFIED, text=comment)
        else:
            values["closed_at"] = now
            _rectification_move(locked, R.CLOSED, values, actor=actor, kind="closed", reason=comment)
    return locked


def rectification_appeal(*, actor, rectification, reason: str) -> Rectification:
    """The handler's side appeals a malicious review (申诉复核); a supervisor or administrator decides."""
    text_input(reason, "reason", message=_("Explain the appeal."), missing=_("Required."))
    with transaction.atomic():
        locked = _lock_for_worker(actor, rectification)
        values = {"appeal_from": locked.status, "appeal_reason": reason}
        _rectification_move(locked, R.APPEALED, values, actor=actor, kind="appealed", reason=reason)
        _tell(locked, rectification_overseers(), notices.APPEAL, text=reason)
    return locked


def rectification_decide_appeal(*, actor, rectification, uphold: bool, decision: str) -> Rectification:
    """Uphold the appeal (the review is void, nothing to fix) or dismiss it (back where it was)."""
    if not permissions.may_decide_appeal(actor):
        raise PermissionDeniedError(_("Only a supervisor or an administrator decides appeals."))
    text_input(decision, "decision", message=_("Give the reasons for the decision."), missing=_("Required."))
    with transaction.atomic():
        locked = _lock_rectification(rectification)
        if locked.status != R.APPEALED:
            raise TransitionForbidden(_("There is no appeal to decide."))
        to = R.VOIDED if uphold else R(locked.appeal_from or R.OPEN)
        values = {"appeal_decision": decision, "appeal_decided_by": actor}
        if uphold:
            values["closed_at"] = _now()
        kind = "appeal_upheld" if uphold else "appeal_dismissed"
        _rectification_move(locked, to, values, actor=actor, kind=kind, reason=decision)
        _tell(
            locked,
            _handler_side(locked),
            notices.APPEAL_UPHELD if uphold else notices.APPEAL_DISMISSED,
            text=decision,
        )
    return locked
