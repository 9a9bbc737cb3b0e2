"""Every write of the feedback app. Each action is atomic, locks the ticket row, checks the state
(409) and the actor's right (403), writes, records the event and queues notifications in the same
transaction (the notification rows are the outbox; email follows after commit).

Public entry points for other apps: `ticket_raise` (enterprise visits, key projects) and
`escalation_defaults_install`. The periodic sweep lives in `sweep.py` (`tickets_sweep`).
"""

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import NamedTuple

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise, EnterpriseMembership
from zone_portal.accounts.models import User
from zone_portal.accounts.roles import Role
from zone_portal.cases.clock import add_working_time, working_days
from zone_portal.cases.told import case_told
from zone_portal.cases.transitions import transition
from zone_portal.checks import require, text_input
from zone_portal.dates import minute_text
from zone_portal.errors import (
    Conflict,
    InvalidInput,
    NotFoundError,
    TransitionForbidden,
)
from zone_portal.events.log import event_record, events_record_many
from zone_portal.notifications.actions import notify
from zone_portal.org.models import Department, Park
from zone_portal.ratings.actions import rating_submit
from zone_portal.uploads import DOCUMENTS, content_type_of, upload_count_check, uploads_check

from . import notices
from . import permissions as perms
from .audiences import (
    ADMINISTRATORS,
    DEPARTMENT_OFFICERS,
    PARK_DIRECTORS,
    PARK_LEADERS,
    SUPERIORS,
    directors_hold,
)
from .deadlines import (
    Policies,
    action_item_deadline,
    confirm_due,
    extended_deadline,
    whistle_columns,
)
from .models import (
    DEFAULT_CATEGORY_DEPARTMENTS,
    ActionItem,
    AgendaItem,
    Category,
    CategoryDepartment,
    EscalationPolicy,
    EventKind,
    Extension,
    JointMeeting,
    Source,
    Ticket,
    TicketAttachment,
    Tier,
    Urgency,
    Whistle,
)
from .tiers import tier_entry, tier_owner_id

MAX_EXTENSION_DAYS = Decimal(30)

# --------------------------------------------------------------------------- who holds a ticket


def park_directors(park_id) -> list[User]:
    return PARK_DIRECTORS.users(park_id)


def park_leaders(park_id) -> list[User]:
    """The leaders assigned to the park, else every leader (someone always receives tier 3)."""
    return PARK_LEADERS.users(park_id)


def administrators() -> list[User]:
    return ADMINISTRATORS.users()


def department_officers(department_ids) -> list[User]:
    return DEPARTMENT_OFFICERS.users(list(department_ids))


def enterprise_side(ticket) -> list:
    people = list(
        User.objects.filter(
            pk__in=EnterpriseMembership.objects.filter(enterprise_id=ticket.enterprise_id).values("user_id")
        )
    )
    if ticket.raised_by_id and ticket.source in (Source.SUPERVISOR, Source.ENTERPRISE):
        people.append(ticket.raised_by_id)
    return people


def superiors(ticket) -> list:
    """Who is told when the ticket is overdue (`audiences.SUPERIORS`): tier 1 → the park
    director(s); tier 2 → the park's leaders (else every leader); tier 3 → the administrators."""
    audience = SUPERIORS[ticket.tier]
    return audience.users(None if audience.key is None else getattr(ticket, audience.key))


def holders(ticket) -> list:
    """The owner, and the park directors when they hold it too (`audiences.directors_hold`)."""
    people = [ticket.owner_id]
    if directors_hold(ticket):
        people += park_directors(ticket.park_id)
    return people


# --------------------------------------------------------------------------- small helpers


def _now(now=None) -> datetime:
    return now or timezone.now()


def _lock(ticket, verb: str | None = None) -> Ticket:
    """The ticket's row, locked until the transaction ends (404 once deleted); with `verb`, 409
    unless its status allows that verb now (`Ticket.can`), checked under the lock."""
    try:
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    except Ticket.DoesNotExist:
        raise NotFoundError() from None
    if verb is not None and not ticket.can(verb):
        raise TransitionForbidden(
            _("This problem is %(status)s; it cannot be changed that way now.")
            % {"status": ticket.get_status_display()}
        )
    return ticket


# How far a chosen moment (a meeting's start, an action item's deadline) may lie from now: beyond
# that it is a typing mistake, and dates at the ends of the calendar break every page showing them.
MEETING_EARLIEST = timedelta(days=365)
MOMENT_LATEST = timedelta(days=2 * 365)


def moment_within(
    value: datetime, field: str, *, now: datetime, before: timedelta, after: timedelta
) -> datetime:
    """`value` if it lies between `now - before` and `now + after`, else InvalidInput on `field`.
    The year is compared first: arithmetic on 0001-01-01 or 9999-12-31 overflows."""
    earliest, latest = now - before, now + after
    if not (earliest.year <= value.year <= latest.year) or not (earliest <= value <= latest):
        local = timezone.localtime
        message = gettext("Choose a date between %(earliest)s and %(latest)s.") % {
            "earliest": local(earliest).strftime("%Y-%m-%d"),
            "latest": local(latest).strftime("%Y-%m-%d"),
        }
        raise InvalidInput(fields={field: [message]})
    return value


def ticket_url(ticket) -> str:
    return reverse("feedback:detail", args=[ticket.pk])


def _params(ticket, body) -> dict:
    """A ticket message's parameters: the ticket named, and `body`, what a person wrote (shown as
    written)."""
    return {"label": f"{ticket.number} {ticket.title}", "text": str(body)}


def _notify(recipients, ticket, code, *, kind, body="", dedupe_key=None):
    """The message `code` (`notices.py`) about `ticket`, shown in each reader's language."""
    notify(
        recipients=recipients,
        code=code,
        params=_params(ticket, body),
        url=ticket_url(ticket),
        kind=f"feedback_{kind}",
        dedupe_key=dedupe_key,
    )


