"""The migrations that made the ratings a foundation piece keep every row: ratings of requests and
of tickets, their rectifications and timelines, and scores kept only on tickets."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from feedback.actions import ticket_confirm
from services import actions as service_actions
from tests.feedback.conftest import at
from tests.feedback.factories import resolved_ticket
from zone_portal.events.models import Event
from zone_portal.ratings.models import Rating, Rectification

from .test_shared_ratings import completed_request

BEFORE = [
    ("ratings", None),
    ("services", "0004_content_type_detected_at_upload"),
    ("feedback", "0008_content_type_detected_at_upload"),
    ("dashboard", "0002_rollup_state_row"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    ContentType.objects.clear_cache()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


@pytest.mark.django_db(transaction=True)
def test_moving_the_ratings_keeps_every_row_and_every_ticket_score(org):
    ent_a = org.users["ent_a"]
    request = completed_request(org)
    service_actions.request_rate(actor=ent_a, service_request=request, score=2, comment="预约时间多次变动")
    early, late = resolved_ticket(org, title="早先评价的问题"), resolved_ticket(org, title="后来评价的问题")
    ticket_confirm(actor=ent_a, ticket=early, solved=True, score=5, comment="很好", now=at(3))
    ticket_confirm(actor=ent_a, ticket=late, solved=True, score=1, comment="拖了很久", now=at(4))
    # The early ticket's rating is left out by its case (a request may have the same id as a ticket).
    early_rating = Rating.objects.get(
        content_type=ContentType.objects.get_for_model(early), object_id=early.pk
    )
    kept = {r.pk: (r.object_id, r.score, r.comment) for r in Rating.objects.exclude(pk=early_rating.pk)}
    rectifications = dict(Rectification.objects.values_list("pk", "rating_id"))
    assert len(kept) == 2 and len(rectifications) == 2

    # Back to before the move: the rows are in the services tables, ticket scores on the tickets.
    old = migrate(BEFORE)
    OldTicket, OldRating = old.get_model("feedback", "Ticket"), old.get_model("services", "Rating")
    assert OldRating.objects.count() == 3
    assert OldTicket.objects.get(pk=late.pk).score == 1
    # A score given before ratings were shared exists only on its ticket.
    OldRating.objects.filter(content_type__app_label="feedback", object_id=early.pk).delete()
    OldTicket.objects.filter(pk=late.pk).update(score=3)  # and where both exist, the rating wins

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    for pk, (object_id, score, comment) in kept.items():
        rating = Rating.objects.get(pk=pk)
        assert (rating.object_id, rating.score, rating.comment) == (object_id, score, comment)
    assert dict(Rectification.objects.values_list("pk", "rating_id")) == rectifications
    restored = Rating.objects.get(content_type__app_label="feedback", object_id=early.pk)
    assert (restored.score, restored.comment, restored.rater, restored.created_at) == (
        5,
        "很好",
        ent_a,
        at(3),
    )
    assert restored.handler == org.users["cso1"] and not hasattr(restored, "rectification")
    assert Rating.objects.filter(content_type__app_label="feedback").count() == 2  # once per ticket
    # The rectifications' timelines still name them.
    opened = Event.objects.filter(kind="opened", content_type__app_label="ratings")
    assert sorted(e.case.pk for e in opened) == sorted(rectifications)
    assert not ContentType.objects.filter(
        app_label="services", model__in=["rating", "rectification"]
    ).exists()
