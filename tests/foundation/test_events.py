import threading

import pytest
from django.db import connection, transaction

from zone_portal.events.log import event_record, events_for
from zone_portal.events.models import Event
from zone_portal.events.serializers import EventSerializer


@pytest.mark.django_db
def test_event_is_serialised_in_the_api_shape(demo, enterprise_a, clerk1):
    event_record(case=enterprise_a, kind="updated", actor=clerk1, from_state="a", to_state="b", reason="why")
    event_record(case=enterprise_a, kind="swept")
    rows = EventSerializer(events_for(enterprise_a), many=True).data
    assert [r["kind"] for r in rows] == ["updated", "swept"]
    assert set(rows[0]) == {"kind", "actor", "from_state", "to_state", "reason", "at", "data"}
    assert rows[0]["actor"] == "clerk1" and rows[1]["actor"] is None


@pytest.mark.django_db
def test_dedupe_key_records_once(demo, enterprise_a):
    assert event_record(case=enterprise_a, kind="tier2", dedupe_key="ticket:7:tier:2") is not None
    assert event_record(case=enterprise_a, kind="tier2", dedupe_key="ticket:7:tier:2") is None
    assert Event.objects.filter(dedupe_key="ticket:7:tier:2").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_writers_record_a_dedupe_key_once(demo, enterprise_a):
    barrier = threading.Barrier(2)
    results, errors = [], []

    def writer(delay_commit):
        try:
            with transaction.atomic():
                if delay_commit:
                    results.append(event_record(case=enterprise_a, kind="tier2", dedupe_key="race:1"))
                    barrier.wait(timeout=10)
                    # keep the first insert uncommitted while the other writer tries the same key
                    threading.Event().wait(0.3)
                else:
                    barrier.wait(timeout=10)
                    results.append(event_record(case=enterprise_a, kind="tier2", dedupe_key="race:1"))
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(flag,)) for flag in (True, False)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert sorted(r is None for r in results) == [False, True]
    assert Event.objects.filter(dedupe_key="race:1").count() == 1


@pytest.mark.django_db
def test_timeline_partial_shows_each_apps_words_not_codes(demo, enterprise_a, clerk1):
    from django.template.loader import render_to_string
    from django.utils import translation

    from zone_portal.events.labels import event_labels_register

    event_labels_register(
        "enterprises", kinds={"moved": "迁出园区"}, states={"active": "在册", "gone": "迁出"}
    )
    try:
        event_record(case=enterprise_a, kind="moved", actor=clerk1, from_state="active", to_state="gone")
        event_record(case=enterprise_a, kind="unknown_kind")
        with translation.override("zh-hans"):
            html = render_to_string("events/_timeline.html", {"events": events_for(enterprise_a)})
        assert "迁出园区" in html and "在册 → 迁出" in html
        assert "unknown_kind" in html  # an unnamed kind still shows, as its code
    finally:
        from enterprises import timeline
        from zone_portal.events.labels import timeline_register

        timeline_register("enterprises", timeline)
