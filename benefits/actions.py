"""Every write of benefits, vouchers and financing: atomic, locked, through the model's transition
table, recorded as events, notifications in the same transaction.

The money rules are held by the database (see `models`): the ledger's unique application, the
round's budget CHECK, and the enterprise-year row whose conditional UPDATE re-checks the cap under
its row lock. The sweeps (`applications_sweep`, `vouchers_sweep`) are set-based claims of
`zone_portal.cases.sweep`: a rerun or an overlapping run changes nothing.
"""

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import partial

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enterprises.models import Enterprise
from enterprises.selectors import enterprise_current_cso, officer_serves
from zone_portal.accounts.models import User
from zone_portal.accounts.roles import Role
from zone_portal.cases.clock import deadline_after, working_days
from zone_portal.cases.sweep import Notice, sweep_record, sweep_step
from zone_portal.cases.transitions import can_transition, case_move, transition, transition_q
from zone_portal.cases.unique import refuse_duplicate
from zone_portal.checks import require, text_input
from zone_portal.dates import minute_text
from zone_portal.errors import Conflict, InvalidInput, NotFoundError
from zone_portal.events.log import event_record
from zone_portal.money import money_text
from zone_portal.notifications.actions import notify
from zone_portal.uploads import content_type_of, upload_count_check, upload_kind
from zone_portal.worktime.calendar import ZONE

from . import notices, permissions
from .models import (
    EXPERT_REVIEW_DAYS,
    LIVE_APPLICATION,
    POLICY_QUALIFICATIONS,
    REDEMPTION_KINDS,
    REVIEW_RUNNING,
    AmountRule,
    ApplicationMaterial,
    ApplicationStatus,
    Bank,
    CreditLine,
    Disbursement,
    ExpertConflict,
    Loan,
    LoanKind,
    MatchingEvent,
    Policy,
    PolicyApplication,
    SubsidyPayment,
    Voucher,
    VoucherMaterial,
    VoucherPurpose,
    VoucherReview,
    VoucherRound,
    VoucherStatus,
    VoucherYear,
    money,
)
from .selectors import enterprise_member_ids, policy_enterprises_q

AT_RISK_RATIO = Decimal("0.8")
VOUCHER_REMINDERS = (30, 7)  # days before the end of validity
MAX_AMOUNT = Decimal("99999999999999.99")
ZERO_SHARE = Decimal("0.00")


def _now(now=None) -> datetime:
    return now or timezone.now()


def _amount(value, field: str, *, required: bool = True, allow_zero: bool = False) -> Decimal | None:
    """A yuan amount from user input (Decimal, int or string; never a float), to the fen."""
    if value in (None, ""):
        if required:
            raise InvalidInput(fields={field: [_("This field is required.")]})
        return None
    if isinstance(value, float):
        value = str(value)
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidInput(fields={field: [_("Give an amount in yuan, e.g. 150000.00.")]}) from None
    if not amount.is_finite():
        raise InvalidInput(fields={field: [_("Give an amount in yuan, e.g. 150000.00.")]})
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput(fields={field: [_("An amount has at most two decimal places (fen).")]})
    if amount < 0 or (amount == 0 and not allow_zero):
        raise InvalidInput(fields={field: [_("The amount must be greater than zero.")]})
    if amount > MAX_AMOUNT:
        raise InvalidInput(fields={field: [_("The amount is too large.")]})
    return money(amount)


# A text input is at most 2000 characters unless a call says otherwise.
_text = partial(text_input, limit=2000)


def _users_with_role(role: str, *, department_id=None) -> list[int]:
    qs = User.objects.filter(is_active=True, role_grants__role=role)
    if department_id is not None:
        qs = qs.filter(departments=department_id)
    return list(qs.values_list("id", flat=True).distinct())


def _enterprise_people(enterprise: Enterprise) -> list[int]:
    people = enterprise_member_ids([enterprise.pk]).get(enterprise.pk, [])
    cso = enterprise_current_cso(enterprise)
    return [*people, *([cso.pk] if cso else [])]


# --- policies -----------------------------------------------------------------------------------


def policy_create(*, actor, data: dict, parks: Iterable = ()) -> Policy:
    """Add a policy to the catalog (administrators). `data` holds the model's fields by name."""
    require(permissions.manages_programmes(actor))
    errors = {}
    unknown = [code for code in data.get("qualifications", []) if code not in POLICY_QUALIFICATIONS]
    if unknown:
        errors["qualifications"] = [_("Unknown qualification: %(codes)s.") % {"codes": ", ".join(unknown)}]
    rule = data.get("amount_rule")
    if rule == AmountRule.FIXED and not data.get("fixed_amount"):
        errors["fixed_amount"] = [_("A fixed amount rule needs its amount.")]
    if rule == AmountRule.PERCENTAGE and not (
        data.get("percentage") and 0 < Decimal(data["percentage"]) <= 100
    ):
        errors["percentage"] = [_("A percentage rule needs a percentage between 0 and 100.")]
    if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
        errors["closes_on"] = [_("The window closes before it opens.")]
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        with refuse_duplicate(
            Conflict(_("A policy of that name exists already."), fields={"name": [_("Taken.")]})
        ):
            policy = Policy.objects.create(**data)
        if parks:
            policy.parks.set(parks)
        event_record(case=policy, kind="created", actor=actor)
    return policy


def _application_url(application_id: int) -> str:
    return reverse("benefits:application", args=[application_id])


def _clock(policy: Policy, start: datetime) -> dict:
    deadline = deadline_after(start, working_days(policy.review_days), at_risk_ratio=AT_RISK_RATIO)
    return {"submitted_at": start, "risk_at": deadline.risk_at, "due_at": deadline.due_at}


def _qualifies(policy: Policy, enterprise: Enterprise, today: date) -> bool:
    return Enterprise.objects.filter(policy_enterprises_q(policy, today=today), pk=enterprise.pk).exists()


