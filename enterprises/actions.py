"""Every write of the enterprises app: atomic, locked, checked, recorded on the timeline, notified."""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zone_portal.accounts.models import User, UserRole
from zone_portal.accounts.roles import Role
from zone_portal.cases.transitions import case_move
from zone_portal.cases.unique import refuse_duplicate
from zone_portal.checks import text_input
from zone_portal.errors import (
    Conflict,
    InvalidInput,
    PermissionDeniedError,
    TooManyRequests,
    TransitionForbidden,
)
from zone_portal.events.log import event_record, events_record_many
from zone_portal.events.models import Event
from zone_portal.notifications.actions import notify
from zone_portal.notifications.messages import message_render
from zone_portal.uploads import FileKind, upload_kind

from . import notices, permissions
from .importing import FileUnreadable, RowValidator, column_header, preview_row, read_rows
from .links import account_link_token
from .models import (
    QUALIFICATION_FIELDS,
    AccountRequest,
    CsoAssignment,
    Enterprise,
    EnterpriseImport,
    EnterpriseMembership,
    Visit,
)
from .pinyin import name_search_keys

log = logging.getLogger(__name__)

IMPORT_BATCH_SIZE = 500
IMPORT_STALE_SECONDS = (
    settings.IMPORT_STALE_SECONDS
)  # a "running" import without a heartbeat for this long was lost
MAX_STORED_ERRORS = 2000
PREVIEW_ROWS = 10


def _enterprise_url(enterprise) -> str:
    return reverse("enterprises:detail", args=[enterprise.pk])


def _invalid(exc: ValidationError) -> InvalidInput:
    if hasattr(exc, "error_dict"):
        return InvalidInput(fields={k: [str(m) for m in v] for k, v in exc.message_dict.items()})
    return InvalidInput(" ".join(exc.messages))


