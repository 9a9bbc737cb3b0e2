"""Every write of the services app.

Each function is one transition: atomic, the row locked (`select_for_update`) or changed by a
conditional UPDATE, the transition checked against the model's table, the event recorded, and
notifications written to the outbox in the same transaction.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zone_portal.cases.checklist import (
    checklist_asked,
    checklist_require,
    checklist_slot_names,
    checklist_slots_asked,
    supplement_round_check,
)
from zone_portal.cases.clock import deadline_resume
from zone_portal.cases.lateness import Lateness, lateness_q
from zone_portal.cases.sweep import Notice, sweep_record, sweep_step
from zone_portal.cases.transitions import can_transition, case_move, transition
from zone_portal.cases.unique import refuse_duplicate
from zone_portal.dates import minute_text
from zone_portal.errors import Conflict, InvalidInput, PermissionDeniedError, TransitionForbidden
from zone_portal.events.log import event_record
from zone_portal.notifications.actions import notify
from zone_portal.ratings.actions import rating_submit
from zone_portal.ratings.models import Rating
from zone_portal.ratings.sweep import rectifications_sweep
from zone_portal.uploads import DOCUMENTS, content_type_of, upload_count_check, uploads_check

from . import notices, permissions
from .clock import clock_start
from .models import (
    Appointment,
    AppointmentSlot,
    Material,
    RequestCounter,
    RequestStatus,
    ServiceItem,
    ServiceRequest,
    ServiceSettings,
)
from .selectors import center_heads, service_settings

S = RequestStatus

NOT_ASSIGNEE = gettext_lazy("Claim this request first: only its assignee can do this.")


def _now():
    return timezone.now()


def _lock(service_request: ServiceRequest) -> ServiceRequest:
    """Lock the request for this transaction, a bundle's item after its bundle.

    One lock order for every action: the bundle, then its items in id order. An item's action
    locks the bundle too (its status follows the items), and the withdrawal locks the bundle and
    then every item; in any other order the two wait for each other (a deadlock on PostgreSQL).
    An item never changes bundle, so its `parent_id` can be read before the lock."""
    if service_request.parent_id is not None:
        list(
            ServiceRequest.objects.select_for_update().filter(pk=service_request.parent_id).values_list("pk")
        )
    return (
        ServiceRequest.objects.select_for_update(of=("self",))
        .select_related("service", "parent")
        .get(pk=service_request.pk)
    )


def _applicant_recipients(service_request) -> list:
    return [service_request.submitted_by_id, service_request.agent_id]


def _tell(service_request, recipients, code: str, **params) -> None:
    """Notify `recipients` about `service_request` with the message `code`, which names the
    request's number (and `params`) and links to its page."""
    notify(
        recipients=recipients,
        code=code,
        params={"number": service_request.number, **params},
        url=service_request.get_absolute_url(),
        kind="service_request",
    )


# --------------------------------------------------------------------------------------------------
# Settings


def service_settings_update(*, actor, **values) -> ServiceSettings:
    """An administrator changes the center's numbers; the change is recorded with the old values.
    New values apply to clocks started and rectifications opened from now on."""
    if not actor.is_zone_admin:
        raise PermissionDeniedError()
    with transaction.atomic():
        row = service_settings()
        row = ServiceSettings.objects.select_for_update().get(pk=row.pk)
        before = {name: str(getattr(row, name)) for name in values}
        for name, value in values.items():
            setattr(row, name, value)
        row.full_clean()
        row.save()
        event_record(
            case=row,
            kind="settings_changed",
            actor=actor,
            data={"before": before, "after": {name: str(getattr(row, name)) for name in values}},
        )
    return row


# --------------------------------------------------------------------------------------------------
# Numbers


def request_number_next(*, now=None) -> str:
    """The next number of the day, `FW20261130-0001`: unique under concurrency because the day's
    counter row is incremented by an UPDATE that holds its lock until our transaction ends."""
    day = timezone.localdate(now or _now())
    with transaction.atomic():
        if not RequestCounter.objects.filter(day=day).update(last=F("last") + 1):
            try:
                with transaction.atomic():
                    RequestCounter.objects.create(day=day, last=1)
            except IntegrityError:  # another transaction created the day's row first
                RequestCounter.objects.filter(day=day).update(last=F("last") + 1)
        last = RequestCounter.objects.filter(day=day).values_list("last", flat=True).get()
    return f"FW{day:%Y%m%d}-{last:04d}"