def _told(ticket, kind, recipients, code, *, actor, now, reason="", data=None, body=None, notice=""):
    """`case_told` for a ticket: the event `kind` on its timeline and the message `code` to
    `recipients`, in the caller's transaction. The message carries `body`, by default the event's
    reason (what the person wrote); its notification kind is the event's unless `notice` names
    another."""
    case_told(
        ticket,
        kind=kind,
        recipients=recipients,
        code=code,
        params=_params(ticket, reason if body is None else body),
        url=ticket_url(ticket),
        notification_kind=f"feedback_{notice or str(kind)}",
        actor=actor,
        reason=reason,
        data=data,
        at=now,
    )


def _label(text):
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def _department(code_or_obj) -> Department:
    if isinstance(code_or_obj, Department):
        return code_or_obj
    department = Department.objects.filter(code=str(code_or_obj)).first()
    if department is None:
        raise InvalidInput(
            fields={"departments": [gettext("Unknown department: %(code)s") % {"code": code_or_obj}]}
        )
    return department


def _department_data(department, **more) -> dict:
    """An event's data about a department's part of a ticket: the department named (as the sweep's
    events name it) and `more`."""
    return {"department": department.code, "department_name": department.name, **more}


def _set_number(ticket: Ticket) -> None:
    ticket.number = f"SQ{ticket.created_at.astimezone(timezone.get_current_timezone()):%Y}{ticket.pk:06d}"
    Ticket.objects.filter(pk=ticket.pk).update(number=ticket.number)


def _mark_responded(ticket: Ticket, now) -> None:
    if ticket.acknowledged_at is None:
        ticket.acknowledged_at = now


# The event each status move of an action records on the ticket's timeline (the sweep's
# confirmation timeout records its own, in SQL).
_TICKET_MOVES = {
    Ticket.Status.RESOLVED: EventKind.RESOLVED,
    Ticket.Status.CLOSED: EventKind.CONFIRMED,
    Ticket.Status.OPEN: EventKind.REOPENED,
}


def _ticket_move(ticket: Ticket, to, *, actor, now, reason: str = "", data=None, save=True) -> str:
    """Move the locked ticket to status `to` (the model's table guards it, 409 otherwise), save the
    whole row with what the caller has set (`case_move` saves listed fields; a ticket's moves change
    more: the first response, the overdue flag, a new tier) and record the move as `_TICKET_MOVES`
    says on its timeline. With `save=False` the caller saves it later, once (a reopened ticket,
    after entering its tier again). The from-state recorded is the status the ticket leaves: the
    table allows each of its moves from one status only. Returns the previous status."""
    previous = transition(ticket, to)
    if save:
        ticket.save()
    event_record(
        case=ticket,
        kind=_TICKET_MOVES[to],
        actor=actor,
        from_state=previous,
        to_state=to,
        reason=reason,
        at=now,
        data=data,
    )
    return previous


# --------------------------------------------------------------------------- configuration


def escalation_defaults_install() -> None:
    """Install the DOMAIN.md defaults: one policy per tier and each category's default departments
    (for the departments that exist). Idempotent; never overwrites an administrator's edits."""
    for tier, values in EscalationPolicy.DEFAULTS.items():
        EscalationPolicy.objects.get_or_create(tier=tier, category="", defaults=values)
    departments = {d.code: d for d in Department.objects.all()}
    for category, codes in DEFAULT_CATEGORY_DEPARTMENTS.items():
        for code in codes:
            if code in departments:
                CategoryDepartment.objects.get_or_create(category=category, department=departments[code])


# --------------------------------------------------------------------------- raising


def ticket_raise(
    *,
    actor,
    enterprise: Enterprise | None,
    category: str,
    title: str,
    description: str,
    source: str = Source.ENTERPRISE,
    project=None,
    urgency: str = Urgency.NORMAL,
    contact: str = "",
    park: Park | None = None,
    files=(),
    intake_key: str | None = None,
    now=None,
) -> Ticket:
    """Open a ticket at tier 1, held by the enterprise's chief service officer (else the park
    director), with the tier-1 deadlines of the category's policy.

    Other apps call this: the enterprises app for a problem found on a visit (`source="visit"`),
    the projects app for a project difficulty (`source="project"`, `project=…`). `enterprise` may be
    None only for hotline intake (then `park`, or nobody: every park's triage). Raises InvalidInput
    for bad fields and PermissionDeniedError when the actor may not raise for that enterprise.
    """
    now = _now(now)
    errors = {}
    if category not in Category.values:
        errors["category"] = [gettext("Choose a category.")]
    if urgency not in Urgency.values:
        errors["urgency"] = [gettext("Choose an urgency.")]
    if source not in Source.values:
        errors["source"] = [gettext("Unknown source.")]
    title = (title or "").strip()
    description = (description or "").strip()
    if not title:
        errors["title"] = [gettext("This field is required.")]
    elif len(title) > 200:
        errors["title"] = [gettext("At most %(n)d characters.") % {"n": 200}]
    if not description:
        errors["description"] = [gettext("This field is required.")]
    if project is not None and enterprise is not None and project.enterprise_id != enterprise.pk:
        errors["project"] = [gettext("The project belongs to another enterprise.")]
    if errors:
        raise InvalidInput(fields=errors)
    # The hotline raises, through its intake only, for whichever enterprise its caller names;
    # everyone else within their scope.
    hotline = actor.has_role(Role.HOTLINE) and source == Source.HOTLINE and bool(intake_key)
    if enterprise is not None:
        require(hotline or perms.can_raise_for(actor, enterprise))
        park = enterprise.park
    else:
        require(hotline or actor.is_zone_admin)
    policy = Policies().for_(Tier.PARK, category)
    with transaction.atomic():
        ticket = Ticket(
            enterprise=enterprise,
            park=park,
            project=project,
            category=category,
            title=title,
            description=description,
            urgency=urgency,
            source=source,
            contact=(contact or "").strip()[:100],
            raised_by=actor if getattr(actor, "is_authenticated", False) else None,
            intake_client=actor if intake_key else None,
            intake_key=intake_key,
            created_at=now,
            **tier_entry(policy, now),
        )
        ticket.owner_id = tier_owner_id(ticket, Tier.PARK)
        if ticket.owner_id is not None and ticket.owner_id == actor.pk:
            ticket.acknowledged_at = now  # the officer recorded it on a visit: responded already
        ticket.save()
        _set_number(ticket)
        event_record(
            case=ticket,
            kind=EventKind.CREATED,
            actor=actor,
            to_state=ticket.status,
            at=now,
            data={"tier": 1, "category": category, "source": source},
        )
        if files:
            _attach(actor=actor, ticket=ticket, files=files, now=now)
        if ticket.owner is not None:
            recipients = [ticket.owner]
        elif ticket.park_id is not None:
            recipients = park_directors(ticket.park_id)
        else:  # an unknown enterprise from the hotline: every park's triage
            recipients = list(User.objects.filter(role_grants__role=Role.PARK_DIRECTOR, is_active=True))
        code = notices.NEW_HOTLINE if source == Source.HOTLINE else notices.NEW
        _notify(recipients, ticket, code, kind="new", body=description[:500])
    return ticket


