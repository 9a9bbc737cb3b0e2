"""`kill -9` of a Celery worker in the middle of its work, then a new worker: every e-mail sent (the
one in flight at the kill at most twice, under one Message-ID), every imported row and escalation
exactly once (README, "Faults and scale-out").

Tasks are acknowledged late, so the task of the killed worker goes back to the queue
(BROKER_VISIBILITY_TIMEOUT, 4 s here) and the new worker runs it again; what makes the rerun safe is
in the steps themselves: the outbox row committed per message, the import claimed and written in one
transaction, the sweep's claims and effects in one transaction per step. To kill "in the middle"
deterministically, the test holds a row lock the worker's transaction needs and kills the worker
while PostgreSQL shows it waiting for that lock."""

import pytest
from django.db import connection

from zone_portal.notifications.models import Notification

from .servers import wait_until

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _lines(path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def test_a_worker_killed_mid_email_batch_loses_no_mail_and_resends_at_most_the_one_in_flight(
    demo, tmp_path, start_worker, send
):
    people = [u for u in demo.users.values() if u.email]
    titles = [f"fault-mail-{i:02d}" for i in range(24)]
    Notification.objects.bulk_create(
        Notification(recipient=people[i % len(people)], title=title) for i, title in enumerate(titles)
    )
    mailbox = tmp_path / "mailbox.txt"
    mail_env = {
        "EMAIL_BACKEND": "tests.faults.slowmail.SlowAppendBackend",
        "ZP_SLOWMAIL_FILE": str(mailbox),
        "ZP_SLOWMAIL_SECONDS": "0.15",
    }
    first = start_worker("w1", **mail_env)
    send("zone_portal.notifications.tasks.deliver_notifications")
    wait_until(lambda: len(_lines(mailbox)) >= 6, timeout=90, what="six mails sent", log=first.log)
    first.kill9()
    sent_before = len(_lines(mailbox))
    assert sent_before < len(titles) + 10, "the batch finished before the kill; nothing was tested"

    second = start_worker("w2", **mail_env)  # takes the killed worker's task back after 4 s
    wait_until(
        lambda: not Notification.objects.filter(title__startswith="fault-mail", emailed_at=None).exists(),
        timeout=90,
        what="the second worker to deliver the rest",
        log=second.log,
    )
    mails = [tuple(line.split("\t")[:2]) for line in _lines(mailbox) if "fault-mail" in line]
    received = [title for _, title in mails]
    assert sorted(set(received)) == sorted(titles)  # none lost
    # None sent twice, but for the one message the kill may have caught between the mail server's
    # acceptance and the commit of its `emailed_at` (a window of milliseconds): an outbox can promise
    # an SMTP server at least once, not exactly once. Such a resend is the same message, with the
    # same Message-ID, which the receiving server uses to drop the copy.
    resent = {title for title in received if received.count(title) > 1}
    assert len(received) - len(titles) <= 1 and len(resent) <= 1, f"sent twice: {sorted(resent)}"
    ids = {title: {i for i, t in mails if t == title} for title in titles}
    assert all(len(one) == 1 for one in ids.values()), "a resend carried another Message-ID"
    assert all(i.startswith("<notification-") for one in ids.values() for i in one)
    assert len({i for one in ids.values() for i in one}) == len(titles)


def _locked(sql, params):
    """A transaction of the test's own holding row locks (closed by the caller's `rollback()`)."""
    from django.db import connections

    side = connections.create_connection("default")
    side.set_autocommit(False)
    with side.cursor() as cursor:
        cursor.execute(sql, params)
    return side


def _waiting_for_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_a_worker_killed_mid_enterprise_import_imports_every_row_once(
    demo, clerk1, tmp_path, start_worker, send, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from enterprises.actions import enterprise_import_start
    from enterprises.models import Enterprise, EnterpriseImport
    from tests.factories import make_uscc

    rows = 40
    csv = "企业名称,统一社会信用代码,园区,法定代表人,注册资本（元）,成立日期,后备高企\n" + "".join(
        f"故障演练{i}有限公司,{make_uscc(70_000 + i)},park1,,,,\n" for i in range(rows)
    )
    job = enterprise_import_start(
        actor=clerk1, upload=SimpleUploadedFile("register.csv", csv.encode(), content_type="text/csv")
    )  # validated in-process (the test's tasks run eagerly, on commit: autocommit here)
    job.refresh_from_db()
    assert (job.status, job.valid_rows) == (EnterpriseImport.Status.VALIDATED, rows), job.errors
    EnterpriseImport.objects.filter(pk=job.pk).update(status=EnterpriseImport.Status.QUEUED)
    before = Enterprise.objects.count()

    # The import's events name the uploader: inserting them waits for this lock, mid-transaction.
    holder = _locked(f"SELECT id FROM {clerk1._meta.db_table} WHERE id = %s FOR UPDATE", [clerk1.pk])
    media = {"MEDIA_ROOT": str(settings.MEDIA_ROOT), "IMPORT_STALE_SECONDS": "2"}
    first = start_worker("w1", **media)
    send("enterprises.tasks.enterprise_import_run_task", job.pk)
    wait_until(_waiting_for_lock, timeout=90, what="the import to wait mid-transaction", log=first.log)
    first.kill9()
    holder.rollback()
    holder.close()

    second = start_worker("w2", **media)
    wait_until(
        lambda: EnterpriseImport.objects.get(pk=job.pk).status == EnterpriseImport.Status.DONE,
        timeout=90,
        what="the second worker to finish the import",
        log=second.log,
    )
    job.refresh_from_db()
    assert job.imported_rows == rows
    assert Enterprise.objects.count() == before + rows
    codes = list(Enterprise.objects.values_list("uscc", flat=True))
    assert len(codes) == len(set(codes))
    from zone_portal.events.models import Event

    assert Event.objects.filter(kind="enterprise_imported").count() == rows
    assert Notification.objects.filter(recipient=clerk1, kind="enterprise_import").count() == 1


def test_a_worker_killed_mid_sweep_escalates_every_ticket_once(demo, start_worker, send):
    from django.utils import timezone

    from feedback.actions import escalation_defaults_install
    from feedback.models import Ticket, Whistle
    from feedback.sweep import tickets_sweep
    from tests.feedback.factories import raise_ticket
    from zone_portal.events.models import Event

    escalation_defaults_install()
    tickets = [raise_ticket(demo, title=f"故障演练 {i}") for i in range(6)]  # March 2026: long overdue
    # A ticket near the end of the id order is locked: the sweep's claim of that step waits for it,
    # after earlier steps committed and with this step's claims and effects written but not committed.
    holder = _locked(f"SELECT id FROM {Ticket._meta.db_table} WHERE id = %s FOR UPDATE", [tickets[-1].pk])
    first = start_worker("w1")
    send("feedback.tasks.sweep_deadlines")
    wait_until(_waiting_for_lock, timeout=90, what="the sweep to wait mid-step", log=first.log)
    first.kill9()
    holder.rollback()
    holder.close()

    second = start_worker("w2")
    ids = [t.pk for t in tickets]
    wait_until(
        lambda: Event.objects.filter(object_id__in=ids, kind="escalated").count() >= len(ids),
        timeout=90,
        what="the redelivered sweep",
        log=second.log,
    )
    second.stop()  # its sweep is done; nothing may run beside the checks below

    def history(ticket_id):
        events = Event.objects.filter(object_id=ticket_id, content_type__model="ticket")
        return sorted(events.values_list("kind", flat=True))

    # The six tickets are alike, so each has the same history: the locked one too, swept by the
    # second worker after the first died holding its step's writes uncommitted.
    histories = [history(pk) for pk in ids]
    assert histories.count(histories[0]) == len(ids), histories
    assert histories[0].count("escalated") == 1, histories[0]
    whistles = list(
        Whistle.objects.filter(ticket_id__in=ids).values_list("ticket_id", "department_id", "round")
    )
    assert whistles and len(whistles) == len(set(whistles))
    keys = list(Notification.objects.exclude(dedupe_key=None).values_list("dedupe_key", flat=True))
    assert len(keys) == len(set(keys))
    # Nothing was lost: a sweep at the same moment finds nothing left to do of what was due.
    leftover = tickets_sweep(now=timezone.now())
    assert not any(leftover.values()), leftover