# --------------------------------------------------------------------------------------------------
# Materials


def _store_materials(
    *, actor, service_request, uploads: Sequence, kinds: Sequence[str], slots: Sequence[str] = ()
) -> list[Material]:
    """Store checked uploads on a locked request, within the cap of files per case (409 beyond);
    `slots` names each upload's material of the checklist (blank: another file)."""
    upload_count_check(existing=service_request.materials.count(), adding=len(uploads), field="files")
    slots = list(slots) or [""] * len(uploads)
    stored = []
    for upload, kind, slot in zip(uploads, kinds, slots, strict=True):
        material = Material(
            request=service_request,
            slot=slot,
            kind=kind,
            content_type=content_type_of(kind),
            original_name=(upload.name or "file")[:200],
            size=upload.size,
            uploaded_by=actor,
        )
        material.file.save(f"upload.{kind}", upload, save=False)
        material.save()
        stored.append(material)
    return stored


def materials_check(uploads: Iterable) -> list[str]:
    """The kind of each upload, or InvalidInput for the first one refused (before anything is saved)."""
    return uploads_check(uploads, accept=DOCUMENTS)


def _flatten_slots(uploads: Sequence, slot_uploads: Mapping[str, Sequence] | None) -> tuple[list, list[str]]:
    """The files of the checklist's slots after the other files, with each file's slot."""
    files, slots = list(uploads), [""] * len(uploads)
    for slot, given in (slot_uploads or {}).items():
        for upload in given:
            files.append(upload)
            slots.append(slot)
    return files, slots


def material_add(
    *, actor, service_request: ServiceRequest, uploads: Sequence, slot: str = ""
) -> list[Material]:
    """Attach files to an open request: the applicant side while it is open, its handler too;
    `slot` names the material of the checklist they are (blank: another file).

    Files are checked by content (PDF, JPEG, PNG, DOCX, XLSX) and size before anything is written.
    """
    kinds = materials_check(uploads)
    if slot:
        checklist_slot_names(service_request.service.checklist, [slot])
    if not uploads:
        raise InvalidInput(_("Choose at least one file."), fields={"file": [_("Choose at least one file.")]})
    with transaction.atomic():
        locked = _lock(service_request)
        if locked.is_final:
            raise TransitionForbidden(_("Materials cannot be added to a closed request."))
        if not (permissions.is_applicant_side(actor, locked) or locked.assignee_id == actor.pk):
            raise PermissionDeniedError()
        stored = _store_materials(
            actor=actor, service_request=locked, uploads=uploads, kinds=kinds, slots=[slot] * len(uploads)
        )
        event_record(
            case=locked,
            kind="materials_added",
            actor=actor,
            data={"files": [m.original_name for m in stored], "slot": slot},
        )
    return stored


# --------------------------------------------------------------------------------------------------
# Requests