def ticket_intake(
    *,
    client,
    key: str,
    category: str,
    title: str,
    description: str,
    contact: str = "",
    enterprise_id=None,
    uscc: str | None = None,
    park_code: str | None = None,
) -> tuple[Ticket, bool]:
    """The 12345 hotline's intake (接诉即办): the same (client, key) always answers the same ticket.

    Returns (ticket, created). Two concurrent deliveries of one key are resolved by the unique
    constraint on (client, key): the loser rolls back its insert and answers the winner's ticket.
    An unknown enterprise leaves the ticket to the given park, or to every park's triage.
    """
    key = text_input(key, "idempotency_key", limit=100)
    existing = Ticket.objects.filter(intake_client=client, intake_key=key).first()
    if existing:
        return existing, False
    enterprise = None
    if enterprise_id:
        enterprise = Enterprise.objects.filter(pk=enterprise_id).first()
    elif uscc:
        enterprise = Enterprise.objects.filter(uscc=str(uscc).strip().upper()).first()
    park = Park.objects.filter(code=park_code).first() if park_code and enterprise is None else None
    try:
        with transaction.atomic():
            ticket = ticket_raise(
                actor=client,
                enterprise=enterprise,
                park=park,
                category=category,
                title=title,
                description=description,
                contact=contact,
                source=Source.HOTLINE,
                intake_key=key,
            )
    except IntegrityError:
        existing = Ticket.objects.filter(intake_client=client, intake_key=key).first()
        if existing is None:
            raise
        return existing, False
    return ticket, True


def source_for(user, enterprise) -> str:
    """Where a ticket raised through the portal comes from, by who raises it."""
    if user.has_role(Role.ENTERPRISE_STAFF) and enterprise.pk in user.enterprise_ids:
        return Source.ENTERPRISE
    if user.has_role(Role.CSO):
        return Source.VISIT
    if user.has_role(Role.SUPERVISOR):
        return Source.SUPERVISOR
    return Source.PARK


# --------------------------------------------------------------------------- tier 1


def ticket_acknowledge(*, actor, ticket, note: str = "", now=None) -> Ticket:
    """The holder's first response (tier 1: within 2 working hours). Taking an unowned ticket."""
    now = _now(now)
    with transaction.atomic():
        ticket = _lock(ticket, "acknowledge")
        require(perms.is_holder(actor, ticket))
        if ticket.acknowledged_at is not None:
            raise TransitionForbidden(_("This problem was already acknowledged."))
        ticket.acknowledged_at = now
        if ticket.owner_id is None:
            ticket.owner = actor
        ticket.save(update_fields=["acknowledged_at", "owner"])
        _told(
            ticket,
            EventKind.ACKNOWLEDGED,
            enterprise_side(ticket),
            notices.RECEIVED,
            actor=actor,
            now=now,
            reason=note.strip(),
            body="",  # the note stays on the timeline
        )
    return ticket


# --------------------------------------------------------------------------- climbing


def _enter_tier(ticket: Ticket, tier: int, now, policies: Policies) -> None:
    """Reset the ticket to the start of `tier` (`tiers.tier_entry`, as the sweep's climb): new
    owner, new deadlines, a new dedupe round."""
    owner_id = tier_owner_id(ticket, tier)
    for field, value in tier_entry(policies.for_(tier, ticket.category), now).items():
        setattr(ticket, field, value)
    ticket.owner_id = owner_id
    ticket.deadline_round += 1


def _tier_up(ticket: Ticket, *, actor, reason: str, now, policies: Policies, data=None, owner=None) -> None:
    """Start the next tier on the locked ticket (`_enter_tier`; `owner` takes it instead of the
    tier's holder when given), save the whole row and record the climb on its timeline, from tier
    to tier: the one place a ticket climbs, by hand, by a whistle or by a reopening."""
    from_tier = ticket.tier
    _enter_tier(ticket, from_tier + 1, now, policies)
    if owner is not None:
        ticket.owner = owner
    ticket.save()
    event_record(
        case=ticket,
        kind=EventKind.ESCALATED,
        actor=actor,
        from_state=str(from_tier),
        to_state=str(ticket.tier),
        reason=reason,
        at=now,
        data=data,
    )