def application_submit(
    *,
    actor,
    policy: Policy,
    enterprise: Enterprise,
    base_amount=None,
    requested_amount=None,
    note: str = "",
    now=None,
) -> PolicyApplication:
    """Apply for `policy` for `enterprise` (its staff, its officer, administrators): the policy is
    open, the enterprise qualifies and has no live application for it (the database's partial
    unique constraint decides between two at once). The review clock starts now."""
    require(permissions.acts_for_enterprise(actor, enterprise.pk))
    now = _now(now)
    today = timezone.localdate(now)
    if policy.automatic:
        raise Conflict(_("This policy is granted without application (免申即享): no need to apply."))
    if not policy.is_open(today):
        raise Conflict(
            _("Applications for this policy are open from %(opens)s to %(closes)s.")
            % {"opens": policy.opens_on, "closes": policy.closes_on},
            code="closed",
        )
    if not _qualifies(policy, enterprise, today):
        raise InvalidInput(_("The enterprise does not meet this policy's conditions."), code="not_qualified")
    base = _amount(base_amount, "base_amount", required=policy.amount_rule == AmountRule.PERCENTAGE)
    requested = _amount(requested_amount, "requested_amount", required=False)
    if requested is None:
        requested = policy.amount_for(base)
    note = _text(note, "note", required=False)
    with transaction.atomic():
        with refuse_duplicate(
            Conflict(_("This enterprise has applied for this policy already."), code="already_applied")
        ):
            application = PolicyApplication.objects.create(
                policy=policy,
                enterprise=enterprise,
                status=ApplicationStatus.SUBMITTED,
                base_amount=base,
                requested_amount=requested,
                note=note,
                submitted_by=actor,
                **_clock(policy, now),
            )
        event_record(case=application, kind="submitted", actor=actor, to_state=application.status)
        notify(
            recipients=_users_with_role(Role.DEPARTMENT_OFFICER, department_id=policy.department_id),
            code=notices.APPLICATION_NEW,
            params={"policy": policy, "enterprise": enterprise},
            url=_application_url(application.pk),
            kind="benefit_application",
        )
    return application


def policy_propose_automatic(*, actor, policy: Policy, now=None) -> int:
    """免申即享: a payment proposal for every qualifying enterprise that has no live application,
    for the issuing department to review. Running it again adds only the newly qualifying ones (the
    partial unique constraint skips the rest, also under two runs at once). Returns how many."""
    require(permissions.reviews_policy(actor, policy))
    if not policy.automatic:
        raise Conflict(_("Only a policy granted without application (免申即享) makes proposals."))
    now = _now(now)
    today = timezone.localdate(now)
    clock = _clock(policy, now)
    amount = policy.amount_for(None)
    with transaction.atomic():
        enterprise_ids = list(
            Enterprise.objects.filter(policy_enterprises_q(policy, today=today)).values_list("id", flat=True)
        )
        live = PolicyApplication.objects.filter(LIVE_APPLICATION, policy=policy)
        before = live.count()
        PolicyApplication.objects.bulk_create(
            [
                PolicyApplication(
                    policy=policy,
                    enterprise_id=enterprise_id,
                    status=ApplicationStatus.PROPOSED,
                    requested_amount=amount,
                    submitted_by=actor,
                    **clock,
                )
                for enterprise_id in enterprise_ids
            ],
            ignore_conflicts=True,
            batch_size=500,
        )
        count = live.count() - before
        if count:
            event_record(case=policy, kind="proposed", actor=actor, data={"count": count})
    return count


def _lock_application(application: PolicyApplication) -> PolicyApplication:
    try:
        return (
            PolicyApplication.objects.select_for_update()
            .select_related("policy", "enterprise")
            .get(pk=application.pk)
        )
    except PolicyApplication.DoesNotExist:
        raise NotFoundError() from None


def _applicant_side(application) -> list[int]:
    return _enterprise_people(application.enterprise)


# What an application's move to each status records on its timeline, the message its applicant
# side gets, and what the refusal says when the move is not possible (None: the usual words).
_APPLICATION_MOVES = {
    ApplicationStatus.ACCEPTED: ("accepted", notices.APPLICATION_ACCEPTED, None),
    ApplicationStatus.REVIEWED: ("reviewed", notices.APPLICATION_REVIEWED, None),
    ApplicationStatus.APPROVED: ("approved", notices.APPLICATION_APPROVED, None),
    ApplicationStatus.PAID: (
        "paid",
        notices.APPLICATION_PAID,
        gettext_lazy("Only an approved application can be paid, once."),
    ),
    ApplicationStatus.REJECTED: ("rejected", notices.APPLICATION_REJECTED, None),
}


def _move(case, to, moves: dict, *, actor, told: dict, stamps=None, reason="", data=None) -> str:
    """Move the locked `case` to `to` as `moves` says for `to` (event kind, notice, refusal): the
    model's table guards it, the status is saved with `stamps` (field → value), the event recorded
    and the message sent with `told` (recipients, params, notification kind). Returns the previous
    status."""
    kind, code, refusal = moves[to]
    stamps = stamps or {}
    for name, value in stamps.items():
        setattr(case, name, value)
    previous = case_move(
        case, to, actor=actor, kind=kind, fields=list(stamps), reason=reason, data=data, message=refusal
    )
    notify(code=code, url=case.get_absolute_url(), **told)
    return previous


def _application_move(application, to, **move) -> str:
    """`_move` of an application, as `_APPLICATION_MOVES` says, telling its applicant side."""
    told = {
        "recipients": _applicant_side(application),
        "params": {"policy": application.policy},
        "kind": "benefit_application",
    }
    return _move(application, to, _APPLICATION_MOVES, told=told, **move)


def _material_store(model, upload, detected: str, *, actor, **owner):
    """Store one uploaded file as a `model` row (an application's or a voucher's material) of
    `owner` (the case and its slot or kind), typed by what its content showed (`detected`)."""
    material = model(
        original_name=(upload.name or "")[:200],
        content_type=content_type_of(detected),
        uploaded_by=actor,
        **owner,
    )
    material.file.save(upload.name or "file", upload, save=False)
    material.save()
    return material