def request_submit(
    *,
    actor,
    service: ServiceItem,
    enterprise=None,
    applicant_name: str = "",
    applicant_phone: str = "",
    description: str = "",
    uploads: Sequence = (),
    slot_uploads: Mapping[str, Sequence] | None = None,
) -> ServiceRequest:
    """File a request for `enterprise` (or, for a company being founded, for `applicant_name`).

    Enterprise staff file for their own enterprise; an agent (clerk, CSO, park officer) files on an
    enterprise's behalf and is recorded as the agent (help and agency, 帮办代办). A bundle creates
    one child request per item, numbered after it (`FW…-0001-1`).

    `slot_uploads` ({material name: files}) fills the service's checklist (一次性告知): given, every
    required material must have a file (all missing ones are named at once) and no file may name a
    material the checklist does not have. `uploads` are other files.
    """
    if not service.active:
        raise InvalidInput(
            _("This service is not offered at the moment."), fields={"service": [_("Inactive.")]}
        )
    if enterprise is None and not applicant_name.strip():
        raise InvalidInput(
            _("Name the enterprise, or the applicant of a company being founded."),
            fields={"enterprise": [_("Required.")]},
        )
    if not permissions.may_file_for(actor, enterprise):
        raise PermissionDeniedError(_("You cannot file requests for this enterprise."))
    agent = None if permissions.is_member_of(actor, getattr(enterprise, "pk", None)) else actor
    if agent is not None and not service.agency_offered:
        raise InvalidInput(
            _("Help and agency is not offered for this service: the applicant files it."),
            fields={"service": [_("No agency for this service.")]},
        )
    uploads, slots = _flatten_slots(uploads, slot_uploads)
    kinds = materials_check(uploads)  # a refused file is named first, before what is missing
    if slot_uploads is not None:
        checklist = service.checklist
        checklist_slot_names(checklist, slot_uploads)
        checklist_require(checklist, [slot for slot, files in slot_uploads.items() if files])
    now = _now()
    components = list(service.components.select_related("department").order_by("order", "code"))
    with transaction.atomic():
        number = request_number_next(now=now)
        common = {
            "enterprise": enterprise,
            "applicant_name": applicant_name.strip(),
            "applicant_phone": applicant_phone.strip(),
            "description": description,
            "submitted_by": actor,
            "agent": agent,
            "submitted_at": now,
        }
        parent = ServiceRequest.objects.create(
            number=number,
            service=service,
            department=service.department,
            is_bundle=bool(components),
            **common,
        )
        children = [
            ServiceRequest(
                number=f"{number}-{i}", service=item, department=item.department, parent=parent, **common
            )
            for i, item in enumerate(components, start=1)
        ]
        ServiceRequest.objects.bulk_create(children)
        if uploads:
            _store_materials(actor=actor, service_request=parent, uploads=uploads, kinds=kinds, slots=slots)
        data = {"agency": agent is not None, "items": [c.number for c in children]}
        event_record(case=parent, kind="submitted", actor=actor, to_state=S.SUBMITTED, data=data)
        for child in children:
            event_record(
                case=child, kind="submitted", actor=actor, to_state=S.SUBMITTED, data={"bundle": number}
            )
        if agent is not None and enterprise is not None:
            _tell(
                parent,
                enterprise.memberships.values_list("user_id", flat=True),
                notices.FILED_FOR_YOU,
                agent=str(actor),
            )
    return parent


def request_claim(*, actor, service_request: ServiceRequest) -> ServiceRequest:
    """Take an unclaimed request. Exactly one of two clerks claiming at once wins (a conditional
    UPDATE on `assignee IS NULL`); the other gets 409 naming who has it."""
    if not permissions.is_handler(actor, service_request):
        raise PermissionDeniedError(
            _("Only the service center's clerks and the department can claim requests.")
        )
    now = _now()
    with transaction.atomic():
        won = (
            ServiceRequest.objects.filter(pk=service_request.pk, assignee=None, is_bundle=False)
            .exclude(status__in=[S.COMPLETED, S.REJECTED, S.WITHDRAWN])
            .update(assignee=actor, claimed_at=now)
        )
        current = ServiceRequest.objects.select_related("assignee").get(pk=service_request.pk)
        if not won:
            if current.assignee_id == actor.pk:
                raise Conflict(_("You have already claimed this request."), code="already_claimed")
            if current.assignee_id is not None:
                raise Conflict(
                    _("%(name)s has already claimed this request.") % {"name": current.assignee},
                    code="claimed_by_other",
                    fields={"assignee": [str(current.assignee)]},
                )
            raise TransitionForbidden(_("This request cannot be claimed."))
        event_record(case=current, kind="claimed", actor=actor, data={"assignee": actor.username})
    return current


def request_release(*, actor, service_request: ServiceRequest) -> ServiceRequest:
    """Put a claimed request back in the unclaimed queue (its assignee, or an administrator)."""
    with transaction.atomic():
        locked = _lock(service_request)
        if locked.assignee_id is None:
            raise TransitionForbidden(_("This request is not claimed."))
        if locked.assignee_id != actor.pk and not actor.is_zone_admin:
            raise PermissionDeniedError(_("Only its assignee or an administrator can release it."))
        if locked.is_final:
            raise TransitionForbidden(_("A closed request stays with its handler."))
        previous = locked.assignee
        locked.assignee, locked.claimed_at = None, None
        locked.save(update_fields=["assignee", "claimed_at"])
        event_record(case=locked, kind="released", actor=actor, data={"previous": previous.username})
    return locked


