"""Notifications: `notify` writes inbox rows in the caller's transaction; email follows after commit."""

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.utils import DNS_NAME
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zone_portal.inserts import insert_select

from .messages import message_render
from .models import Notification

log = logging.getLogger(__name__)


# Set inside `notifications_delivered_in_one_task()`: the block queues one delivery task at its end.
_delivery_held: ContextVar[bool] = ContextVar("notification_delivery_held", default=False)


def _enqueue_delivery() -> None:
    """After commit; a broker that is down is logged, not raised into the request: the rows wait in
    the outbox and the beat's `deliver-notifications` (every minute) sends them once it is back."""
    from zone_portal.enqueue import enqueue

    from .tasks import deliver_notifications

    enqueue(deliver_notifications)


def notifications_deliver_after_commit() -> None:
    """For code that wrote Notification rows itself (e.g. INSERT … SELECT in a sweep): email them
    once the surrounding transaction commits."""
    if _delivery_held.get():
        return
    transaction.on_commit(_enqueue_delivery)


def recipient_key(dedupe_key: str, recipient_id) -> str:
    """The key of one recipient's copy of a keyed message (`recipient_key_sql` is its SQL twin)."""
    return f"{dedupe_key}:{recipient_id}"


def recipient_key_sql(key_sql: str, recipient_sql: str) -> str:
    return f"{key_sql} || ':' || {recipient_sql}"


# The columns a SELECT given to `notify_from_sql` names: `title` and `body` in the portal's language
# (for readers that show only text), `code` and `params` (a JSON object) the message to render in
# each reader's language (`messages.py`).
NOTIFICATION_SOURCE_COLUMNS = (
    "recipient_id",
    "kind",
    "title",
    "body",
    "url",
    "created_at",
    "dedupe_key",
    "code",
    "params",
)


def notify_from_sql(*, select: str, params=(), with_sql: str = "", with_params=()) -> int:
    """Queue the notifications that `select` (a SELECT naming its columns
    `NOTIFICATION_SOURCE_COLUMNS`) yields, in one `INSERT … SELECT`, to active recipients only: for sweeps that derive
    their messages from the rows they claimed. `with_sql` (`WITH name AS (…)`) may name what
    `select` reads. Rows whose dedupe_key exists already are skipped; email follows after commit,
    as for `notify`. Returns the rows written."""
    from zone_portal.accounts.models import User

    users = connection.ops.quote_name(User._meta.db_table)
    written = insert_select(
        Notification,
        [*NOTIFICATION_SOURCE_COLUMNS, "read_at", "emailed_at"],
        f"SELECT {', '.join('n.' + c for c in NOTIFICATION_SOURCE_COLUMNS)}, NULL, NULL FROM ({select}) n "
        f"JOIN {users} u ON u.id = n.recipient_id WHERE u.is_active",
        params,
        with_sql=with_sql,
        with_params=with_params,
    )
    notifications_deliver_after_commit()
    return written


@contextmanager
def notifications_delivered_in_one_task() -> Iterator[None]:
    """Notifications written inside the block, over any number of transactions, are emailed by one
    delivery task queued when the block ends (after commit), not by one task per transaction.

    For bulk writers such as `seed_demo`, whose hundreds of actions would otherwise queue hundreds
    of tasks that hold up every other task of the worker.
    """
    token = _delivery_held.set(True)
    try:
        yield
    finally:
        _delivery_held.reset(token)
        transaction.on_commit(_enqueue_delivery)


def notify(
    *,
    recipients: Iterable,
    title: str = "",
    body: str = "",
    url: str = "",
    kind: str = "",
    dedupe_key: str | None = None,
    code: str = "",
    params: dict | None = None,
) -> int:
    """Queue a notification for each recipient; returns how many rows were written.

    Either a `title` (and `body`) as text, or a message `code` registered in `messages.py` with
    its `params`: the row keeps the code and parameters and is shown in each reader's language (the
    title and body are stored too, in the portal's language, for readers that show only text).
    With `dedupe_key`, each recipient gets the message at most once for that key. Email is sent by a
    Celery task enqueued only when the surrounding transaction commits (never on rollback).
    """
    params = message_params(params)
    if code:
        rendered = message_render(code, params, language=settings.LANGUAGE_CODE)
        if rendered is None:
            raise ValueError(f"notification {code!r}: unknown code or parameters that do not fit")
        title, body = rendered
    rows = [
        Notification(
            recipient_id=getattr(r, "pk", r),
            kind=kind,
            title=str(title)[:200],
            body=str(body),
            url=url,
            code=code,
            params=params,
            dedupe_key=recipient_key(dedupe_key, getattr(r, "pk", r)) if dedupe_key else None,
        )
        for r in {getattr(r, "pk", r) for r in recipients if r is not None}
    ]
    notify_many(rows)
    return len(rows)