def application_material_add(
    *, actor, application: PolicyApplication, slot: int, upload
) -> ApplicationMaterial:
    """Put a file in one slot of the policy's checklist (replacing the slot's file), while the
    application has not been accepted yet."""
    require(permissions.acts_for_enterprise(actor, application.enterprise_id))
    try:
        slot = int(slot)
    except (TypeError, ValueError):
        slot = -1
    if not 0 <= slot < len(application.policy.materials):
        raise InvalidInput(fields={"slot": [_("Choose one of the policy's required materials.")]})
    kind = upload_kind(upload)
    with transaction.atomic():
        application = _lock_application(application)
        if application.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.PROPOSED):
            raise Conflict(_("Materials can be changed only before the application is accepted."))
        existing = application.files.exclude(slot=slot).count()
        upload_count_check(existing=existing, adding=1)
        application.files.filter(slot=slot).delete()
        material = _material_store(
            ApplicationMaterial, upload, kind, actor=actor, application=application, slot=slot
        )
        event_record(
            case=application,
            kind="material_added",
            actor=actor,
            data={"material": application.policy.materials[slot]},
        )
    return material


def application_accept(*, actor, application: PolicyApplication) -> PolicyApplication:
    """The department accepts a complete application: every required material is there."""
    with transaction.atomic():
        application = _lock_application(application)
        require(permissions.reviews_policy(actor, application.policy))
        filled = set(application.files.values_list("slot", flat=True))
        missing = [name for i, name in enumerate(application.policy.materials) if i not in filled]
        if missing:
            raise Conflict(
                _("Materials missing: %(names)s.") % {"names": "、".join(missing)}, code="materials_missing"
            )
        _application_move(application, ApplicationStatus.ACCEPTED, actor=actor, stamps={"reviewer": actor})
    return application


def application_review(*, actor, application: PolicyApplication, amount) -> PolicyApplication:
    """The review decides the amount (Decimal yuan), within the policy's cap."""
    amount = _amount(amount, "amount")
    with transaction.atomic():
        application = _lock_application(application)
        require(permissions.reviews_policy(actor, application.policy))
        cap = application.policy.cap
        if cap is not None and amount > cap:
            raise InvalidInput(
                fields={"amount": [_("At most the policy's cap, %(cap)s yuan.") % {"cap": cap}]}
            )
        _application_move(
            application,
            ApplicationStatus.REVIEWED,
            actor=actor,
            stamps={"amount": amount, "reviewer": actor},
            data={"amount": str(amount)},
        )
    return application


def application_approve(*, actor, application: PolicyApplication, now=None) -> PolicyApplication:
    with transaction.atomic():
        application = _lock_application(application)
        require(permissions.reviews_policy(actor, application.policy))
        _application_move(
            application, ApplicationStatus.APPROVED, actor=actor, stamps={"decided_at": _now(now)}
        )
    return application


def application_pay(
    *, actor, application: PolicyApplication, paid_on: date | None = None, reference: str = ""
) -> Disbursement:
    """Record the payment in the ledger. A second payment of the same application is refused by the
    ledger's unique constraint (409), whatever the path that tries it."""
    reference = _text(reference, "reference", required=False, limit=100)
    with transaction.atomic():
        application = _lock_application(application)
        require(permissions.reviews_policy(actor, application.policy))
        paid = {"amount": str(application.amount)}
        _application_move(application, ApplicationStatus.PAID, actor=actor, data=paid)
        with refuse_duplicate(Conflict(_("This application has been paid already."), code="paid_already")):
            payment = Disbursement.objects.create(
                application=application,
                policy=application.policy,
                enterprise=application.enterprise,
                park_id=application.enterprise.park_id,
                amount=application.amount,
                paid_on=paid_on or timezone.localdate(),
                reference=reference,
                recorded_by=actor,
            )
    return payment


def application_reject(*, actor, application: PolicyApplication, reason: str, now=None) -> PolicyApplication:
    reason = _text(reason, "reason")
    with transaction.atomic():
        application = _lock_application(application)
        require(permissions.reviews_policy(actor, application.policy))
        _application_move(
            application,
            ApplicationStatus.REJECTED,
            actor=actor,
            stamps={"reason": reason, "decided_at": _now(now)},
            reason=reason,
        )
    return application


def application_rate(*, actor, application: PolicyApplication, score, comment: str = ""):
    """The enterprise rates (好差评) how its paid application was handled: the one rating of the
    case (`zone_portal.ratings`), a bad one opening a rectification for the issuing department."""
    from zone_portal.ratings.actions import rating_submit

    require(permissions.acts_for_enterprise(actor, application.enterprise_id) and not actor.is_zone_admin)
    application = PolicyApplication.objects.select_related("policy", "enterprise").get(pk=application.pk)
    if application.status != ApplicationStatus.PAID:
        raise Conflict(_("An application is rated once it has been paid."), code="not_finished")
    return rating_submit(
        actor=actor, case=application, score=score, comment=_text(comment, "comment", required=False)
    )


def _department_officers_by_department(department_ids) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    rows = User.departments.through.objects.filter(
        department_id__in=list(department_ids),
        user__is_active=True,
        user__role_grants__role=Role.DEPARTMENT_OFFICER,
    ).values_list("department_id", "user_id")
    for department_id, user_id in rows:
        found.setdefault(department_id, []).append(user_id)
    return found


def applications_sweep(*, now=None) -> dict:
    """Remind the department at the reminder point of a review and escalate (department and
    administrators) once it is overdue. Each step claims its rows once (a conditional UPDATE), so
    two sweeps at once remind and escalate once. A fixed number of statements."""
    now = _now(now)
    running = PolicyApplication.objects.filter(status__in=REVIEW_RUNNING)

    def told(code, kind: str, notification_kind: str, *, admins=False):
        """A step's effects: the event `kind` on each claimed application, and the message `code`
        to the reviewing department's officers (and the administrators)."""

        def effects(ids):
            rows = list(PolicyApplication.objects.filter(id__in=ids).select_related("policy", "enterprise"))
            officers = _department_officers_by_department({row.policy.department_id for row in rows})
            extra = _users_with_role(Role.ADMIN) if admins else []
            notes = [
                Notice(
                    case_id=row.pk,
                    recipients=[*officers.get(row.policy.department_id, []), *extra],
                    code=code,
                    params={"policy": row.policy, "enterprise": row.enterprise},
                    url=_application_url(row.pk),
                    data={"due_at": row.due_at.isoformat()},
                )
                for row in rows
            ]
            sweep_record(PolicyApplication, notes, kind=kind, at=now, notification_kind=notification_kind)

        return effects

    reminded = sweep_step(
        running.filter(reminded_at=None, risk_at__lte=now, due_at__gt=now),
        mark={"reminded_at": now},
        effects=told(notices.REVIEW_DUE_SOON, "review_reminder", "benefit_reminder"),
    )
    overdue = sweep_step(
        running.filter(overdue_marked_at=None, due_at__lte=now),
        mark={"overdue_marked_at": now},
        effects=told(notices.REVIEW_OVERDUE, "review_overdue", "benefit_overdue", admins=True),
    )
    return {"reminded": reminded, "overdue": overdue}