def request_reassign(*, actor, service_request: ServiceRequest, assignee) -> ServiceRequest:
    """Hand a request to another handler (its assignee, or an administrator for any request)."""
    with transaction.atomic():
        locked = _lock(service_request)
        if locked.is_final or locked.is_bundle:
            raise TransitionForbidden(_("This request cannot be reassigned."))
        if locked.assignee_id != actor.pk and not actor.is_zone_admin:
            raise PermissionDeniedError(_("Only its assignee or an administrator can reassign it."))
        if not permissions.is_handler(assignee, locked):
            raise InvalidInput(
                _("%(name)s cannot handle this request.") % {"name": assignee},
                fields={"assignee": [_("Not a handler of this service.")]},
            )
        if locked.assignee_id == assignee.pk:
            raise Conflict(_("%(name)s already has this request.") % {"name": assignee})
        previous = locked.assignee
        locked.assignee, locked.claimed_at = assignee, _now()
        locked.save(update_fields=["assignee", "claimed_at"])
        event_record(
            case=locked,
            kind="reassigned",
            actor=actor,
            data={"from": previous.username if previous else None, "to": assignee.username},
        )
        _tell(locked, [assignee], notices.HANDED)
    return locked


def _require_assignee(actor, locked):
    if locked.assignee_id != actor.pk:
        raise PermissionDeniedError(NOT_ASSIGNEE)


def _start_clock(locked, item, now):
    clock = clock_start(item, now, at_risk_ratio=service_settings().at_risk_ratio)
    locked.accepted_at = now
    locked.time_limit, locked.risk_at, locked.due_at = clock.allowed, clock.risk_at, clock.due_at


def _pause_clock(locked, now):
    locked.paused_at = now


def _resume_clock(locked, now):
    if locked.paused_at is None or locked.due_at is None:
        return
    (locked.risk_at, locked.due_at), paused = deadline_resume(
        locked.risk_at, locked.due_at, paused_at=locked.paused_at, now=now
    )
    locked.paused_total += paused
    locked.paused_at = None


CLOCK_FIELDS = ["accepted_at", "time_limit", "risk_at", "due_at", "paused_at", "paused_total"]


def request_accept(*, actor, service_request: ServiceRequest) -> ServiceRequest:
    """Accept (受理): the promised clock starts now, on the working-time calendar."""
    now = _now()
    with transaction.atomic():
        locked = _lock(service_request)
        _require_assignee(actor, locked)
        if locked.status != S.SUBMITTED:
            raise TransitionForbidden(_("Only a submitted request can be accepted."))
        _start_clock(locked, locked.service, now)
        due = {"due_at": locked.due_at.isoformat()}
        case_move(locked, S.ACCEPTED, actor=actor, kind="accepted", fields=CLOCK_FIELDS, data=due)
        _tell(
            locked,
            _applicant_recipients(locked),
            notices.ACCEPTED,
            due=minute_text(locked.due_at),
        )
        _bundle_follow(locked, actor=actor, now=now)
    return locked


def request_request_supplement(
    *,
    actor,
    service_request: ServiceRequest,
    missing: Sequence[str] = (),
    note: str = "",
    other: Sequence[str] = (),
    reason: str = "",
) -> ServiceRequest:
    """Ask for a supplement (一次性告知): the ticked materials of the service's checklist (`missing`;
    a name the checklist does not have counts as one of `other`), all at once, with a note; the
    clock pauses. A second round (二次补正) needs a `reason`; rounds are counted on the request."""
    checklist = service_request.service.checklist
    known = {item.name for item in checklist}
    missing = [m.strip() for m in missing if m and m.strip()]
    asked = checklist_asked(
        checklist, [m for m in missing if m in known], [*(m for m in missing if m not in known), *other]
    )
    now = _now()
    with transaction.atomic():
        locked = _lock(service_request)
        _require_assignee(actor, locked)
        previous = transition(locked, S.SUPPLEMENT_REQUIRED)
        supplement_round_check(locked.supplement_rounds, reason)
        locked.supplement_missing, locked.supplement_note = asked, note
        locked.supplement_rounds += 1
        locked.supplement_reason = reason.strip() if locked.supplement_rounds > 1 else ""
        _pause_clock(locked, now)
        locked.save(
            update_fields=[
                "status",
                "supplement_missing",
                "supplement_note",
                "supplement_rounds",
                "supplement_reason",
                "paused_at",
            ]
        )
        event_record(
            case=locked,
            kind="supplement_requested",
            actor=actor,
            from_state=previous,
            to_state=S.SUPPLEMENT_REQUIRED,
            reason=note if locked.supplement_rounds == 1 else f"{reason.strip()}\n{note}".strip(),
            data={"missing": asked, "round": locked.supplement_rounds},
        )
        _tell(
            locked,
            _applicant_recipients(locked),
            notices.SUPPLEMENT_REQUESTED,
            missing="、".join(asked),
            text=note,
        )
        _bundle_follow(locked, actor=actor, now=now)
    return locked


