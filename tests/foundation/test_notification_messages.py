"""Notifications as codes with parameters: shown in the reader's language, e-mailed in the
recipient's with an absolute link; the inbox marks what is opened read and filters the unread."""

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from zone_portal.notifications.actions import notification_email, notify
from zone_portal.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _accepted(user):
    with transaction.atomic():
        notify(
            recipients=[user],
            code="services.accepted",
            params={"number": "FW1", "due": "2026-12-07 10:00"},
            url="/services/requests/1/",
        )
    return Notification.objects.get(recipient=user)


def test_a_coded_message_reads_in_each_language_and_old_rows_keep_their_text(ent_a):
    row = _accepted(ent_a)
    assert row.title == "办件 FW1 已受理"  # stored in the portal's language for text-only readers
    with translation.override("en"):
        assert row.title_text == "Request FW1 was accepted"
        assert row.body_text == "Promised by 2026-12-07 10:00."
    old = Notification.objects.create(recipient=ent_a, title="旧消息", body="正文")
    with translation.override("en"):
        assert old.rendered() == ("旧消息", "正文")


def test_the_email_is_in_the_recipients_language_and_links_to_the_case(ent_a, settings):
    settings.SITE_URL = "https://portal.example.cn"
    ent_a.language = "en"
    ent_a.save(update_fields=["language"])
    subject, text = notification_email(_accepted(ent_a))
    assert subject == "Request FW1 was accepted"
    assert "Promised by 2026-12-07 10:00." in text
    assert "https://portal.example.cn/services/requests/1/" in text


def test_the_language_switch_is_remembered_for_the_emails(client, ent_a):
    client.force_login(ent_a)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    ent_a.refresh_from_db()
    assert ent_a.language == "en"


def test_opening_a_notification_marks_it_read_and_lands_on_its_case(client, ent_a, ent_b):
    row = _accepted(ent_a)
    client.force_login(ent_b)
    assert client.get(reverse("inbox-open", args=[row.pk])).status_code == 404
    client.force_login(ent_a)
    unread = client.get(reverse("inbox"), {"unread": "1"}).content.decode()
    assert "办件 FW1 已受理" in unread
    response = client.get(reverse("inbox-open", args=[row.pk]))
    assert response.status_code == 302 and response["Location"] == "/services/requests/1/"
    row.refresh_from_db()
    assert row.read_at is not None
    assert "办件 FW1 已受理" not in client.get(reverse("inbox"), {"unread": "1"}).content.decode()
    assert "办件 FW1 已受理" in client.get(reverse("inbox")).content.decode()


def test_the_delivered_email_carries_the_link(ent_a, settings):
    settings.SITE_URL = "http://zone.test"
    _accepted(ent_a)
    from zone_portal.notifications.actions import notifications_deliver

    notifications_deliver()
    sent = [m for m in mail.outbox if ent_a.email in m.to]
    assert sent and "http://zone.test/services/requests/1/" in sent[-1].body


def test_every_registered_message_has_its_chinese_words():
    """Each app's `notices.py`: every code renders in both languages, differently (a msgid without
    its msgstr would read English in Chinese)."""
    import re

    from zone_portal.notifications import messages

    assert {code.split(".")[0] for code in messages._MESSAGES} >= {
        "services",
        "feedback",
        "projects",
        "benefits",
        "safety",
        "supervision",
        "enterprises",
        "ratings",
    }
    for code, spec in messages._MESSAGES.items():
        with translation.override("en"):
            names = set(re.findall(r"%\((\w+)\)", f"{spec.title} {spec.body}"))
        params = {name: 1 for name in names}
        english = messages.message_render(code, params, language="en")
        chinese = messages.message_render(code, params, language="zh-hans")
        assert english and chinese, code
        assert english[0] != chinese[0], code


def test_no_app_writes_a_notification_as_text():
    """Every `notify(...)` and sweep `Notice(...)` of the apps gives a code, never a `title`: text
    would be in the language of whoever triggered it."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.glob("**/*.py"):
        if {".venv", "tests", "migrations", "var"} & set(path.relative_to(root).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            called = isinstance(node, ast.Call) and getattr(node.func, "id", None) in {"notify", "Notice"}
            if called and any(k.arg == "title" for k in node.keywords):
                offenders.append(f"{path.relative_to(root)}:{node.lineno}")
    assert offenders == []


def test_rows_stored_as_text_before_codes_get_their_code_when_their_text_is_one_message(ent_a):
    """`notifications_recode`: the text of one registered message (in the portal's language) gets
    its code and parameters back, so it reads in each reader's language; anything else keeps its
    text."""
    from django.core.management import call_command

    from zone_portal.notifications.messages import message_render

    title, body = message_render(
        "services.accepted", {"number": "FW1", "due": "2026-12-07 10:00"}, language="zh-hans"
    )
    accepted = Notification.objects.create(recipient=ent_a, title=title, body=body)
    whistled = Notification.objects.create(
        recipient=ent_a, title="吹哨：请及时报到 · SQ2026000001 用地规划调整", body="请报到"
    )
    old = Notification.objects.create(recipient=ent_a, title="旧消息", body="正文")
    call_command("notifications_recode")
    for row in (accepted, whistled, old):
        row.refresh_from_db()
    assert (accepted.code, accepted.params) == (
        "services.accepted",
        {"number": "FW1", "due": "2026-12-07 10:00"},
    )
    assert accepted.rendered("en") == ("Request FW1 was accepted", "Promised by 2026-12-07 10:00.")
    assert whistled.rendered("en") == (
        "Whistle: report to this problem · SQ2026000001 用地规划调整",
        "请报到",
    )
    assert (old.code, old.rendered("en")) == ("", ("旧消息", "正文"))


def test_each_message_is_registered_under_the_code_its_rows_are_stored_with():
    """An app's `notices.py` declares each message once, as a constant that is its code: the code is
    `<app label>.<constant in lower case>` (as stored since codes exist), and the constant is what is
    registered; a copy of it (a pickled row, a task's argument) is the plain code."""
    import copy
    from importlib import import_module

    from django.apps import apps
    from django.utils.module_loading import module_has_submodule

    from zone_portal.notifications import messages

    exceptions = {"REASON_REOPENED_TWICE": "feedback.reason.reopened_twice"}
    seen = 0
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, "notices"):
            continue
        for name, value in vars(import_module(f"{config.name}.notices")).items():
            if isinstance(value, messages.Message):
                assert value == exceptions.get(name, f"{config.label}.{name.lower()}"), name
                assert messages._MESSAGES[value] is value
                seen += 1
    assert seen == len(messages._MESSAGES) > 100
    plain = copy.deepcopy(messages._MESSAGES["services.accepted"])
    assert type(plain) is str and plain == "services.accepted"


def test_two_messages_under_one_code_are_refused():
    from types import ModuleType

    from django.core.exceptions import ImproperlyConfigured

    from zone_portal.notifications import messages

    module = ModuleType("elsewhere.notices")
    module.ACCEPTED = messages.Message("services.accepted", "Accepted again")
    with pytest.raises(ImproperlyConfigured):
        messages.messages_register(module)
    assert str(messages._MESSAGES["services.accepted"].title) != "Accepted again"