# --- vouchers -----------------------------------------------------------------------------------


def voucher_round_create(*, actor, data: dict) -> VoucherRound:
    require(permissions.manages_programmes(actor))
    required = ("name", "year", "opens_on", "closes_on", "valid_until", "budget")
    missing = [field for field in required if data.get(field) in (None, "")]
    if missing:
        raise InvalidInput(fields={field: [_("This field is required.")] for field in missing})
    for field in ("budget", "cap_per_enterprise"):
        if field in data:
            data[field] = _amount(data[field], field)
    if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
        raise InvalidInput(fields={"closes_on": [_("The window closes before it opens.")]})
    with refuse_duplicate(
        Conflict(_("A round of that name exists already."), fields={"name": [_("Taken.")]})
    ):
        return VoucherRound.objects.create(**data)


def voucher_round_city_total(*, actor, round: VoucherRound, city_total) -> VoucherRound:
    require(permissions.manages_programmes(actor))
    round.city_total = _amount(city_total, "city_total", required=False)
    round.save(update_fields=["city_total"])
    return round


def _voucher_url(voucher_id: int) -> str:
    return reverse("benefits:voucher", args=[voucher_id])


def _reserve(round: VoucherRound, enterprise: Enterprise, amount: Decimal) -> None:
    """Reserve `amount` on the round's budget and on the enterprise's year, each by one conditional
    UPDATE: the row lock makes a concurrent reservation wait and re-check against what this one
    wrote, so two at once cannot both pass. Always the round first, then the enterprise's year."""
    within_budget = VoucherRound.objects.filter(pk=round.pk, reserved__lte=F("budget") - amount).update(
        reserved=F("reserved") + amount
    )
    if not within_budget:
        left = VoucherRound.objects.filter(pk=round.pk).values_list("budget", "reserved").get()
        raise Conflict(
            _("The round's budget has %(left)s yuan left; this application asks for %(amount)s.")
            % {"left": money(left[0] - left[1]), "amount": amount},
            code="over_budget",
            fields={"amount": [_("More than the round's remaining budget.")]},
        )
    VoucherYear.objects.bulk_create(
        [VoucherYear(enterprise=enterprise, year=round.year)], ignore_conflicts=True
    )
    within_cap = VoucherYear.objects.filter(
        enterprise=enterprise, year=round.year, reserved__lte=round.cap_per_enterprise - amount
    ).update(reserved=F("reserved") + amount)
    if not within_cap:
        held = (
            VoucherYear.objects.filter(enterprise=enterprise, year=round.year)
            .values_list("reserved", flat=True)
            .get()
        )
        raise Conflict(
            _(
                "An enterprise receives at most %(cap)s yuan of vouchers a year; %(held)s are held for %(year)s "
                "already, so at most %(left)s more."
            )
            % {
                "cap": round.cap_per_enterprise,
                "held": held,
                "year": round.year,
                "left": money(max(round.cap_per_enterprise - held, 0)),
            },
            code="over_cap",
            fields={"amount": [_("More than the yearly cap per enterprise allows.")]},
        )


def _release(voucher: Voucher, amount: Decimal) -> None:
    VoucherRound.objects.filter(pk=voucher.round_id).update(reserved=F("reserved") - amount)
    VoucherYear.objects.filter(enterprise_id=voucher.enterprise_id, year=voucher.year).update(
        reserved=F("reserved") - amount
    )


def voucher_apply(
    *, actor, round: VoucherRound, enterprise: Enterprise, purposes, amount, now=None
) -> Voucher:
    """Apply for a voucher in an open round. Within the round's budget and the yearly cap per
    enterprise, both checked in the database (see `_reserve`); nothing is written when refused."""
    require(permissions.acts_for_enterprise(actor, enterprise.pk))
    now = _now(now)
    amount = _amount(amount, "amount")
    purposes = list(dict.fromkeys(purposes or []))
    if not purposes or any(p not in VoucherPurpose.values for p in purposes):
        raise InvalidInput(fields={"purposes": [_("Choose one or more purposes.")]})
    if not round.is_open(timezone.localdate(now)):
        raise Conflict(
            _("Applications to this round are open from %(opens)s to %(closes)s.")
            % {"opens": round.opens_on, "closes": round.closes_on},
            code="closed",
        )
    if enterprise.status != Enterprise.Status.ACTIVE:
        raise InvalidInput(_("Only an active enterprise of the register may apply."))
    with transaction.atomic():
        _reserve(round, enterprise, amount)
        voucher = Voucher.objects.create(
            round=round,
            enterprise=enterprise,
            year=round.year,
            purposes=purposes,
            amount=amount,
            status=VoucherStatus.APPLIED,
            applied_by=actor,
            applied_at=now,
        )
        event_record(
            case=voucher, kind="applied", actor=actor, to_state=voucher.status, data={"amount": str(amount)}
        )
        notify(
            recipients=_users_with_role(Role.ADMIN),
            code=notices.VOUCHER_APPLIED,
            params={"enterprise": enterprise, "amount": amount},
            url=_voucher_url(voucher.pk),
            kind="voucher",
        )
    return voucher


def _lock_voucher(voucher: Voucher) -> Voucher:
    try:
        return Voucher.objects.select_for_update().select_related("round", "enterprise").get(pk=voucher.pk)
    except Voucher.DoesNotExist:
        raise NotFoundError() from None