def request_supplement(
    *,
    actor,
    service_request: ServiceRequest,
    note: str = "",
    uploads: Sequence = (),
    slot_uploads: Mapping[str, Sequence] | None = None,
) -> ServiceRequest:
    """The applicant supplies what was missing: the clock resumes, the due time moves later by the
    working time the request waited. `slot_uploads` ({material name: files}) fills the checklist's
    slots that were asked for."""
    if slot_uploads:
        checklist_slot_names(service_request.service.checklist, slot_uploads)
    uploads, slots = _flatten_slots(uploads, slot_uploads)
    kinds = materials_check(uploads)
    if not uploads and not note.strip():
        raise InvalidInput(
            _("Attach the missing materials or explain."),
            fields={"file": [_("Attach a file or write a note.")]},
        )
    now = _now()
    with transaction.atomic():
        locked = _lock(service_request)
        if not permissions.is_applicant_side(actor, locked):
            raise PermissionDeniedError(_("Only the applicant can supply materials."))
        if locked.status != S.SUPPLEMENT_REQUIRED:
            raise TransitionForbidden(_("No supplement was asked for."))
        checklist_slots_asked(
            [name for name, files in (slot_uploads or {}).items() if files], locked.supplement_missing
        )
        _resume_clock(locked, now)
        stored = _store_materials(
            actor=actor, service_request=locked, uploads=uploads, kinds=kinds, slots=slots
        )
        data = {"files": [m.original_name for m in stored], "due_at": locked.due_at.isoformat()}
        case_move(
            locked, S.ACCEPTED, actor=actor, kind="supplemented", fields=CLOCK_FIELDS, reason=note, data=data
        )
        _tell(locked, [locked.assignee_id], notices.SUPPLEMENTED, text=note)
        _bundle_follow(locked, actor=actor, now=now)
    return locked


class _Closing(NamedTuple):
    """How an accepted request closes to a status: the field that keeps the handler's text, the
    message when it is blank, the event's kind, the applicant's notice, and whether a bundle's item
    tells the applicant itself (or leaves it to the bundle)."""

    text_field: str
    missing: str
    kind: str
    notice: str
    tell_items: bool


_CLOSINGS = {
    S.COMPLETED: _Closing(
        "result",
        gettext_lazy("Describe the result."),
        "completed",
        notices.COMPLETED,
        tell_items=False,  # the bundle's completion tells the applicant
    ),
    S.REJECTED: _Closing(
        "reject_reason", gettext_lazy("Give the reason."), "rejected", notices.REJECTED, tell_items=True
    ),
}


def _request_close(*, actor, service_request: ServiceRequest, to, text: str) -> ServiceRequest:
    """Close an accepted request (`to`: completed or rejected, as `_CLOSINGS` says) with the
    handler's text: the status, the text, the closing moment and the handler saved, the event
    recorded (a completion with whether it was on time, a rejection with its reason), the applicant
    told, the bundle followed."""
    closing = _CLOSINGS[to]
    if not text.strip():
        raise InvalidInput(closing.missing, fields={closing.text_field: [_("Required.")]})
    now = _now()
    with transaction.atomic():
        locked = _lock(service_request)
        _require_assignee(actor, locked)
        setattr(locked, closing.text_field, text)
        locked.closed_at, locked.handled_by = now, actor
        if to == S.COMPLETED:
            event = {"data": {"on_time": bool(locked.due_at and now <= locked.due_at)}}
        else:
            event = {"reason": text}
        fields = [closing.text_field, "closed_at", "handled_by"]
        case_move(locked, to, actor=actor, kind=closing.kind, fields=fields, **event)
        if closing.tell_items or locked.parent_id is None:
            _tell(locked, _applicant_recipients(locked), closing.notice, text=text)
        _bundle_follow(locked, actor=actor, now=now)
    return locked