def _climb(ticket: Ticket, *, actor, reason: str, now, auto_whistle: bool, reason_code: str = "") -> None:
    """One tier up (the row is locked by the caller). 1 → 2 optionally whistles the category's
    default departments; 2 → 3 puts the ticket on the next joint meeting's agenda. A reason the
    system gives is `reason_code` (`notices.py`), shown in each reader's language; `reason` is then
    its wording in the portal's language."""
    policies = Policies()
    data = {"reason_code": reason_code} if reason_code else None
    _tier_up(ticket, actor=actor, reason=reason, now=now, policies=policies, data=data)
    if ticket.tier == Tier.WHISTLE and auto_whistle:
        departments = [cd.department for cd in CategoryDepartment.objects.filter(category=ticket.category)]
        if departments:
            _whistle(
                ticket,
                departments,
                actor=None,
                note=reason,
                now=now,
                policies=policies,
                note_code=reason_code,
            )
    if ticket.tier == Tier.MEETING:
        _agenda_add_next(ticket, now)
    if reason_code == notices.REASON_REOPENED_TWICE:
        _notify(holders(ticket), ticket, notices.ESCALATED_REOPENED, kind="escalated")
    else:
        _notify(holders(ticket), ticket, notices.ESCALATED, kind="escalated", body=reason)


def _agenda_add_next(ticket: Ticket, now) -> JointMeeting | None:
    meeting = (
        JointMeeting.objects.filter(status=JointMeeting.Status.SCHEDULED, starts_at__gte=now)
        .order_by("starts_at", "id")
        .first()
    )
    if meeting is None:
        return None  # the next meeting scheduled picks every waiting tier-3 ticket up
    _, created = AgendaItem.objects.get_or_create(meeting=meeting, ticket=ticket, defaults={"added_at": now})
    if created:
        event_record(
            case=ticket,
            kind=EventKind.AGENDA_ADDED,
            at=now,
            data={"meeting": meeting.pk, "meeting_title": meeting.title},
        )
    return meeting


def ticket_escalate(*, actor, ticket, reason: str, now=None) -> Ticket:
    """Manual escalation: tier 1 → 2 (to the park, which then whistles), tier 2 → 3 (the meeting)."""
    now = _now(now)
    reason = text_input(reason, "reason")
    with transaction.atomic():
        ticket = _lock(ticket, "escalate")
        require(perms.can_escalate(actor, ticket))
        if not ticket.can_climb():
            raise TransitionForbidden(_("The problem is already at the joint meeting, the highest tier."))
        _mark_responded(ticket, now)
        _climb(ticket, actor=actor, reason=reason, now=now, auto_whistle=False)
    return ticket


# --------------------------------------------------------------------------- tier 2: the whistle


def _whistle(ticket, departments, *, actor, note, now, policies, note_code: str = "") -> list[Whistle]:
    """Whistle `departments` (locked ticket); a note the system gives is `note_code` (`notices.py`):
    the timeline shows it in the reader's language, the departments' message says it."""
    columns = whistle_columns(policies.for_(Tier.WHISTLE, ticket.category), now)
    existing = {w.department_id: w for w in Whistle.objects.select_for_update().filter(ticket=ticket)}
    busy = [d for d in departments if d.pk in existing and existing[d.pk].is_pending]
    if busy:
        raise Conflict(
            _("Already whistled and not answered yet: %(names)s") % {"names": "、".join(str(d) for d in busy)}
        )
    rows = []
    for department in departments:
        row = existing.get(department.pk)
        if row is None:
            row = Whistle(ticket=ticket, department=department, round=0, status=Whistle.Status.WHISTLED)
        else:
            transition(row, Whistle.Status.WHISTLED)
        row.round += 1
        row.note = note
        row.whistled_by = actor
        row.reported_at = row.reported_by = row.answered_at = row.answered_by = row.returned_at = None
        row.answer = row.return_reason = ""
        for field, value in columns.items():
            setattr(row, field, value)
        row.save()
        rows.append(row)
        event_record(
            case=ticket,
            kind=EventKind.WHISTLED,
            actor=actor,
            to_state=Whistle.Status.WHISTLED,
            reason=note,
            at=now,
            data=_department_data(department, **({"reason_code": note_code} if note_code else {})),
        )
    _notify(
        department_officers(d.pk for d in departments),
        ticket,
        notices.WHISTLED_REOPENED if note_code == notices.REASON_REOPENED_TWICE else notices.WHISTLED,
        kind="whistled",
        body="" if note_code else note,
    )
    return rows


def ticket_whistle(*, actor, ticket, departments, note: str = "", now=None) -> Ticket:
    """The park whistles (吹哨) one or more departments. A tier-1 ticket enters tier 2 first; each
    department gets its own report and answer deadlines. 409 for a department already whistled
    and not yet answered, and at tier 3 (the meeting assigns work there)."""
    now = _now(now)
    departments = [_department(d) for d in dict.fromkeys(departments or [])]
    if not departments:
        raise InvalidInput(fields={"departments": [gettext("Choose at least one department.")]})
    note = (note or "").strip()
    with transaction.atomic():
        ticket = _lock(ticket, "whistle")
        require(perms.can_whistle(actor, ticket))
        if ticket.tier == Tier.MEETING:
            raise TransitionForbidden(_("At the joint meeting, departments get action items instead."))
        _mark_responded(ticket, now)
        policies = Policies()
        if ticket.tier == Tier.PARK:  # a park director who whistles holds it from now on
            owner = actor if perms.is_park_director_for(actor, ticket) else None
            _tier_up(ticket, actor=actor, reason=note, now=now, policies=policies, owner=owner)
        else:
            ticket.save(update_fields=["acknowledged_at"])
        _whistle(ticket, departments, actor=actor, note=note, now=now, policies=policies)
    return ticket


def _whistle_for(actor, ticket, department) -> Whistle:
    """The actor's department's whistle on this (locked) ticket; 403 for another department."""
    rows = Whistle.objects.select_for_update().select_related("department").filter(ticket=ticket)
    if department is not None:
        code = department.code if isinstance(department, Department) else str(department)
        row = rows.filter(department__code=code).first()
        if row is None:
            raise NotFoundError(_("That department was not whistled for this problem."))
        require(
            perms.can_act_for_department(actor, row.department_id),
            _("You can act only for your own department."),
        )
        return row
    mine = [w for w in rows if perms.can_act_for_department(actor, w.department_id)]
    require(bool(mine), _("You can act only for your own department."))
    pending = [w for w in mine if w.is_pending]
    return (pending or mine)[0]