def _end_of_day(day: date) -> datetime:
    """The end of `day` in the zone (the first moment of the next day)."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=ZONE)


# What a voucher's move to each status records on its timeline, the message its enterprise gets,
# and the refusal's words (None: the usual ones).
_VOUCHER_MOVES = {
    VoucherStatus.ISSUED: ("issued", notices.VOUCHER_ISSUED, None),
    VoucherStatus.REJECTED: ("rejected", notices.VOUCHER_REJECTED, None),
    VoucherStatus.PAID: ("paid", notices.VOUCHER_PAID, None),
}


def _voucher_move(voucher, to, *, params=None, **move) -> str:
    """`_move` of a voucher, as `_VOUCHER_MOVES` says, telling its enterprise (`params`: the
    message's)."""
    told = {
        "recipients": _enterprise_people(voucher.enterprise),
        "params": params,
        "kind": "voucher",
    }
    return _move(voucher, to, _VOUCHER_MOVES, told=told, **move)


def voucher_issue(*, actor, voucher: Voucher, now=None) -> Voucher:
    """Issue the voucher: numbered, valid until the round's end of validity, with its reminder points."""
    require(permissions.manages_programmes(actor))
    now = _now(now)
    with transaction.atomic():
        voucher = _lock_voucher(voucher)
        number = f"KJQ{voucher.year}-{voucher.pk:05d}"
        expires_at = _end_of_day(voucher.round.valid_until)
        _voucher_move(
            voucher,
            VoucherStatus.ISSUED,
            actor=actor,
            stamps={
                "issued_at": now,
                "number": number,
                "expires_at": expires_at,
                "remind_30_at": expires_at - timedelta(days=VOUCHER_REMINDERS[0]),
                "remind_7_at": expires_at - timedelta(days=VOUCHER_REMINDERS[1]),
            },
            params={"number": number, "amount": voucher.amount, "until": voucher.round.valid_until},
        )
    return voucher


def voucher_reject(*, actor, voucher: Voucher, reason: str) -> Voucher:
    """Refuse an application (its reservation is released) or a redemption (the voucher stays issued
    in the year's figures, nothing is paid)."""
    require(permissions.manages_programmes(actor))
    reason = _text(reason, "reason")
    with transaction.atomic():
        voucher = _lock_voucher(voucher)
        previous = _voucher_move(
            voucher, VoucherStatus.REJECTED, actor=actor, stamps={"reason": reason}, reason=reason
        )
        if previous == VoucherStatus.APPLIED:
            _release(voucher, voucher.amount)
    return voucher


def voucher_redeem(*, actor, voucher: Voucher, claimed_amount, note: str, files: dict, now=None) -> Voucher:
    """Submit the redemption with its materials: at least one contract, invoice and report
    (`files`: kind → list of uploads), before the end of validity."""
    require(permissions.acts_for_enterprise(actor, voucher.enterprise_id))
    now = _now(now)
    claimed = _amount(claimed_amount, "claimed_amount")
    note = _text(note, "note", required=False)
    missing = [str(label) for kind, label in REDEMPTION_KINDS.items() if not files.get(kind)]
    if missing:
        raise InvalidInput(
            _("Materials missing: %(names)s.") % {"names": "、".join(missing)},
            fields={kind: [_("Required.")] for kind in REDEMPTION_KINDS if not files.get(kind)},
        )
    kinds = {
        kind: [upload_kind(upload, field=kind) for upload in uploads]
        for kind, uploads in files.items()
        if kind in REDEMPTION_KINDS
    }
    with transaction.atomic():
        voucher = _lock_voucher(voucher)
        if voucher.status == VoucherStatus.ISSUED and voucher.expires_at and voucher.expires_at <= now:
            raise Conflict(
                _("This voucher expired on %(day)s.") % {"day": voucher.round.valid_until}, code="expired"
            )
        previous = transition(voucher, VoucherStatus.REDEMPTION_SUBMITTED)
        if claimed > voucher.amount:
            raise InvalidInput(
                fields={
                    "claimed_amount": [
                        _("At most the voucher's amount, %(amount)s yuan.") % {"amount": voucher.amount}
                    ]
                }
            )
        upload_count_check(existing=voucher.files.count(), adding=sum(len(v) for v in kinds.values()))
        for kind, uploads in files.items():
            for upload, detected in zip(uploads, kinds.get(kind, []), strict=False):
                _material_store(VoucherMaterial, upload, detected, actor=actor, voucher=voucher, kind=kind)
        voucher.claimed_amount = claimed
        voucher.redemption_note = note
        voucher.redeemed_at = now
        voucher.save(update_fields=["status", "claimed_amount", "redemption_note", "redeemed_at"])
        event_record(
            case=voucher,
            kind="redemption_submitted",
            actor=actor,
            from_state=previous,
            to_state=voucher.status,
        )
        notify(
            recipients=_users_with_role(Role.ADMIN),
            code=notices.VOUCHER_REDEMPTION,
            params={"number": voucher.number},
            url=_voucher_url(voucher.pk),
            kind="voucher",
        )
    return voucher


def expert_conflicts(expert, enterprise: Enterprise) -> str:
    """Why `expert` may not review `enterprise`'s redemption ("" when nothing stands in the way)."""
    if enterprise.pk in expert.enterprise_ids:
        return _("works for the enterprise")
    if officer_serves(expert, enterprise.pk):
        return _("is the enterprise's chief service officer")
    if ExpertConflict.objects.filter(expert=expert, enterprise=enterprise).exists():
        return _("declared a conflict of interest")
    return ""


def expert_conflict_declare(*, actor, expert, enterprise: Enterprise, note: str = "") -> ExpertConflict:
    """An expert declares a conflict (or an administrator records one for them)."""
    require(actor.pk == expert.pk or permissions.manages_programmes(actor))
    conflict, _created = ExpertConflict.objects.get_or_create(
        expert=expert,
        enterprise=enterprise,
        defaults={"note": _text(note, "note", required=False, limit=200)},
    )
    return conflict


def voucher_assign_experts(*, actor, voucher: Voucher, experts, now=None) -> Voucher:
    """Send the redemption to experts: at least the round's number (2 by default), each holding the
    expert role and none linked to the enterprise (its staff, its officer, a declared conflict)."""
    require(permissions.manages_programmes(actor))
    now = _now(now)
    experts = list({e.pk: e for e in experts if e is not None}.values())
    with transaction.atomic():
        voucher = _lock_voucher(voucher)
        if len(experts) < voucher.round.min_experts:
            raise InvalidInput(
                fields={
                    "experts": [
                        _("Assign at least %(n)d different experts.") % {"n": voucher.round.min_experts}
                    ]
                }
            )
        not_experts = [str(e) for e in experts if not e.has_role(Role.EXPERT)]
        if not_experts:
            raise InvalidInput(
                fields={"experts": [_("Not experts: %(names)s.") % {"names": "、".join(not_experts)}]}
            )
        conflicted = [(e, expert_conflicts(e, voucher.enterprise)) for e in experts]
        conflicted = [f"{e} ({why})" for e, why in conflicted if why]
        if conflicted:
            raise InvalidInput(
                _("A conflict of interest: %(names)s.") % {"names": "、".join(conflicted)},
                code="conflict_of_interest",
                fields={
                    "experts": [_("Conflict of interest: %(names)s.") % {"names": "、".join(conflicted)}]
                },
            )
        case_move(
            voucher,
            VoucherStatus.UNDER_REVIEW,
            actor=actor,
            kind="experts_assigned",
            data={"experts": [str(e) for e in experts]},
        )
        due_at = deadline_after(now, working_days(EXPERT_REVIEW_DAYS), at_risk_ratio=AT_RISK_RATIO).due_at
        VoucherReview.objects.bulk_create(
            [VoucherReview(voucher=voucher, expert=e, assigned_at=now, due_at=due_at) for e in experts]
        )
        notify(
            recipients=experts,
            code=notices.VOUCHER_TO_REVIEW,
            params={"number": voucher.number},
            url=_voucher_url(voucher.pk),
            kind="voucher_review",
        )
    return voucher


def voucher_review_submit(*, actor, voucher: Voucher, score, opinion: str, now=None) -> VoucherReview:
    """An assigned expert's score (0–100) and opinion, once."""
    opinion = _text(opinion, "opinion")
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = -1
    if not 0 <= score <= 100:
        raise InvalidInput(fields={"score": [_("A score from 0 to 100.")]})
    with transaction.atomic():
        voucher = _lock_voucher(voucher)
        review = VoucherReview.objects.select_for_update().filter(voucher=voucher, expert=actor).first()
        require(review is not None)
        # Experts review while the redemption can still be paid.
        if not can_transition(voucher, VoucherStatus.PAID) or review.reviewed_at is not None:
            raise Conflict(_("This review has been given already."), code="reviewed_already")
        review.score, review.opinion, review.reviewed_at = score, opinion, _now(now)
        review.save(update_fields=["score", "opinion", "reviewed_at"])
        event_record(case=voucher, kind="expert_reviewed", actor=actor, data={"score": score})
    return review


def voucher_pay(*, actor, voucher: Voucher, amount, paid_on: date | None = None) -> Voucher:
    """Pay the redemption once every assigned expert has reviewed it: at most the amount claimed
    and never more than the amount issued (a CHECK backs it)."""
    require(permissions.manages_programmes(actor))
    amount = _amount(amount, "amount")
    with transaction.atomic():
        voucher = _lock_voucher(voucher)
        pending = voucher.reviews.filter(reviewed_at=None).count()
        if voucher.status == VoucherStatus.UNDER_REVIEW and pending:
            raise Conflict(
                _("%(n)d expert reviews are still missing.") % {"n": pending}, code="reviews_missing"
            )
        limit = min(voucher.amount, voucher.claimed_amount or voucher.amount)
        if amount > limit:
            raise InvalidInput(
                fields={
                    "amount": [
                        _("At most %(limit)s yuan (the amount issued and claimed).") % {"limit": limit}
                    ]
                }
            )
        _voucher_move(
            voucher,
            VoucherStatus.PAID,
            actor=actor,
            stamps={"paid_amount": amount, "paid_on": paid_on or timezone.localdate()},
            params={"number": voucher.number, "amount": amount},
            data={"amount": str(amount)},
        )
    return voucher


# The verbs on an application and on a voucher, for the pages and the API alike: the action and
# the inputs it takes (with their value when absent).
APPLICATION_VERBS = {
    "accept": (application_accept, {}),
    "review": (application_review, {"amount": None}),
    "approve": (application_approve, {}),
    "pay": (application_pay, {"paid_on": None, "reference": ""}),
    "reject": (application_reject, {"reason": ""}),
    "rate": (application_rate, {"score": None, "comment": ""}),
}
VOUCHER_VERBS = {
    "issue": (voucher_issue, {}),
    "reject": (voucher_reject, {"reason": ""}),
    "redeem": (voucher_redeem, {"claimed_amount": None, "note": "", "files": {}}),
    "assign": (voucher_assign_experts, {"experts": []}),
    "review": (voucher_review_submit, {"score": None, "opinion": ""}),
    "pay": (voucher_pay, {"amount": None}),
}


def case_act(verbs: dict, verb: str, *, actor, values: Mapping, **case):
    """Do `verb` (a key of `verbs`) on the case (`application=` or `voucher=`) with the inputs the
    verb takes from `values`; what the action refuses is refused the same way."""
    action, inputs = verbs[verb]
    return action(actor=actor, **case, **{name: values.get(name, absent) for name, absent in inputs.items()})


def vouchers_sweep(*, now=None) -> dict:
    """Remind the enterprise and its officer 30 and 7 days before an issued voucher's end of
    validity, and expire it at the end; tell an expert and the administrators once the expert's
    review is overdue. Each a claim by conditional UPDATE, so each happens once even under two
    sweeps at once. A fixed number of statements whatever the number of vouchers."""
    from django.db.models import OuterRef

    from enterprises.selectors import current_cso_id

    now = _now(now)
    issued = Voucher.objects.filter(status=VoucherStatus.ISSUED)

    def told(code, kind: str, notification_kind: str):
        """A step's effects: the event `kind` on each claimed voucher, and the message `code` to the
        enterprise's members and its chief service officer."""

        def effects(ids):
            rows = list(
                Voucher.objects.filter(id__in=ids)
                .annotate(cso_id=current_cso_id(OuterRef("enterprise_id")))
                .select_related("round")
            )
            members = enterprise_member_ids({row.enterprise_id for row in rows})
            notes = [
                Notice(
                    case_id=row.pk,
                    recipients=[*members.get(row.enterprise_id, []), row.cso_id],
                    code=code,
                    params={"number": row.number, "amount": row.amount, "until": row.round.valid_until},
                    url=_voucher_url(row.pk),
                )
                for row in rows
            ]
            sweep_record(Voucher, notes, kind=kind, at=now, notification_kind=notification_kind)

        return effects

    def reviews_overdue(ids):
        admins = _users_with_role(Role.ADMIN)
        reviews = VoucherReview.objects.filter(id__in=ids).select_related("voucher", "expert")
        sweep_record(
            Voucher,
            [
                Notice(
                    case_id=review.voucher_id,
                    recipients=[review.expert_id, *admins],
                    code=notices.VOUCHER_REVIEW_OVERDUE,
                    params={
                        "number": review.voucher.number,
                        "expert": str(review.expert),
                        "due": minute_text(review.due_at),
                    },
                    url=_voucher_url(review.voucher_id),
                    data={"expert": str(review.expert), "due_at": review.due_at.isoformat()},
                    round=review.pk,  # one per expert's review of the voucher
                )
                for review in reviews
            ],
            kind="expert_review_overdue",
            at=now,
            notification_kind="voucher_review_overdue",
        )

    counts = {
        "reminded_30": sweep_step(
            issued.filter(reminded_30_at=None, remind_30_at__lte=now, remind_7_at__gt=now),
            mark={"reminded_30_at": now},
            effects=told(notices.VOUCHER_EXPIRES, "expiry_reminder_30", "voucher_expiry"),
        ),
        "reminded_7": sweep_step(
            issued.filter(reminded_7_at=None, remind_7_at__lte=now, expires_at__gt=now),
            mark={"reminded_7_at": now},
            effects=told(notices.VOUCHER_EXPIRES, "expiry_reminder_7", "voucher_expiry"),
        ),
        "expired": sweep_step(
            Voucher.objects.filter(
                transition_q(Voucher, VoucherStatus.EXPIRED), status=VoucherStatus.ISSUED, expires_at__lte=now
            ),
            mark={"status": VoucherStatus.EXPIRED, "expired_at": now},
            effects=told(notices.VOUCHER_EXPIRED, "expired", "voucher_expired"),
        ),
        "reviews_overdue": sweep_step(
            VoucherReview.objects.filter(
                reviewed_at=None,
                overdue_marked_at=None,
                due_at__lte=now,
                voucher__status=VoucherStatus.UNDER_REVIEW,
            ),
            mark={"overdue_marked_at": now},
            effects=reviews_overdue,
        ),
    }
    return counts


# --- financing ----------------------------------------------------------------------------------


def bank_create(*, actor, name: str) -> Bank:
    """A bank as an organisation; the same name twice is the same bank (returned, not doubled)."""
    require(permissions.manages_programmes(actor))
    bank, _created = Bank.objects.get_or_create(name=_text(name, "name", limit=200))
    return bank


def _day(value, field: str) -> date:
    if not isinstance(value, date):
        raise InvalidInput(fields={field: [_("This field is required.")]})
    return value


def matching_event_record(
    *, actor, title: str, held_on: date, park=None, banks=(), enterprises=()
) -> MatchingEvent:
    """A matching event (对接会) with the banks present and the enterprises that attended."""
    require(permissions.manages_programmes(actor))
    title = _text(title, "title", limit=200)
    held_on = _day(held_on, "held_on")
    with transaction.atomic():
        event = MatchingEvent.objects.create(title=title, held_on=held_on, park=park)
        event.banks.set(banks)
        event.enterprises.set(enterprises)
    return event


def credit_line_record(
    *, actor, bank: Bank, enterprise: Enterprise, amount, granted_on: date, event=None
) -> CreditLine:
    """A credit line a bank granted an enterprise (at a matching event, if it came from one)."""
    require(permissions.manages_programmes(actor))
    errors = {}
    if bank is None:
        errors["bank"] = [_("Choose the bank.")]
    if enterprise is None:
        errors["enterprise"] = [_("Choose the enterprise.")]
    if errors:
        raise InvalidInput(fields=errors)
    amount = _amount(amount, "amount")
    granted_on = _day(granted_on, "granted_on")
    if event is not None and event.held_on > granted_on:
        raise InvalidInput(
            fields={"event": [_("The credit line cannot be granted before its matching event.")]}
        )
    return CreditLine.objects.create(
        bank=bank, enterprise=enterprise, amount=amount, granted_on=granted_on, event=event
    )


def _fraction_input(value, field: str, *, high: int, places: str, message) -> Decimal | None:
    """A decimal from user input between 0 and `high` with at most the decimals of `places`
    ("0.01"): None when blank, `InvalidInput` on `field` with `message` otherwise."""
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        number = None
    if (
        number is None
        or not number.is_finite()
        or not 0 <= number <= high
        or number != number.quantize(Decimal(places))
    ):
        raise InvalidInput(fields={field: [message]})
    return number


def _rate(value) -> Decimal:
    """A loan's yearly interest rate in percent, as the model keeps it: 0 (interest-free) to 100,
    at most three decimals (3.875)."""
    if value in (None, ""):
        raise InvalidInput(fields={"annual_rate": [_("This field is required.")]})
    rate = _fraction_input(
        value,
        "annual_rate",
        high=100,
        places="0.001",
        message=_("A yearly rate in percent from 0 to 100, at most three decimals, e.g. 4.35."),
    )
    return rate.quantize(Decimal("0.001"))


def _share(value, *, default: Decimal) -> Decimal:
    """The subsidised share of interest, a fraction from 0 to 1 (0.5 is half)."""
    share = _fraction_input(
        value,
        "subsidy_share",
        high=1,
        places="0.01",
        message=_("A share between 0 and 1 with at most two decimals, e.g. 0.5."),
    )
    return default if share is None else share


def loan_record(
    *,
    actor,
    bank: Bank,
    enterprise: Enterprise,
    amount,
    drawn_on: date,
    annual_rate,
    term_months: int = 12,
    kind: str = LoanKind.ORDINARY,
    evaluator: str = "",
    patents: str = "",
    subsidy_share=None,
    credit_line=None,
) -> Loan:
    """A loan drawn. A patent-pledge loan names its evaluation agency and has half its interest
    subsidised unless said otherwise; a loan drawn on a credit line is the line's bank and enterprise."""
    require(permissions.manages_programmes(actor))
    errors = {}
    if kind not in LoanKind.values:
        errors["kind"] = [_("Unknown kind of loan.")]
    if bank is None:
        errors["bank"] = [_("Choose the bank.")]
    if enterprise is None:
        errors["enterprise"] = [_("Choose the enterprise.")]
    if not isinstance(term_months, int) or not 1 <= term_months <= 360:
        errors["term_months"] = [_("A term of 1 to 360 months.")]
    if kind == LoanKind.PATENT_PLEDGE and not (evaluator or "").strip():
        errors["evaluator"] = [_("A patent-pledge loan names its evaluation agency.")]
    if credit_line is not None and (credit_line.bank_id, credit_line.enterprise_id) != (
        getattr(bank, "pk", None),
        getattr(enterprise, "pk", None),
    ):
        errors["credit_line"] = [_("The credit line is another bank's or another enterprise's.")]
    if errors:
        raise InvalidInput(fields=errors)
    rate = _rate(annual_rate)
    share = _share(subsidy_share, default=Decimal("0.50") if kind == LoanKind.PATENT_PLEDGE else ZERO_SHARE)
    amount = _amount(amount, "amount")
    drawn_on = _day(drawn_on, "drawn_on")
    with transaction.atomic():
        loan = Loan.objects.create(
            kind=kind,
            bank=bank,
            enterprise=enterprise,
            credit_line=credit_line,
            amount=amount,
            drawn_on=drawn_on,
            term_months=term_months,
            annual_rate=rate,
            evaluator=_text(evaluator, "evaluator", required=False, limit=200),
            patents=_text(patents, "patents", required=False, limit=500),
            subsidy_share=share,
        )
        event_record(case=loan, kind="recorded", actor=actor)
    return loan


def loan_subsidy_pay(*, actor, loan: Loan, amount, paid_on: date | None = None) -> SubsidyPayment:
    """Pay part of the interest subsidy; the payments never add up to more than the subsidy due
    (the loan row is locked while they are summed), and a payment is recorded once: the database
    refuses a second one for the loan on the same day (`one_subsidy_payment_per_loan_day`)."""
    require(permissions.manages_programmes(actor))
    amount = _amount(amount, "amount")
    paid_on = paid_on or timezone.localdate()
    with refuse_duplicate(
        Conflict(
            _("A subsidy payment of this loan on %(day)s is recorded already.")
            % {"day": paid_on.isoformat()},
            code="duplicate_subsidy",
            fields={"paid_on": [_("Recorded already: one payment per loan and day.")]},
        )
    ):
        loan = Loan.objects.select_for_update().get(pk=loan.pk)
        paid = sum((p.amount for p in loan.subsidies.all()), Decimal("0.00"))
        if paid + amount > loan.subsidy_due:
            raise Conflict(
                _("The subsidy due is %(due)s yuan, %(paid)s paid already.")
                % {"due": money_text(loan.subsidy_due), "paid": money_text(paid)},
                code="over_subsidy",
                fields={"amount": [_("More than the subsidy still due.")]},
            )
        payment = SubsidyPayment.objects.create(loan=loan, amount=amount, paid_on=paid_on, recorded_by=actor)
        event_record(case=loan, kind="subsidy_paid", actor=actor, data={"amount": str(amount)})
    return payment


def _may_link_tickets(actor, loan: Loan) -> bool:
    return permissions.manages_programmes(actor) or permissions.acts_for_enterprise(actor, loan.enterprise_id)


def loan_link_ticket(*, actor, loan: Loan, ticket) -> Loan:
    """Link a problem ticket (a difficulty met on the way) to the loan: one of the loan's enterprise
    that the actor may read."""
    from feedback.selectors import tickets_visible_to

    require(_may_link_tickets(actor, loan))
    if (
        ticket is None
        or ticket.enterprise_id != loan.enterprise_id
        or not tickets_visible_to(actor).filter(pk=ticket.pk).exists()
    ):
        raise InvalidInput(fields={"ticket": [_("Choose a problem of this loan's enterprise.")]})
    loan.tickets.add(ticket)
    event_record(case=loan, kind="ticket_linked", actor=actor, data={"ticket": ticket.pk})
    return loan


def loan_ticket_raise(*, actor, loan: Loan, title: str, description: str, urgency: str = "normal"):
    """Raise a financing problem for the loan's enterprise (the feedback app's `ticket_raise`, with
    its deadlines and notices) and link it to the loan, both or neither."""
    from feedback.actions import ticket_raise
    from feedback.models import Category, Source

    require(_may_link_tickets(actor, loan))
    if actor.has_role(Role.ENTERPRISE_STAFF) and loan.enterprise_id in actor.enterprise_ids:
        source = Source.ENTERPRISE
    elif actor.has_role(Role.CSO) and officer_serves(actor, loan.enterprise_id):
        source = Source.VISIT
    else:
        source = Source.PARK
    with transaction.atomic():
        ticket = ticket_raise(
            actor=actor,
            enterprise=loan.enterprise,
            category=Category.FINANCING,
            title=title,
            description=description,
            urgency=urgency,
            source=source,
        )
        loan.tickets.add(ticket)
        event_record(case=loan, kind="ticket_linked", actor=actor, data={"ticket": ticket.pk})
    return ticket