def request_complete(*, actor, service_request: ServiceRequest, result: str) -> ServiceRequest:
    """Finish (办结) with the result; the applicant is invited to rate the service."""
    return _request_close(actor=actor, service_request=service_request, to=S.COMPLETED, text=result)


def request_reject(*, actor, service_request: ServiceRequest, reason: str) -> ServiceRequest:
    """Refuse (不予受理 / 退回) with the reason the applicant will read."""
    return _request_close(actor=actor, service_request=service_request, to=S.REJECTED, text=reason)


def request_withdraw(*, actor, service_request: ServiceRequest, reason: str = "") -> ServiceRequest:
    """The applicant withdraws (撤回) before completion; a bundle is withdrawn with all its items."""
    now = _now()
    with transaction.atomic():
        locked = _lock(service_request)
        if not permissions.is_applicant_side(actor, locked):
            raise PermissionDeniedError(_("Only the applicant can withdraw a request."))
        if locked.parent_id is not None:
            raise TransitionForbidden(_("This item belongs to a bundle: withdraw the bundle."))
        open_children = list(
            locked.children.select_for_update()
            .exclude(status__in=[S.COMPLETED, S.REJECTED, S.WITHDRAWN])
            .order_by("pk")
        )
        for request in [locked, *open_children]:
            request.closed_at = now
            case_move(
                request, S.WITHDRAWN, actor=actor, kind="withdrawn", fields=["closed_at"], reason=reason
            )
        _tell(locked, [r.assignee_id for r in [locked, *open_children]], notices.WITHDRAWN, text=reason)
    return locked


def _bundle_follow(child: ServiceRequest, *, actor, now) -> None:
    """A bundle's status follows its items: accepted when the first is, paused while any waits for
    a supplement, completed when every item is (rejected when every item is closed, not all done)."""
    if child.parent_id is None:
        return
    parent = (
        ServiceRequest.objects.select_for_update(of=("self",))
        .select_related("service")
        .get(pk=child.parent_id)
    )
    statuses = list(parent.children.values_list("status", flat=True))
    if all(s in (S.COMPLETED, S.REJECTED, S.WITHDRAWN) for s in statuses):
        target = S.COMPLETED if all(s == S.COMPLETED for s in statuses) else S.REJECTED
    elif S.SUPPLEMENT_REQUIRED in statuses:
        target = S.SUPPLEMENT_REQUIRED
    elif any(s != S.SUBMITTED for s in statuses):
        target = S.ACCEPTED
    else:
        target = S.SUBMITTED
    if target == parent.status or not can_transition(parent, target):
        return
    previous = parent.status
    if previous == S.SUBMITTED and target != S.REJECTED:  # the first item accepted: the bundle's clock starts
        _start_clock(parent, parent.service, now)
    if target == S.SUPPLEMENT_REQUIRED:
        _pause_clock(parent, now)
    elif previous == S.SUPPLEMENT_REQUIRED:
        _resume_clock(parent, now)
    if target in (S.COMPLETED, S.REJECTED):
        parent.closed_at, parent.handled_by = now, actor
    transition(parent, target)
    parent.save(update_fields=["status", "closed_at", "handled_by", *CLOCK_FIELDS])
    event_record(
        case=parent,
        kind="bundle_" + target,
        actor=actor,
        from_state=previous,
        to_state=target,
        data={"item": child.number},
    )
    if target == S.COMPLETED:
        _tell(parent, _applicant_recipients(parent), notices.COMPLETED)


def request_rate(*, actor, service_request: ServiceRequest, score: int, comment: str = "") -> Rating:
    """The applicant rates a completed request once (a second rating is 409)."""
    with transaction.atomic():
        locked = _lock(service_request)
        if not permissions.may_rate(actor, locked):
            raise PermissionDeniedError(_("Only the applicant can rate this service."))
        if locked.parent_id is not None:
            raise TransitionForbidden(_("Rate the bundle as a whole."))
        if locked.status != S.COMPLETED:
            raise TransitionForbidden(_("A service can be rated once it is completed."))
        return rating_submit(actor=actor, case=locked, score=score, comment=comment)


# --------------------------------------------------------------------------------------------------
# Appointments