def whistle_report(*, actor, ticket, department=None, now=None) -> Whistle:
    """The department reports (报到): acknowledges and names its officer in charge (the actor)."""
    now = _now(now)
    with transaction.atomic():
        ticket = _lock(ticket, "whistle")
        row = _whistle_for(actor, ticket, department)
        _whistle_move(row, Whistle.Status.REPORTED, ticket=ticket, actor=actor, now=now)
        _notify(holders(ticket), ticket, notices.REPORTED, kind="reported", body=row.department)
    return row


def whistle_answer(*, actor, ticket, text: str, department=None, now=None) -> Whistle:
    """The department answers its part; the park may resolve once every department has answered."""
    now = _now(now)
    text = text_input(text, "text")
    with transaction.atomic():
        ticket = _lock(ticket, "whistle")
        row = _whistle_for(actor, ticket, department)
        if row.status == Whistle.Status.WHISTLED:
            raise TransitionForbidden(_("Report to the problem first, then answer."))
        _whistle_move(row, Whistle.Status.ANSWERED, ticket=ticket, actor=actor, now=now, text=text)
        all_done = not Whistle.objects.filter(ticket=ticket, status__in=Whistle.PENDING).exists()
        code = notices.ALL_ANSWERED if all_done else notices.ANSWERED
        _notify(holders(ticket), ticket, code, kind="answered", body=text[:500])
    return row


class _WhistleMove(NamedTuple):
    """What a department's part moving to a status records: the event on the ticket, what the
    refusal says when the part cannot move (with its current `%(status)s`), and the fields stamped
    with when, by whom and the text written (the answer, the reason for returning)."""

    kind: str
    cannot: str
    at: str
    by: str | None = None
    text: str | None = None


_WHISTLE_MOVES = {
    Whistle.Status.REPORTED: _WhistleMove(
        EventKind.REPORTED,
        _("The department is %(status)s; it cannot report now."),
        at="reported_at",
        by="reported_by",
    ),
    Whistle.Status.ANSWERED: _WhistleMove(
        EventKind.ANSWERED,
        _("The department is %(status)s; it cannot answer now."),
        at="answered_at",
        by="answered_by",
        text="answer",
    ),
    Whistle.Status.RETURNED: _WhistleMove(
        EventKind.RETURNED,
        _("The department is %(status)s; it cannot return it now."),
        at="returned_at",
        text="return_reason",
    ),
}


def _whistle_move(row: Whistle, to, *, ticket, actor, now, text: str = "") -> None:
    """Move a whistled department's part to `to` (the model's table guards it), stamp it as
    `_WHISTLE_MOVES` says, and record the move, with `text` as its reason, on the ticket's
    timeline under the department's name."""
    move = _WHISTLE_MOVES[to]
    from_status = transition(row, to, message=move.cannot % {"status": row.get_status_display()})
    stamps = {move.at: now}
    if move.by:
        stamps[move.by] = actor
    if move.text:
        stamps[move.text] = text
    for name, value in stamps.items():
        setattr(row, name, value)
    row.save(update_fields=["status", *stamps])
    event_record(
        case=ticket,
        kind=move.kind,
        actor=actor,
        from_state=from_status,
        to_state=to,
        reason=text,
        at=now,
        data=_department_data(row.department),
    )


def _whistle_return(*, actor, ticket, row: Whistle, reason: str, now) -> Whistle:
    _whistle_move(row, Whistle.Status.RETURNED, ticket=ticket, actor=actor, now=now, text=reason)
    _notify(
        park_directors(ticket.park_id) or holders(ticket),
        ticket,
        notices.RETURNED,
        kind="returned",
        body=reason,
    )
    return row


# --------------------------------------------------------------------------- reassignment, extension


def ticket_reassign(*, actor, ticket, reason: str, department=None, park=None, now=None) -> Ticket:
    """Reassignment (退单 / 改派), always back to the park, never to a dead end:

    - a whistled department officer returns their department's part ("not our responsibility");
      the park is told to whistle someone else;
    - park staff route the ticket to another park (`park`), e.g. a hotline ticket in triage;
    - the tier-1 officer hands it to the park director.
    """
    now = _now(now)
    reason = text_input(reason, "reason")
    with transaction.atomic():
        ticket = _lock(ticket, "reassign")
        if actor.has_role(Role.DEPARTMENT_OFFICER) and (
            department is not None
            or Whistle.objects.filter(ticket=ticket, department_id__in=actor.department_ids).exists()
        ):
            row = _whistle_for(actor, ticket, department)
            _whistle_return(actor=actor, ticket=ticket, row=row, reason=reason, now=now)
            return ticket
        if park is not None:
            target = park if isinstance(park, Park) else Park.objects.filter(code=str(park)).first()
            if target is None:
                raise InvalidInput(fields={"park": [gettext("Unknown park.")]})
            require(actor.is_zone_admin or perms.is_park_staff_for(actor, ticket))
            if ticket.enterprise_id and ticket.enterprise.park_id != target.pk:
                raise InvalidInput(fields={"park": [gettext("The enterprise belongs to another park.")]})
            previous = ticket.park
            ticket.park = target
            if ticket.tier < Tier.MEETING:
                directors = park_directors(target.pk)
                if ticket.tier == Tier.WHISTLE or ticket.enterprise_id is None or ticket.owner_id is None:
                    ticket.owner = directors[0] if directors else None
            ticket.save(update_fields=["park", "owner"])
            _told(
                ticket,
                EventKind.REASSIGNED,
                park_directors(target.pk),
                notices.ROUTED,
                actor=actor,
                now=now,
                reason=reason,
                data={"from_park": previous.code if previous else None, "to_park": target.code},
                notice="routed",
            )
            return ticket
        require(ticket.tier == Tier.PARK and perms.is_cso_for(actor, ticket))
        directors = park_directors(ticket.park_id)
        if not directors:
            raise Conflict(_("The park has no director to take it over."))
        if ticket.owner_id in {d.pk for d in directors}:  # handed over once already
            raise TransitionForbidden(_("The problem is already with the park director."))
        ticket.owner = directors[0]
        ticket.save(update_fields=["owner"])
        _told(
            ticket, EventKind.REASSIGNED, directors, notices.REASSIGNED, actor=actor, now=now, reason=reason
        )
    return ticket


