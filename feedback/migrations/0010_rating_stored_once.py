"""A ticket's rating is stored once: in the zone's shared ratings (`zone_portal.ratings`).

Scores given before ratings were shared exist only on the ticket: each becomes a `Rating` row
first (no rectification is opened after the fact), then the ticket's columns go. Where both exist
the shared rating is the one kept (it is the one the rectification flow and the dashboard use).
Going back fills the columns again from the shared ratings.
"""

from django.db import migrations
from django.utils import timezone


def _ticket_kind(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="feedback", model="ticket")[0]


def _rater_id(apps, ticket, confirmed_by: dict):
    """Who gave the score: whoever confirmed the ticket, else whoever raised it, else a member of
    its enterprise."""
    if ticket.pk in confirmed_by:
        return confirmed_by[ticket.pk]
    if ticket.raised_by_id:
        return ticket.raised_by_id
    Membership = apps.get_model("enterprises", "EnterpriseMembership")
    member = Membership.objects.filter(enterprise_id=ticket.enterprise_id).order_by("pk").first()
    if member is None:
        raise RuntimeError(f"ticket {ticket.pk} has a score but nobody to have given it: fix it by hand first")
    return member.user_id


def scores_to_ratings(apps, schema_editor):
    Ticket = apps.get_model("feedback", "Ticket")
    Rating = apps.get_model("ratings", "Rating")
    Event = apps.get_model("events", "Event")
    Department = apps.get_model("org", "Department")
    scored = Ticket.objects.filter(score__isnull=False).order_by("pk")
    if not scored.exists():
        return
    kind = _ticket_kind(apps)
    scored = scored.exclude(pk__in=Rating.objects.filter(content_type=kind).values("object_id"))
    confirmed_by = dict(
        Event.objects.filter(content_type=kind, kind="confirmed", actor__isnull=False)
        .order_by("at", "pk")
        .values_list("object_id", "actor_id")
    )
    now = timezone.now()
    ratings = []
    for ticket in scored.iterator():
        department = (
            Department.objects.filter(members=ticket.resolved_by_id).order_by("code").first()
            if ticket.resolved_by_id
            else None
        )
        ratings.append(
            Rating(
                content_type=kind,
                object_id=ticket.pk,
                score=ticket.score,
                comment=ticket.rating_comment,
                rater_id=_rater_id(apps, ticket, confirmed_by),
                enterprise_id=ticket.enterprise_id,
                handler_id=ticket.resolved_by_id,
                handler_department=department,
                case_label=f"{ticket.number or '—'} {ticket.title}"[:200],
                case_url="",
                created_at=ticket.confirmed_at or ticket.closed_at or now,
                updated_at=now,  # the dashboard recounts these days
            )
        )
    Rating.objects.bulk_create(ratings, batch_size=500)


def ratings_to_scores(apps, schema_editor):
    Ticket = apps.get_model("feedback", "Ticket")
    Rating = apps.get_model("ratings", "Rating")
    ContentType = apps.get_model("contenttypes", "ContentType")
    kind = ContentType.objects.filter(app_label="feedback", model="ticket").first()
    if kind is None:
        return
    for object_id, score, comment in Rating.objects.filter(content_type=kind).values_list(
        "object_id", "score", "comment"
    ):
        Ticket.objects.filter(pk=object_id).update(score=score, rating_comment=comment)


class Migration(migrations.Migration):

    dependencies = [
        ('feedback', '0009_at_risk_ratio'),
        ('ratings', '0001_initial'),
        ('events', '0002_leaner_indexes'),
        ('enterprises', '0003_account_request_address'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.RunPython(scores_to_ratings, ratings_to_scores),
        migrations.RemoveConstraint(
            model_name='ticket',
            name='ticket_score_range',
        ),
        migrations.RemoveField(
            model_name='ticket',
            name='rating_comment',
        ),
        migrations.RemoveField(
            model_name='ticket',
            name='score',
        ),
    ]
