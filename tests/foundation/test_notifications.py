import io

import pytest
from celery.signals import task_prerun
from django.core import mail
from django.core.management import call_command
from django.db import transaction

from zone_portal.notifications.actions import notification_mark_read, notify
from zone_portal.notifications.models import Notification
from zone_portal.notifications.tasks import deliver_notifications


@pytest.fixture
def delivery_runs():
    """The names of the delivery tasks run (in-process in the tests), in order."""
    runs = []

    def record(task=None, **kwargs):
        if task.name == deliver_notifications.name:
            runs.append(task.name)

    task_prerun.connect(record, weak=False)
    yield runs
    task_prerun.disconnect(record)


@pytest.mark.django_db(transaction=True)
def test_email_goes_out_only_after_commit(demo, ent_a):
    with transaction.atomic():
        notify(recipients=[ent_a], title="办件已受理", body="FW20261130-0001")
        assert Notification.objects.filter(recipient=ent_a).count() == 1
        assert mail.outbox == []  # nothing leaves while the transaction may still roll back
    assert [m.subject for m in mail.outbox] == ["办件已受理"]
    assert mail.outbox[0].to == [ent_a.email]
    assert Notification.objects.get(recipient=ent_a).emailed_at is not None


@pytest.mark.django_db(transaction=True)
def test_nothing_is_written_or_sent_on_rollback(demo, ent_a):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[ent_a], title="never")
        raise RuntimeError("the change failed")
    assert not Notification.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_dedupe_key_notifies_each_recipient_once(demo, ent_a, ent_b):
    notify(recipients=[ent_a, ent_b], title="催办", dedupe_key="ticket:7:remind")
    notify(recipients=[ent_a, ent_b], title="催办", dedupe_key="ticket:7:remind")
    assert Notification.objects.count() == 2


@pytest.mark.django_db
def test_inbox_shows_unread_count_and_marks_read(client, demo, ent_a, ent_b):
    notify(recipients=[ent_a], title="第一条")
    notify(recipients=[ent_b], title="别人的")
    client.force_login(ent_a)
    page = client.get("/inbox/").content.decode()
    assert "第一条" in page and "别人的" not in page
    assert 'data-testid="unread">1<' in page
    mine = Notification.objects.get(recipient=ent_a)
    other = Notification.objects.get(recipient=ent_b)
    assert client.post(f"/inbox/{other.pk}/read/").status_code == 404
    client.post(f"/inbox/{mine.pk}/read/")
    assert 'data-testid="unread"' not in client.get("/inbox/").content.decode()
    assert notification_mark_read(actor=ent_b) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["https://evil.example/phish", "//evil.example/phish"])
def test_mark_read_never_redirects_to_another_site(client, demo, ent_a, target):
    client.force_login(ent_a)
    response = client.post("/inbox/read/", {"next": target})
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    assert client.post("/inbox/read/", {"next": "/services/"})["Location"] == "/services/"


@pytest.mark.django_db
def test_seed_demo_emails_its_notifications_with_one_delivery_task(
    delivery_runs, django_capture_on_commit_callbacks
):
    # Before: one task per action (208), which held up every other task of a worker for 80 s.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", password="pw-for-tests-1", stdout=io.StringIO())
    assert len(delivery_runs) == 1
    assert Notification.objects.count() > 200  # more than one batch of the task
    assert not Notification.objects.filter(emailed_at=None).exists()
    assert len(mail.outbox) == Notification.objects.exclude(recipient__email="").count()