def ticket_extend(*, actor, ticket, days, reason: str, now=None) -> Extension:
    """Ask to move the current tier's deadline by `days` working days (延期), with a reason."""
    now = _now(now)
    reason = text_input(reason, "reason")
    try:
        days = Decimal(str(days))
    except (InvalidOperation, TypeError):
        raise InvalidInput(fields={"days": [gettext("A number of working days.")]}) from None
    if not (Decimal(0) < days <= MAX_EXTENSION_DAYS):
        raise InvalidInput(fields={"days": [gettext("Between 0.5 and 30 working days.")]})
    with transaction.atomic():
        ticket = _lock(ticket, "extend")
        require(perms.is_holder(actor, ticket))
        if ticket.due_at is None:
            raise TransitionForbidden(_("This tier has no deadline to extend."))
        pending = Extension.objects.select_for_update().filter(ticket=ticket, status=Extension.Status.PENDING)
        for stale in pending:
            if not _extension_is_current(stale, ticket):
                _extension_void(stale, ticket, now=now)
            else:
                raise Conflict(_("An extension request is already waiting for a decision."))
        extension = Extension.objects.create(
            ticket=ticket, days=days, reason=reason, requested_by=actor, requested_at=now
        )
        deciders = [
            u for u in park_directors(ticket.park_id) + park_leaders(ticket.park_id) if u.pk != actor.pk
        ]
        _told(
            ticket,
            EventKind.EXTENSION_REQUESTED,
            deciders,
            notices.EXTENSION_ASKED,
            actor=actor,
            now=now,
            reason=reason,
            data={"days": str(days), "extension": extension.pk},
            notice="extension",
        )
    return extension


def _extension_is_current(extension, ticket) -> bool:
    """An extension moves the deadline of the tier it was asked at, never a later tier's."""
    return ticket.tier_started_at is None or extension.requested_at >= ticket.tier_started_at


def _extension_void(extension, ticket, *, now) -> None:
    """Refuse an extension asked at an earlier tier (the ticket climbed or reopened since)."""
    extension.status = Extension.Status.REFUSED
    extension.decided_at = now
    extension.decision_note = str(_("Asked at an earlier tier; the problem has moved on since."))
    extension.save(update_fields=["status", "decided_at", "decision_note"])
    event_record(
        case=ticket,
        kind=EventKind.EXTENSION_REFUSED,
        reason=extension.decision_note,
        at=now,
        data={"days": str(extension.days), "extension": extension.pk, "voided": True},
    )


def extension_decide(*, actor, ticket, approve: bool, note: str = "", now=None) -> Extension:
    """A park director or a leader approves (the deadline moves by the requested working days and
    its reminder and overdue marks start again) or refuses the pending extension."""
    now = _now(now)
    with transaction.atomic():
        ticket = _lock(ticket)
        extension = (
            Extension.objects.select_for_update()
            .filter(ticket=ticket, status=Extension.Status.PENDING)
            .first()
        )
        if extension is None:
            raise TransitionForbidden(_("No extension request is waiting for a decision."))
        require(perms.can_decide_extension(actor, ticket, extension))
        if approve and not _extension_is_current(extension, ticket):
            # Asked at an earlier tier: it cannot move this tier's deadline, so it is refused.
            approve, note = False, _("Asked at an earlier tier; the problem has moved on since.")
        extension.status = Extension.Status.APPROVED if approve else Extension.Status.REFUSED
        extension.decided_by = actor
        extension.decided_at = now
        extension.decision_note = (note or "").strip()
        extension.save()
        if approve and ticket.status == Ticket.Status.OPEN and ticket.due_at:
            policy = Policies().for_(ticket.tier, ticket.category)
            base = max(ticket.due_at, now)
            new_due = add_working_time(base, working_days(extension.days))
            span = extended_deadline(policy, ticket.tier_started_at, new_due)
            ticket.due_at, ticket.remind_at = span.due_at, span.risk_at
            ticket.reminded_at = ticket.overdue_at = None
            ticket.deadline_round += 1
            ticket.save(update_fields=["due_at", "remind_at", "reminded_at", "overdue_at", "deadline_round"])
        _told(
            ticket,
            EventKind.EXTENSION_APPROVED if approve else EventKind.EXTENSION_REFUSED,
            [extension.requested_by_id],
            notices.EXTENSION_APPROVED if approve else notices.EXTENSION_REFUSED,
            actor=actor,
            now=now,
            reason=extension.decision_note,
            data={"days": str(extension.days), "extension": extension.pk},
            notice="extension_decided",
        )
    return extension


# --------------------------------------------------------------------------- closing