def _display(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def _lock(enterprise) -> Enterprise:
    return Enterprise.objects.select_for_update().select_related("park").get(pk=enterprise.pk)


def _open_assignment(enterprise) -> CsoAssignment | None:
    return CsoAssignment.objects.current().filter(enterprise=enterprise).select_related("officer").first()


# --- the register ------------------------------------------------------------------------------


def enterprise_create(*, actor, data: dict) -> Enterprise:
    """Register an enterprise (clerks and administrators); the code must pass GB 32100-2015."""
    if actor is not None and not permissions.can_edit_register(actor):
        raise PermissionDeniedError()
    enterprise = Enterprise(**data)
    enterprise.name_initials, enterprise.name_pinyin = name_search_keys(enterprise.name)
    try:
        enterprise.full_clean()
    except ValidationError as exc:
        raise _invalid(exc) from None
    with transaction.atomic():
        with refuse_duplicate(
            InvalidInput(fields={"uscc": [_("An enterprise with this code is already registered.")]})
        ):
            enterprise.save()
        event_record(case=enterprise, kind="enterprise_created", actor=actor, to_state=enterprise.status)
    return enterprise


def enterprise_update(*, actor, enterprise, changes: dict) -> Enterprise:
    """Change register fields and qualifications; each caller only the fields its role may edit.

    Register changes and qualification changes are two events on the timeline (with old → new).
    """
    with transaction.atomic():
        enterprise = _lock(enterprise)
        current = _open_assignment(enterprise)
        allowed = permissions.editable_fields(
            actor, enterprise, current_officer_id=current.officer_id if current else None
        )
        refused = sorted(set(changes) - allowed)
        if refused:
            raise PermissionDeniedError(
                _("You may not change: %(fields)s.")
                % {"fields": "、".join(str(Enterprise._meta.get_field(f).verbose_name) for f in refused)}
            )
        diff = {}
        for name, value in changes.items():
            old = getattr(enterprise, name)
            if old != value:
                diff[name] = [_display(old), _display(value)]
                setattr(enterprise, name, value)
        if not diff:
            return enterprise
        if "name" in diff:
            enterprise.name_initials, enterprise.name_pinyin = name_search_keys(enterprise.name)
        try:
            enterprise.full_clean()
        except ValidationError as exc:
            raise _invalid(exc) from None
        enterprise.updated_at = timezone.now()
        with refuse_duplicate(
            InvalidInput(fields={"uscc": [_("An enterprise with this code is already registered.")]})
        ):
            enterprise.save()
        register = {k: v for k, v in diff.items() if k not in QUALIFICATION_FIELDS}
        qualifications = {k: v for k, v in diff.items() if k in QUALIFICATION_FIELDS}
        if register:
            event_record(case=enterprise, kind="enterprise_updated", actor=actor, data={"changes": register})
        if qualifications:
            event_record(
                case=enterprise, kind="qualifications_changed", actor=actor, data={"changes": qualifications}
            )
    return enterprise


def enterprise_status_change(*, actor, enterprise, status: str, reason: str) -> Enterprise:
    """Move an enterprise out or deregister it (or bring it back); leaving ends its officer's duty."""
    if not permissions.can_edit_register(actor):
        raise PermissionDeniedError()
    reason = text_input(reason, "reason", missing=_("Say why the status changes."))
    with transaction.atomic():
        enterprise = _lock(enterprise)
        refusal = _("An enterprise that is %(from)s cannot become %(to)s.") % {
            "from": enterprise.get_status_display(),
            "to": Enterprise.Status(status).label,
        }
        enterprise.updated_at = timezone.now()
        case_move(
            enterprise,
            status,
            actor=actor,
            kind="status_changed",
            fields=["updated_at"],
            reason=reason,
            message=refusal,
        )
        if status != Enterprise.Status.ACTIVE:
            current = _open_assignment(enterprise)
            if current:
                current.ended_at = timezone.now()
                current.save(update_fields=["ended_at"])
                event_record(
                    case=enterprise,
                    kind="cso_released",
                    actor=actor,
                    reason=reason,
                    data={"officer": current.officer.username},
                )
    return enterprise


def enterprise_search_keys_refresh() -> int:
    """Fill the pinyin search keys of rows written without them (e.g. by a data migration)."""
    rows = list(Enterprise.objects.filter(name_pinyin="").only("id", "name"))
    for row in rows:
        row.name_initials, row.name_pinyin = name_search_keys(row.name)
    Enterprise.objects.bulk_update(rows, ["name_initials", "name_pinyin"], batch_size=500)
    return len(rows)


# --- chief service officers --------------------------------------------------------------------


def _check_officer(officer) -> None:
    if not officer.is_active or not officer.has_role(Role.CSO):
        raise InvalidInput(fields={"officer": [_("Choose an active chief service officer.")]})


def cso_assign(*, actor, enterprise, officer, reason: str) -> CsoAssignment:
    """Make `officer` the enterprise's chief service officer; a handover keeps the history.

    The enterprise row is locked first, so concurrent assignments run one after the other and the
    later one hands over from the earlier; the partial unique constraint `one_active_cso` keeps
    exactly one open assignment whatever happens.
    """
    reason = (reason or "").strip()
    _check_officer(officer)
    with transaction.atomic():
        enterprise = _lock(enterprise)
        current = _open_assignment(enterprise)
        if actor is not None and not permissions.can_assign_cso(
            actor, enterprise, current_officer_id=current.officer_id if current else None
        ):
            raise PermissionDeniedError(_("You may not assign this enterprise's officer."))
        if not enterprise.is_active:
            raise TransitionForbidden(_("Only an active enterprise has a chief service officer."))
        if current and current.officer_id == officer.pk:
            raise TransitionForbidden(
                _("%(officer)s is already this enterprise's officer.") % {"officer": officer}
            )
        if current and not reason:
            raise InvalidInput(fields={"reason": [_("Say why the enterprise is handed over.")]})
        now = timezone.now()
        if current:
            current.ended_at = now
            current.save(update_fields=["ended_at"])
        assignment = CsoAssignment.objects.create(
            enterprise=enterprise, officer=officer, started_at=now, reason=reason, assigned_by=actor
        )
        event_record(
            case=enterprise,
            kind="cso_handed_over" if current else "cso_assigned",
            actor=actor,
            reason=reason,
            data={
                "from": current.officer.username if current else None,
                "from_name": str(current.officer) if current else None,
                "to": officer.username,
                "to_name": str(officer),
            },
        )
        url = _enterprise_url(enterprise)
        notify(
            recipients=[officer],
            code=notices.CSO_ASSIGNED,
            params={"name": enterprise.name, "text": reason},
            url=url,
            kind="cso_assigned",
        )
        if current:
            notify(
                recipients=[current.officer],
                code=notices.CSO_HANDED_OVER,
                params={"name": enterprise.name, "officer": officer, "text": reason},
                url=url,
                kind="cso_handed_over",
            )
    return assignment


def cso_assign_bulk(*, actor, park, officer, reason: str, only_without_officer: bool = True) -> int:
    """Assign `officer` to the park's active enterprises (by default only those without one).

    Set-based: the rows are locked in id order, open assignments closed by one UPDATE, the new ones
    inserted by one INSERT, events written in one statement. Returns how many were assigned.
    """
    if actor is not None and not permissions.can_bulk_assign(actor, park):
        raise PermissionDeniedError()
    _check_officer(officer)
    reason = (reason or "").strip() or _("Bulk assignment for %(park)s") % {"park": park.name}
    with transaction.atomic():
        ids = list(
            Enterprise.objects.select_for_update()
            .filter(park=park, status=Enterprise.Status.ACTIVE)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        open_rows = dict(
            CsoAssignment.objects.current()
            .filter(enterprise_id__in=ids)
            .values_list("enterprise_id", "officer__username")
        )
        targets = [
            pk
            for pk in ids
            if (pk not in open_rows or not only_without_officer) and open_rows.get(pk) != officer.username
        ]
        if not targets:
            return 0
        now = timezone.now()
        CsoAssignment.objects.current().filter(enterprise_id__in=targets).update(ended_at=now)
        CsoAssignment.objects.bulk_create(
            [
                CsoAssignment(
                    enterprise_id=pk, officer=officer, started_at=now, reason=reason, assigned_by=actor
                )
                for pk in targets
            ],
            batch_size=1000,
        )
        kind_ct = _content_type(Enterprise)
        events_record_many(
            Event(
                content_type=kind_ct,
                object_id=pk,
                kind="cso_handed_over" if pk in open_rows else "cso_assigned",
                actor=actor,
                reason=reason,
                at=now,
                data={
                    "from": open_rows.get(pk),
                    "to": officer.username,
                    "to_name": str(officer),
                    "bulk": True,
                },
            )
            for pk in targets
        )
        notify(
            recipients=[officer],
            code=notices.CSO_ASSIGNED_MANY,
            params={"n": len(targets), "park": park.name, "text": reason},
            url=reverse("enterprises:mine"),
            kind="cso_assigned",
        )
        previous = set(open_rows[pk] for pk in targets if pk in open_rows)
        if previous:
            notify(
                recipients=User.objects.filter(username__in=previous),
                code=notices.CSO_HANDED_OVER_MANY,
                params={"park": park.name, "officer": officer, "text": reason},
                url=reverse("enterprises:mine"),
                kind="cso_handed_over",
            )
    return len(targets)


def _content_type(model):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model)


# --- visits ------------------------------------------------------------------------------------


def visit_check_may_log(*, actor, enterprise) -> None:
    """Raise PermissionDeniedError unless `actor` logs visits of `enterprise` (its officer, its park, admins)."""
    current = _open_assignment(enterprise)
    if not permissions.can_log_visit(
        actor, enterprise, current_officer_id=current.officer_id if current else None
    ):
        raise PermissionDeniedError(_("Only the enterprise's officer or its park logs visits."))


def visit_log(*, actor, enterprise, visited_on: date, findings: str, participants: str = "") -> Visit:
    """Record a visit (走访) by `actor`; findings may later be raised as a problem ticket.

    Who may not log visits is refused (403) before anything of the input is judged.
    """
    with transaction.atomic():
        visit_check_may_log(actor=actor, enterprise=enterprise)
        findings = (findings or "").strip()
        errors = {}
        if not findings:
            errors["findings"] = [_("Write what the visit found (or “no problems”).")]
        if visited_on and visited_on > timezone.localdate():
            errors["visited_on"] = [_("A visit cannot be in the future.")]
        if not visited_on:
            errors["visited_on"] = [_("Give the date of the visit.")]
        if errors:
            raise InvalidInput(fields=errors)
        visit = Visit.objects.create(
            enterprise=enterprise,
            officer=actor,
            visited_on=visited_on,
            participants=(participants or "").strip()[:300],
            findings=findings,
        )
        event_record(
            case=enterprise, kind="visit_logged", actor=actor, data={"visit": visit.pk, "on": str(visited_on)}
        )
    return visit


# --- enterprise accounts -----------------------------------------------------------------------


def _new_enterprise_user(*, username, display_name, phone, email, password_hash) -> User:
    user = User(username=username, display_name=display_name, phone=phone, email=email or "")
    user.password = password_hash
    user.save()
    UserRole.objects.create(user=user, role=Role.ENTERPRISE_STAFF)
    return user


# Staff accounts live in their enterprise's own namespace, `<name>@e<enterprise id>`, and "@" is
# refused in every username chosen elsewhere: so a clash when an owner adds a colleague can only be
# with an account of the same enterprise, and the answer tells nothing about anyone else's name.
STAFF_NAMESPACE = "@e"


def staff_username(local: str, enterprise) -> str:
    return f"{local}{STAFF_NAMESPACE}{enterprise.pk}"


def _check_username_shape(username: str) -> str:
    username = (username or "").strip()
    field = User._meta.get_field("username")
    try:
        field.run_validators(username)
        if not username:
            raise ValidationError(_("Choose a username."))
        if "@" in username:
            raise ValidationError(_("A username may not contain @."))
    except ValidationError as exc:
        raise InvalidInput(fields={"username": exc.messages}) from None
    return username


def _check_username_free(username: str) -> str:
    if User.objects.filter(username__iexact=username).exists():
        raise InvalidInput(fields={"username": [_("This username is taken; choose another.")]})
    return username


def _check_new_username(username: str) -> str:
    return _check_username_free(_check_username_shape(username))


def _check_password(password: str, user=None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(fields={"password": exc.messages}) from None


def membership_add_staff(
    *, actor, enterprise, username: str, display_name: str, phone: str = "", email: str = "", password: str
) -> EnterpriseMembership:
    """The owner creates a staff account for its own enterprise (with an initial password). The
    account's username is `username` in the enterprise's namespace (`staff_username`): a name taken
    there is one of this enterprise's own accounts, so the owner learns nothing of other people's."""
    if not permissions.can_manage_staff(actor, enterprise):
        raise PermissionDeniedError()
    username = _check_username_free(staff_username(_check_username_shape(username), enterprise))
    display_name = text_input(display_name, "display_name", missing=_("Give the person's name."))
    _check_password(password, User(username=username, display_name=display_name, email=email))
    with transaction.atomic():
        with refuse_duplicate(
            InvalidInput(fields={"username": [_("This username is taken; choose another.")]})
        ):
            user = _new_enterprise_user(
                username=username,
                display_name=display_name,
                phone=phone,
                email=email,
                password_hash=make_password(password),
            )
        membership = EnterpriseMembership.objects.create(
            user=user, enterprise=enterprise, kind=EnterpriseMembership.Kind.STAFF
        )
        event_record(case=enterprise, kind="staff_added", actor=actor, data={"user": username})
    return membership


def membership_remove(*, actor, membership) -> None:
    """The owner removes a staff account; a person left without an enterprise can no longer sign in."""
    enterprise = membership.enterprise
    if not permissions.can_manage_staff(actor, enterprise):
        raise PermissionDeniedError()
    if membership.kind == EnterpriseMembership.Kind.OWNER:
        raise TransitionForbidden(_("The owner's account cannot be removed here; ask the service center."))
    with transaction.atomic():
        user = membership.user
        membership.delete()
        if (
            not EnterpriseMembership.objects.filter(user=user).exists()
            and not user.role_grants.exclude(role=Role.ENTERPRISE_STAFF).exists()
        ):
            User.objects.filter(pk=user.pk).update(is_active=False)
        event_record(case=enterprise, kind="staff_removed", actor=actor, data={"user": user.username})


def _check_request_rate(address: str | None) -> None:
    if not address:
        return
    window = settings.ACCOUNT_REQUEST_WINDOW_SECONDS
    since = timezone.now() - timedelta(seconds=window)
    if (
        AccountRequest.objects.filter(address=address, created_at__gte=since).count()
        >= settings.ACCOUNT_REQUEST_LIMIT
    ):
        raise TooManyRequests(
            _("Too many account requests from this network. Please try again in %(minutes)d minutes.")
            % {"minutes": max(1, window // 60)}
        )


def account_request_submit(
    *,
    uscc: str,
    enterprise_name: str,
    contact_name: str,
    phone: str,
    email: str,
    username: str,
    password: str,
    address: str | None = None,
) -> AccountRequest:
    """A company asks for an account (public page); clerks are told. The password is kept hashed.

    At most `ACCOUNT_REQUEST_LIMIT` requests per `address` (the poster's) per window: junk
    requests could otherwise hold companies' credit codes until a clerk refuses them.
    """
    _check_request_rate(address)
    # Whether the username is free is not said here (that would list the portal's usernames to
    # anyone): a clash is resolved by the clerk at approval.
    username = _check_username_shape(username)
    request = AccountRequest(
        uscc=uscc,
        address=address,
        enterprise_name=(enterprise_name or "").strip(),
        contact_name=(contact_name or "").strip(),
        phone=(phone or "").strip(),
        email=(email or "").strip(),
        username=username,
    )
    try:
        # the one-pending-request constraint is checked by the insert below, with a clearer message
        request.full_clean(exclude=["password_hash"], validate_constraints=False)
    except ValidationError as exc:
        raise _invalid(exc) from None
    request.uscc = request.uscc.strip().upper()
    _check_password(password, User(username=username, email=request.email))
    request.password_hash = make_password(password)
    with transaction.atomic():
        with refuse_duplicate(
            InvalidInput(
                fields={
                    "uscc": [_("A request for this enterprise is already waiting for the service center.")]
                }
            )
        ):
            request.save()
        event_record(case=request, kind="account_request_submitted")
        clerks = User.objects.filter(role_grants__role=Role.CLERK, is_active=True)
        notify(
            recipients=clerks,
            code=notices.ACCOUNT_REQUEST,
            params={"name": request.enterprise_name},
            url=reverse("enterprises:account-requests"),
            kind="account_request",
            dedupe_key=f"account-request:{request.pk}",
        )
    return request


def _lock_request(request) -> AccountRequest:
    request = AccountRequest.objects.select_for_update().get(pk=request.pk)
    if not request.can_review():
        raise TransitionForbidden(_("This request was already decided."))
    return request


def account_request_approve(
    *, actor, request, park=None, username: str = "", site_url: str = ""
) -> AccountRequest:
    """Create the requested account; link it to its enterprise only when that is proven.

    - An enterprise not yet in the register is registered in `park` with the requested name and
      code, and the requester becomes its owner.
    - For an enterprise already in the register, the account is created without any membership,
      and the enterprise confirms (`account_link_decide`): its current owner through a notice in the
      portal or, without an owner, its registered contact email through a signed link under
      `site_url`. Without either, the clerk is told to record the contact email first.
    - `username` replaces the requested one (which the public page never checks, so that it tells
      nobody which usernames exist) when that one is taken.
    """
    if not permissions.can_review_account_requests(actor):
        raise PermissionDeniedError()
    with transaction.atomic():
        request = _lock_request(request)
        username = _check_new_username(username or request.username)
        enterprise = Enterprise.objects.filter(uscc=request.uscc).first()
        registered = enterprise is not None
        owner = None
        if registered:
            owner = next(
                (
                    m.user
                    for m in enterprise.memberships.filter(
                        kind=EnterpriseMembership.Kind.OWNER, user__is_active=True
                    ).select_related("user")
                ),
                None,
            )
            if owner is None and not enterprise.contact_email:
                raise InvalidInput(
                    _(
                        "This enterprise is registered without an owner or a contact email to confirm the "
                        "request: record its contact email in the register (from its papers) first, or refuse."
                    )
                )
        else:
            if park is None:
                raise InvalidInput(
                    fields={"park": [_("This enterprise is not in the register yet: choose its park.")]}
                )
            enterprise = enterprise_create(
                actor=actor,
                data={
                    "name": request.enterprise_name,
                    "uscc": request.uscc,
                    "park": park,
                    "contact_name": request.contact_name,
                    "contact_phone": request.phone,
                    "contact_email": request.email,
                },
            )
        with refuse_duplicate(
            Conflict(_("The username was taken meanwhile: approve again with another one."))
        ):
            user = _new_enterprise_user(
                username=username,
                display_name=request.contact_name,
                phone=request.phone,
                email=request.email,
                password_hash=request.password_hash,
            )
        if not registered:
            EnterpriseMembership.objects.create(
                user=user, enterprise=enterprise, kind=EnterpriseMembership.Kind.OWNER
            )
        request.status = AccountRequest.Status.APPROVED
        request.reviewed_by, request.reviewed_at = actor, timezone.now()
        request.enterprise, request.user, request.username = enterprise, user, username
        request.password_hash = ""
        if registered:
            request.link = AccountRequest.Link.WAITING
            request.link_asked = owner.username if owner else enterprise.contact_email
        request.save()
        event_record(case=request, kind="account_request_approved", actor=actor, to_state=request.status)
        event_record(
            case=enterprise, kind="account_request_approved", actor=actor, data={"user": user.username}
        )
        if registered:
            _ask_link_confirmation(request=request, enterprise=enterprise, owner=owner, site_url=site_url)
        notify(
            recipients=[user],
            code=notices.ACCOUNT_READY_TO_LINK if registered else notices.ACCOUNT_READY,
            params={"username": user.username, "enterprise": enterprise.name},
            url=_enterprise_url(enterprise) if not registered else "",
            kind="account_approved",
        )
    return request


def _ask_link_confirmation(*, request, enterprise, owner, site_url: str) -> None:
    path = reverse("enterprises:account-link", args=[account_link_token(request.pk)])
    params = {
        "person": request.contact_name,
        "phone": request.phone,
        "email": request.email,
        "username": request.username,
        "enterprise": enterprise.name,
    }
    if owner is not None:
        notify(
            recipients=[owner], code=notices.ACCOUNT_LINK_ASKED, params=params, url=path, kind="account_link"
        )
        return
    # the registered contact has no account: an e-mail in the portal's language
    title, body = message_render(notices.ACCOUNT_LINK_ASKED, params, language=settings.LANGUAGE_CODE)
    url = site_url.rstrip("/") + path
    recipient = enterprise.contact_email
    message = f"{body}\n\n{url}"
    transaction.on_commit(lambda: send_mail(title, message, None, [recipient], fail_silently=True))


def account_link_decide(*, request, accept: bool, actor=None) -> AccountRequest:
    """The enterprise's side confirms (or declines) an approved account for a registered enterprise.

    The caller has checked the signed link (`links.account_link_request_id`), which only the owner
    or the registered contact received. Confirmed: the account joins the enterprise (owner when it
    has none, else staff). Declined: the account, which belongs to nothing, is deactivated.
    """
    with transaction.atomic():
        request = AccountRequest.objects.select_for_update().get(pk=request.pk)
        if not request.can_decide_link():
            raise TransitionForbidden(_("This request was already confirmed or declined."))
        enterprise, user = request.enterprise, request.user
        if enterprise is None or user is None:
            raise TransitionForbidden(_("This request was already confirmed or declined."))
        if accept:
            has_owner = enterprise.memberships.filter(kind=EnterpriseMembership.Kind.OWNER).exists()
            EnterpriseMembership.objects.get_or_create(
                user=user,
                enterprise=enterprise,
                defaults={
                    "kind": EnterpriseMembership.Kind.STAFF if has_owner else EnterpriseMembership.Kind.OWNER
                },
            )
            request.link = AccountRequest.Link.CONFIRMED
        else:
            User.objects.filter(pk=user.pk).update(is_active=False)
            request.link = AccountRequest.Link.DECLINED
        request.save(update_fields=["link"])
        kind = "account_link_confirmed" if accept else "account_link_declined"
        event_record(case=request, kind=kind, actor=actor)
        event_record(case=enterprise, kind=kind, actor=actor, data={"user": user.username})
        if accept:
            notify(
                recipients=[user],
                code=notices.ACCOUNT_LINKED,
                params={"enterprise": enterprise.name},
                url=_enterprise_url(enterprise),
                kind="account_link",
            )
        elif request.email:
            subject = _("Your account request for %(name)s was declined by the enterprise") % {
                "name": enterprise.name
            }
            recipient = request.email
            transaction.on_commit(lambda: send_mail(subject, subject, None, [recipient], fail_silently=True))
    return request


def account_request_refuse(*, actor, request, reason: str) -> AccountRequest:
    """Refuse with a reason, which is emailed to the requester (after commit)."""
    if not permissions.can_review_account_requests(actor):
        raise PermissionDeniedError()
    reason = text_input(reason, "reason", missing=_("Say why the request is refused."))
    with transaction.atomic():
        request = _lock_request(request)
        request.status = AccountRequest.Status.REFUSED
        request.reviewed_by, request.reviewed_at = actor, timezone.now()
        request.refusal_reason = reason[:300]
        request.password_hash = ""
        request.save()
        event_record(case=request, kind="account_request_refused", actor=actor, reason=reason)
        if request.email:
            subject = _("Your account request for %(name)s was refused") % {"name": request.enterprise_name}
            body = _("Reason: %(reason)s") % {"reason": reason}
            transaction.on_commit(lambda: send_mail(subject, body, None, [request.email], fail_silently=True))
    return request


# --- import --------------------------------------------------------------------------------------


def enterprise_import_start(*, actor, upload) -> EnterpriseImport:
    """Store an uploaded register file and start validating it in the background."""
    if not permissions.can_edit_register(actor):
        raise PermissionDeniedError()
    name = upload.name or ""
    if not name.lower().endswith((".xlsx", ".csv")):
        raise InvalidInput(fields={"file": [_("Upload an .xlsx or .csv file.")]})
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise InvalidInput(fields={"file": [_("The file is too large.")]})
    # The portal's upload rule where a type has a signature (CSV is plain text and has none).
    extension = upload_kind(upload, accept=(FileKind.XLSX,)) if name.lower().endswith(".xlsx") else "csv"
    with transaction.atomic():
        job = EnterpriseImport(
            original_name=name[:200], uploaded_by=actor, language=translation.get_language() or ""
        )
        job.file.save(f"register.{extension}", upload, save=False)  # never the uploader's name on disk
        job.save()
        transaction.on_commit(lambda: _enqueue("enterprise_import_validate_task", job.pk))
    return job


def _enqueue(task_name: str, job_id: int) -> None:
    """After commit; with the broker down the job waits in its state and `imports_resume` (beat)
    queues it again once the broker is back."""
    from zone_portal.enqueue import enqueue

    from . import tasks

    enqueue(getattr(tasks, task_name), job_id)


def _read_job_rows(job) -> list:
    return _read_job(job).rows


def _read_job(job):
    with job.file.open("rb") as handle:
        return read_rows(handle, job.original_name)


def enterprise_import_validate(*, job_id: int) -> EnterpriseImport:
    """Check every row (bad code, unknown park, duplicates, missing name) and keep the preview.

    Writes nothing but the job row; progress is committed as it goes so the page can show it.
    """
    job = EnterpriseImport.objects.get(pk=job_id)
    if job.status != EnterpriseImport.Status.VALIDATING:
        return job
    with translation.override(job.language or None):
        try:
            sheet = _read_job(job)
        except (FileUnreadable, OSError) as exc:
            return _import_failed(
                job, str(exc) if isinstance(exc, FileUnreadable) else _("The file cannot be read.")
            )
        rows = sheet.rows
        EnterpriseImport.objects.filter(pk=job.pk).update(total_rows=len(rows), heartbeat_at=timezone.now())
        validator = RowValidator(check_register=True)
        validator.load_registered([_code(raw) for _n, raw in rows])
        # Warnings (row 1, the header) come first: a column that is not imported, said out loud.
        errors = [
            {
                "row": 1,
                "field": column,
                "column": column,
                "message": _("Unknown column “%(column)s”: it is not imported.") % {"column": column},
                "warning": True,
            }
            for column in sheet.unknown_columns
        ]
        skipped, preview, valid = [], [], 0
        for index, (number, raw) in enumerate(rows, start=1):
            row = validator.validate(number, raw)
            if row.errors:
                skipped.append(number)
                for field_name, message in row.errors:
                    errors.append(
                        {
                            "row": number,
                            "field": field_name,
                            "column": column_header(field_name, sheet.headers),  # as the file says
                            "message": message,
                        }
                    )
            else:
                valid += 1
                if len(preview) < PREVIEW_ROWS:
                    preview.append({"row": number, **preview_row(row.values)})
            if index % IMPORT_BATCH_SIZE == 0:
                EnterpriseImport.objects.filter(pk=job.pk).update(
                    processed_rows=index, heartbeat_at=timezone.now()
                )
    EnterpriseImport.objects.filter(pk=job.pk, status=EnterpriseImport.Status.VALIDATING).update(
        status=EnterpriseImport.Status.VALIDATED,
        total_rows=len(rows),
        valid_rows=valid,
        processed_rows=len(rows),
        errors=errors[:MAX_STORED_ERRORS],
        skipped_rows=skipped,
        preview=preview,
        heartbeat_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


def _code(raw: dict) -> str:
    return str(raw.get("uscc") or "").strip().upper()


def enterprise_import_confirm(*, actor, job) -> EnterpriseImport:
    """Queue the import of the previewed valid rows (once: a second confirm is refused)."""
    if not permissions.can_edit_register(actor):
        raise PermissionDeniedError()
    with transaction.atomic():
        claimed = EnterpriseImport.objects.filter(
            pk=job.pk, status=EnterpriseImport.Status.VALIDATED, valid_rows__gt=0
        ).update(status=EnterpriseImport.Status.QUEUED, processed_rows=0, heartbeat_at=timezone.now())
        if not claimed:
            raise TransitionForbidden(_("This file is not waiting for confirmation."))
        transaction.on_commit(lambda: _enqueue("enterprise_import_run_task", job.pk))
    job.refresh_from_db()
    return job


def _claim_import(job_id: int) -> bool:
    stale = timezone.now() - timedelta(seconds=settings.IMPORT_STALE_SECONDS)
    queued = EnterpriseImport.objects.filter(pk=job_id, status=EnterpriseImport.Status.QUEUED)
    lost = EnterpriseImport.objects.filter(
        pk=job_id, status=EnterpriseImport.Status.RUNNING, heartbeat_at__lt=stale
    )
    for candidates in (queued, lost):
        if candidates.update(
            status=EnterpriseImport.Status.RUNNING, heartbeat_at=timezone.now(), processed_rows=0
        ):
            return True
    return False


def enterprise_imports_resume(*, now=None) -> int:
    """Queue again every import whose task was lost (a broker down when it was queued, a worker
    killed while it ran): validating, queued or running with no sign of life for
    `IMPORT_STALE_SECONDS`. Safe to repeat: a run is claimed (`_claim_import`), a validation writes
    only its job row. Returns how many were queued. Run by the beat (`enterprises/schedule.py`)."""
    from zone_portal.enqueue import enqueue

    from . import tasks

    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.IMPORT_STALE_SECONDS)
    quiet = Q(heartbeat_at__lt=stale) | Q(heartbeat_at=None, created_at__lt=stale)
    Status = EnterpriseImport.Status
    jobs = EnterpriseImport.objects.filter(
        quiet, status__in=[Status.VALIDATING, Status.QUEUED, Status.RUNNING]
    ).values_list("pk", "status")
    queued = 0
    for pk, status in jobs:
        task = (
            tasks.enterprise_import_validate_task
            if status == Status.VALIDATING
            else tasks.enterprise_import_run_task
        )
        queued += enqueue(task, pk)
    return queued


class _ProgressReporter:
    """Commits progress on a connection of its own while the import's transaction stays open.

    Only on PostgreSQL: SQLite allows one writer at a time, so there the bar jumps at the end.
    """

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.side = (
            connections.create_connection(DEFAULT_DB_ALIAS) if connection.vendor == "postgresql" else None
        )

    def report(self, processed: int) -> None:
        if self.side is None:
            return
        with self.side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {EnterpriseImport._meta.db_table} SET processed_rows = %s, heartbeat_at = %s WHERE id = %s",
                [processed, timezone.now(), self.job_id],
            )

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def enterprise_import_run(*, job_id: int) -> EnterpriseImport:
    """Import the previewed valid rows in ONE transaction: every row, or (on any failure) none.

    A code registered after the preview makes the database refuse the insert; the whole import is
    then rolled back and the job says why. Exactly one worker runs a job (conditional UPDATE claim).
    """
    if not _claim_import(job_id):
        return EnterpriseImport.objects.get(pk=job_id)
    job = EnterpriseImport.objects.select_related("uploaded_by").get(pk=job_id)
    progress = _ProgressReporter(job.pk)
    with translation.override(job.language or None):
        try:
            rows = _read_job_rows(job)
            skipped = set(job.skipped_rows)
            validator = RowValidator(check_register=False)
            drafts = []
            for number, raw in rows:
                if number in skipped:
                    continue
                row = validator.validate(number, raw)
                if row.errors:
                    return _import_failed(job, _("The file changed since the preview; nothing was imported."))
                drafts.append(row.values)
            if len(drafts) != job.valid_rows:
                return _import_failed(job, _("The file changed since the preview; nothing was imported."))
            with transaction.atomic():
                created = _import_insert(job, drafts, progress)
                EnterpriseImport.objects.filter(pk=job.pk).update(
                    status=EnterpriseImport.Status.DONE,
                    processed_rows=len(drafts),
                    imported_rows=created,
                    finished_at=timezone.now(),
                    heartbeat_at=timezone.now(),
                )
                notify(
                    recipients=[job.uploaded_by],
                    code=notices.IMPORTED,
                    params={"n": created, "file": job.original_name},
                    url=reverse("enterprises:import-detail", args=[job.pk]),
                    kind="enterprise_import",
                )
        except IntegrityError:
            return _import_failed(
                job,
                _(
                    "An enterprise in the file was registered after the preview, so nothing was imported. "
                    "Upload the file again to see which rows."
                ),
            )
        except (FileUnreadable, OSError):
            return _import_failed(job, _("The file cannot be read any more; nothing was imported."))
        except Exception:  # an unexpected failure still leaves nothing half-imported
            log.exception("enterprise import %s failed", job.pk)
            return _import_failed(job, _("The import failed unexpectedly; nothing was imported."))
        finally:
            progress.close()
    job.refresh_from_db()
    return job


def _import_insert(job, drafts: list[dict], progress: _ProgressReporter) -> int:
    content_type = _content_type(Enterprise)
    now = timezone.now()
    created = 0
    for start in range(0, len(drafts), IMPORT_BATCH_SIZE):
        batch = []
        for values in drafts[start : start + IMPORT_BATCH_SIZE]:
            enterprise = Enterprise(**values, created_at=now, updated_at=now)
            enterprise.name_initials, enterprise.name_pinyin = name_search_keys(enterprise.name)
            batch.append(enterprise)
        batch = Enterprise.objects.bulk_create(batch)
        events_record_many(
            Event(
                content_type=content_type,
                object_id=e.pk,
                kind="enterprise_imported",
                actor=job.uploaded_by,
                to_state=e.status,
                at=now,
                data={"import": job.pk, "file": job.original_name},
            )
            for e in batch
        )
        created += len(batch)
        progress.report(created)
    return created


def _import_failed(job, message: str) -> EnterpriseImport:
    EnterpriseImport.objects.filter(pk=job.pk).update(
        status=EnterpriseImport.Status.FAILED, failure=str(message), finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job