def appointment_book(
    *, actor, slot: AppointmentSlot, enterprise, service=None, address: str = "", note: str = ""
) -> Appointment:
    """Book a place in a slot. The slot's counter is raised by a conditional UPDATE
    (`booked < capacity`), so two bookings of the last place never both succeed."""
    if not permissions.may_file_for(actor, enterprise):
        raise PermissionDeniedError(_("You cannot book for this enterprise."))
    if slot.kind == AppointmentSlot.Kind.DOOR_TO_DOOR and not address.strip():
        raise InvalidInput(
            _("Give the address for a door-to-door visit."), fields={"address": [_("Required.")]}
        )
    if slot.starts_at <= _now():
        raise TransitionForbidden(_("This slot has already begun."))
    with transaction.atomic():
        if not AppointmentSlot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(
            booked=F("booked") + 1
        ):
            raise Conflict(_("This slot is full. Please choose another."), code="slot_full")
        with refuse_duplicate(
            Conflict(_("Your enterprise has already booked this slot."), code="already_booked")
        ):
            appointment = Appointment.objects.create(
                slot=slot,
                enterprise=enterprise,
                service=service,
                booked_by=actor,
                address=address.strip(),
                note=note.strip(),
            )
        event_record(case=appointment, kind="booked", actor=actor, data={"slot": str(slot)})
    appointment.slot.refresh_from_db()
    return appointment


def appointment_cancel(*, actor, appointment: Appointment) -> Appointment:
    """Cancel a booking before its slot begins; the place is free again."""
    if not (
        appointment.booked_by_id == actor.pk
        or permissions.is_member_of(actor, appointment.enterprise_id)
        or actor.is_zone_admin
    ):
        raise PermissionDeniedError()
    if appointment.slot.starts_at <= _now():
        raise TransitionForbidden(_("This slot has already begun."))
    with transaction.atomic():
        now = _now()
        if not Appointment.objects.filter(pk=appointment.pk, status=Appointment.Status.BOOKED).update(
            status=Appointment.Status.CANCELLED, cancelled_at=now
        ):
            raise TransitionForbidden(_("This appointment is already cancelled."))
        AppointmentSlot.objects.filter(pk=appointment.slot_id, booked__gt=0).update(booked=F("booked") - 1)
        event_record(case=appointment, kind="cancelled", actor=actor)
    appointment.refresh_from_db()
    return appointment


# --------------------------------------------------------------------------------------------------
# The sweep


def _request_notices(*, code, now):
    """The effects of a request's lateness step: the assignee and the center's head are told."""

    def told(ids) -> list[Notice]:
        heads = center_heads()
        rows = ServiceRequest.objects.filter(id__in=ids).values("id", "number", "assignee_id", "due_at")
        return [
            Notice(
                case_id=row["id"],
                recipients=[row["assignee_id"], *heads],
                code=code,
                params={"number": row["number"]},
                url=reverse("services:request-detail", args=[row["id"]]),
                data={"due_at": row["due_at"].isoformat()},
            )
            for row in rows
        ]

    return told


def requests_sweep(*, now=None) -> dict:
    """Mark requests overdue and at risk (each once), with events and notifications to the
    assignee and the center's head. Set-based (`zone_portal.cases.sweep`): a constant number of
    queries, and each row is reported once however many sweeps overlap."""
    now = now or _now()
    running = ServiceRequest.objects.filter(status=S.ACCEPTED)
    steps = {
        Lateness.OVERDUE: (
            running.filter(lateness_q(Lateness.OVERDUE, now), overdue_marked_at=None),
            "overdue_marked_at",
            notices.OVERDUE,
        ),
        Lateness.AT_RISK: (
            running.filter(lateness_q(Lateness.AT_RISK, now), at_risk_marked_at=None),
            "at_risk_marked_at",
            notices.AT_RISK,
        ),
    }
    done = {}
    for kind, (due, mark, code) in steps.items():
        told = _request_notices(code=code, now=now)
        done[str(kind)] = sweep_step(
            due,
            mark={mark: now},
            effects=lambda ids, kind=kind, told=told: sweep_record(
                ServiceRequest, told(ids), kind=str(kind), at=now, notification_kind="service_request_sla"
            ),
        )
    return done


def services_sweep(*, now=None) -> dict:
    """The beat's entry point: requests, then rectifications."""
    now = now or _now()
    return {**requests_sweep(now=now), **rectifications_sweep(now=now)}