def ticket_resolve(*, actor, ticket, resolution: str, now=None) -> Ticket:
    """The holder marks it resolved; the enterprise has `confirm_days` working days to answer.

    409 at tier 2 while a whistled department has not answered, and at tier 3 while an action item
    of the meeting is open. At tier 3, departments still whistled from tier 2 are withdrawn.
    """
    now = _now(now)
    resolution = text_input(resolution, "resolution")
    with transaction.atomic():
        ticket = _lock(ticket, "resolve")
        require(perms.is_holder(actor, ticket))
        pending = list(
            Whistle.objects.select_for_update()
            .select_related("department")
            .filter(ticket=ticket, status__in=Whistle.PENDING)
        )
        if ticket.tier == Tier.WHISTLE and pending:
            raise TransitionForbidden(
                _("Every whistled department must answer first. Still waiting for: %(names)s")
                % {"names": "、".join(w.department.name for w in pending)}
            )
        if ticket.tier == Tier.MEETING:
            open_items = ActionItem.objects.filter(ticket=ticket, status=ActionItem.Status.OPEN).count()
            if open_items:
                raise TransitionForbidden(
                    _("%(n)d action item(s) of the joint meeting are still open.") % {"n": open_items}
                )
            for row in pending:
                transition(row, Whistle.Status.CANCELLED)
                row.save(update_fields=["status"])
                event_record(
                    case=ticket,
                    kind=EventKind.WHISTLE_CANCELLED,
                    actor=actor,
                    at=now,
                    data=_department_data(row.department),
                )
        policy = Policies().for_(ticket.tier, ticket.category)
        if ticket.due_at and ticket.due_at <= now:
            ticket.was_overdue = True
        _mark_responded(ticket, now)
        ticket.resolved_at = now
        ticket.resolved_by = actor
        ticket.resolution = resolution
        ticket.confirm_due_at = confirm_due(policy, now)
        _ticket_move(ticket, Ticket.Status.RESOLVED, actor=actor, now=now, reason=resolution)
        _notify(
            enterprise_side(ticket),
            ticket,
            notices.RESOLVED,
            kind="resolved",
            body=resolution[:500],
        )
    return ticket


def _rate_ticket(*, actor, ticket, score: int, comment: str):
    """The ticket's one rating, in the zone's shared good/bad ratings (好差评): a bad review (1–2)
    opens a rectification owned by whoever resolved the ticket and their department (谁办理谁负责),
    as for requests (the ticket's `Rateable` in apps.py says so)."""
    return rating_submit(actor=actor, case=ticket, score=score, comment=comment)


def ticket_confirm(*, actor, ticket, solved: bool, score=None, comment: str = "", now=None) -> Ticket:
    """The enterprise answers a resolved ticket: solved (closes it, with a 1–5 rating) or not solved
    (reopens it at its tier with fresh deadlines; from the second reopen on it climbs one tier)."""
    now = _now(now)
    comment = (comment or "").strip()
    if solved:
        try:
            score = int(score)
        except (TypeError, ValueError):
            score = None
        if score is None or not 1 <= score <= 5:
            raise InvalidInput(fields={"score": [gettext("Rate the service from 1 to 5.")]})
    with transaction.atomic():
        ticket = _lock(ticket, "confirm")
        require(perms.can_confirm(actor, ticket))
        if solved:
            ticket.closed_at = ticket.confirmed_at = now
            ticket.confirm_due_at = None
            _ticket_move(
                ticket, Ticket.Status.CLOSED, actor=actor, now=now, reason=comment, data={"score": score}
            )
            _rate_ticket(actor=actor, ticket=ticket, score=score, comment=comment)
            _notify(
                [ticket.resolved_by_id],
                ticket,
                notices.CONFIRMED,
                kind="confirmed",
            )
            return ticket
        ticket.reopen_count += 1
        ticket.resolved_at = ticket.confirm_due_at = None
        _ticket_move(
            ticket,
            Ticket.Status.OPEN,
            actor=actor,
            now=now,
            reason=comment,
            data={"reopen_count": ticket.reopen_count},
            save=False,  # saved below, once its tier starts again
        )
        if ticket.reopen_count >= 2 and ticket.can_climb():
            _climb(
                ticket,
                actor=None,
                reason=_label(notices.REOPENED_TWICE_NOTE),
                reason_code=notices.REASON_REOPENED_TWICE,
                now=now,
                auto_whistle=True,
            )
        else:
            _enter_tier(ticket, ticket.tier, now, Policies())
            ticket.save()
            _notify(holders(ticket), ticket, notices.REOPENED, kind="reopened", body=comment)
    return ticket


def ticket_comment(*, actor, ticket, text: str, now=None):
    now = _now(now)
    text = text_input(text, "text", limit=4000)
    with transaction.atomic():
        ticket = _lock(ticket, "comment")
        recipients = holders(ticket) if perms.is_enterprise_side(actor, ticket) else enterprise_side(ticket)
        _told(
            ticket,
            EventKind.COMMENT,
            [r for r in recipients if getattr(r, "pk", r) != actor.pk],
            notices.COMMENT,
            actor=actor,
            now=now,
            reason=text,
            body=text[:500],
        )
    return ticket


def _attach(*, actor, ticket, files, now) -> list[TicketAttachment]:
    """The portal's one upload rule: recognised by content, within the size limit and the cap of
    files per case, stored under a generated name."""
    files = list(files)
    kinds = uploads_check(files, accept=DOCUMENTS, field="files")
    upload_count_check(existing=ticket.attachments.count(), adding=len(files), field="files")
    rows = []
    for upload, kind in zip(files, kinds, strict=True):
        rows.append(
            TicketAttachment.objects.create(
                ticket=ticket,
                file=upload,
                content_type=content_type_of(kind),
                name=PurePath(upload.name).name[:200],
                size=upload.size,
                uploaded_by=actor,
                uploaded_at=now,
            )
        )
        event_record(case=ticket, kind=EventKind.ATTACHMENT, actor=actor, at=now, data={"name": upload.name})
    return rows


def ticket_attach(*, actor, ticket, files, now=None) -> list[TicketAttachment]:
    """Add files (PDF, JPEG, PNG, DOCX, XLSX by content; each within UPLOAD_MAX_BYTES; at most
    UPLOAD_MAX_FILES_PER_CASE on the ticket)."""
    now = _now(now)
    with transaction.atomic():
        ticket = _lock(ticket, "comment")
        require(perms.can_attach(actor, ticket))
        return _attach(actor=actor, ticket=ticket, files=files, now=now)


# --------------------------------------------------------------------------- tier 3: joint meetings