def message_params(params: dict | None) -> dict:
    """Parameters as JSON keeps them: text for anything that is not a number or a string (a model
    row becomes its name, a date its text, a Decimal — an amount — its digits with thousands grouped
    as the pages write them)."""
    return {str(k): _param_text(v) for k, v in (params or {}).items()}


def _param_text(value):
    if isinstance(value, int | float | str) or value is None:
        return value
    return f"{value:,}" if isinstance(value, Decimal) else str(value)


def notify_many(rows: list[Notification]) -> None:
    """Queue many different notifications in one INSERT (for sweeps).

    Rows whose `dedupe_key` exists already are skipped, so a rerun writes nothing; email follows
    after commit, as for `notify`.
    """
    if not rows:
        return
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    notifications_deliver_after_commit()


def notifications_deliver_all(*, batch: int = 200) -> int:
    """Email every undelivered notification, a batch per transaction; returns how many were delivered.

    Stops at the first batch that is not delivered in full (a mail server failing, or nothing left),
    leaving the rest to the next run.
    """
    total = 0
    while (delivered := notifications_deliver(limit=batch)) == batch:
        total += delivered
    return total + delivered


def notifications_deliver(*, limit: int = 200) -> int:
    """Email up to `limit` undelivered notifications; returns how many were delivered.

    Each row is claimed (`FOR UPDATE SKIP LOCKED`, so two workers never take the same one), sent and
    marked in a transaction of its own: a worker killed in the middle of a batch has committed every
    message it sent but the one in hand, so the next worker resends none of the others (a batch in one
    transaction resent them all). The one in hand is resent only if the process died between the
    mail server's acceptance and the commit; it carries the same `Message-ID` both times
    (`message_id_for`), by which mail systems recognise a duplicate. Recipients without an email
    address are marked delivered. A failed send is logged and left for the next run.
    """
    delivered = attempted = 0
    failed: list[int] = []
    mail = get_connection()  # one per batch (in development: one file under var/mail/)
    try:
        while attempted < limit:
            with transaction.atomic():
                note = (
                    Notification.objects.filter(emailed_at=None)
                    .exclude(pk__in=failed)
                    .select_for_update(skip_locked=True, of=("self",))
                    .select_related("recipient")
                    .order_by("id")
                    .first()
                )
                if note is None:
                    break
                attempted += 1
                if note.recipient.email and not _send(mail, note):
                    failed.append(note.pk)
                    continue
                Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())
                delivered += 1
    finally:
        mail.close()
    return delivered


def message_id_for(note: Notification) -> str:
    """The e-mail's Message-ID: the same for every attempt at one notification."""
    return f"<notification-{note.pk}.{note.created_at:%Y%m%d%H%M%S}@{DNS_NAME}>"


def _send(mail, note: Notification) -> bool:
    subject, text = notification_email(note)
    message = EmailMessage(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [note.recipient.email],
        connection=mail,
        headers={"Message-ID": message_id_for(note)},
    )
    try:
        mail.open()  # once per batch: a no-op when already open
        message.send()
    except OSError:
        log.exception("mail to %s failed; kept for the next run", note.recipient.email)
        return False
    return True


def notification_email(note: Notification) -> tuple[str, str]:
    """(subject, text) of a notification's e-mail, in the recipient's language: what happened, the
    details, and the absolute link to the case (`SITE_URL` + the row's link)."""
    language = getattr(note.recipient, "language", "") or settings.LANGUAGE_CODE
    title, body = note.rendered(language)
    lines = [title]
    if body:
        lines += ["", body]
    if note.url:
        with translation.override(language):
            label = _("Open the link")
        link = note.url if "://" in note.url else settings.SITE_URL.rstrip("/") + note.url
        lines += ["", f"{label}: {link}"]
    return title, "\n".join(lines)


def notification_mark_read(*, actor, notification_id: int | None = None) -> int:
    """Mark one (or, without an id, all) of the actor's notifications read."""
    unread = Notification.objects.filter(recipient=actor, read_at=None)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())