def meeting_schedule(
    *, actor, title: str, starts_at, location: str = "", chair=None, now=None
) -> JointMeeting:
    """A leader schedules a joint meeting; every open tier-3 ticket not yet on a scheduled meeting's
    agenda goes onto this one."""
    now = _now(now)
    require(perms.can_manage_meetings(actor))
    title = text_input(title, "title", limit=200)
    if starts_at is None:
        raise InvalidInput(fields={"starts_at": [gettext("This field is required.")]})
    moment_within(starts_at, "starts_at", now=now, before=MEETING_EARLIEST, after=MOMENT_LATEST)
    with transaction.atomic():
        meeting = JointMeeting.objects.create(
            title=title, starts_at=starts_at, location=(location or "").strip(), chair=chair or actor
        )
        waiting = list(
            Ticket.objects.filter(status=Ticket.Status.OPEN, tier=Tier.MEETING)
            .exclude(agenda_items__meeting__status=JointMeeting.Status.SCHEDULED)
            .values_list("pk", flat=True)
        )
        AgendaItem.objects.bulk_create(
            [AgendaItem(meeting=meeting, ticket_id=pk, added_at=now) for pk in waiting], ignore_conflicts=True
        )
        events_record_many(
            _ticket_event(pk, EventKind.AGENDA_ADDED, now, {"meeting": meeting.pk, "meeting_title": title})
            for pk in waiting
        )
        event_record(case=meeting, kind=EventKind.MEETING_SCHEDULED, actor=actor, at=now)
    return meeting


def _ticket_event(ticket_id, kind, at, data=None, actor=None):
    from django.contrib.contenttypes.models import ContentType

    from zone_portal.events.models import Event

    return Event(
        content_type=ContentType.objects.get_for_model(Ticket),
        object_id=ticket_id,
        kind=kind,
        at=at,
        actor=actor,
        data=data or {},
    )


def meeting_record_minutes(*, actor, meeting, minutes: str, actions=(), now=None) -> JointMeeting:
    """Record the minutes (会议纪要): each action `{"ticket", "department", "description", "due_at"?}`
    becomes an action item for one department, due by default in the tier-3 policy's working days."""
    now = _now(now)
    minutes = text_input(minutes, "minutes")
    require(perms.can_manage_meetings(actor))
    with transaction.atomic():
        meeting = JointMeeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status != JointMeeting.Status.SCHEDULED:
            raise TransitionForbidden(_("The minutes of this meeting are already recorded."))
        if meeting.starts_at > now:
            raise TransitionForbidden(
                _(
                    "This meeting has not started yet (it starts at %(starts_at)s): record its minutes once it is held."
                )
                % {"starts_at": minute_text(meeting.starts_at)}
            )
        # The problems that get an action item are locked (meeting first, then problems in id
        # order) and must still be open: ticket_resolve counts the open action items under the
        # problem's lock, so an item added without it could land on a problem being resolved.
        wanted = {int(getattr(spec.get("ticket"), "pk", spec.get("ticket")) or 0) for spec in actions}
        on_agenda = {
            t.pk: t
            for t in meeting.tickets.filter(pk__in=wanted).select_for_update(of=("self",)).order_by("pk")
        }
        policies = Policies()
        items = []
        for index, spec in enumerate(actions):
            ticket = on_agenda.get(int(getattr(spec.get("ticket"), "pk", spec.get("ticket")) or 0))
            if ticket is None:
                raise InvalidInput(
                    fields={f"actions.{index}.ticket": [gettext("Not on this meeting's agenda.")]}
                )
            if ticket.status != Ticket.Status.OPEN:
                raise TransitionForbidden(
                    _("Problem %(number)s is no longer open (%(status)s): it can get no action item.")
                    % {"number": ticket.number, "status": ticket.get_status_display()},
                    fields={f"actions.{index}.ticket": [gettext("No longer open.")]},
                )
            department = _department(spec.get("department"))
            description = text_input(spec.get("description"), f"actions.{index}.description")
            policy = policies.for_(Tier.MEETING, ticket.category)
            due_at = spec.get("due_at")
            past = InvalidInput(
                fields={f"actions.{index}.due_at": [gettext("The deadline must be in the future.")]}
            )
            if due_at:
                if due_at <= now:
                    raise past
                moment_within(
                    due_at, f"actions.{index}.due_at", now=now, before=timedelta(0), after=MOMENT_LATEST
                )
            span = action_item_deadline(policy, now, due_at)
            if span.due_at <= now:
                raise past
            items.append(
                ActionItem(
                    meeting=meeting,
                    ticket=ticket,
                    department=department,
                    description=description,
                    created_at=now,
                    due_at=span.due_at,
                    remind_at=span.risk_at,
                )
            )
        ActionItem.objects.bulk_create(items)
        meeting.status = JointMeeting.Status.HELD
        meeting.minutes = minutes
        meeting.held_at = now
        meeting.save(update_fields=["status", "minutes", "held_at"])
        event_record(case=meeting, kind=EventKind.MINUTES_RECORDED, actor=actor, reason=minutes, at=now)
        for item in items:
            _told(
                item.ticket,
                EventKind.ACTION_ASSIGNED,
                department_officers([item.department_id]),
                notices.ACTION_ASSIGNED,
                actor=actor,
                now=now,
                reason=item.description,
                data=_department_data(item.department, due_at=item.due_at.isoformat()),
            )
    return meeting


def action_item_complete(*, actor, item, note: str, now=None) -> ActionItem:
    """The department reports its action item done, with the result."""
    now = _now(now)
    note = text_input(note, "note")
    with transaction.atomic():
        item = ActionItem.objects.select_for_update().select_related("ticket", "department").get(pk=item.pk)
        if item.status != ActionItem.Status.OPEN:
            raise TransitionForbidden(_("This action item is already done."))
        require(
            perms.can_act_for_department(actor, item.department_id),
            _("You can act only for your own department."),
        )
        item.status = ActionItem.Status.DONE
        item.done_at = now
        item.done_by = actor
        item.done_note = note
        item.save(update_fields=["status", "done_at", "done_by", "done_note"])
        _told(
            item.ticket,
            EventKind.ACTION_DONE,
            holders(item.ticket),
            notices.ACTION_DONE,
            actor=actor,
            now=now,
            reason=note,
            data=_department_data(item.department),
        )
    return item
