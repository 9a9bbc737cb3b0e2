"""Tickets made through the real actions (so deadlines, owners and events are what production makes)."""

from feedback.actions import ticket_raise, ticket_resolve, ticket_whistle

from .conftest import MONDAY


def raise_ticket(
    org, *, enterprise="A", by="ent_a", category="land", title="用地规划调整", now=MONDAY, **extra
):
    return ticket_raise(
        actor=org.users[by],
        enterprise=org.enterprises[enterprise],
        category=category,
        title=title,
        description="二期厂房用地需调整容积率。",
        now=now,
        **extra,
    )


def whistled_ticket(org, departments=("land", "power"), *, now=MONDAY, **extra):
    ticket = raise_ticket(org, now=now, **extra)
    return ticket_whistle(
        actor=org.users["park1"], ticket=ticket, departments=list(departments), note="请报到", now=now
    )


def resolved_ticket(org, *, now=MONDAY, **extra):
    ticket = raise_ticket(org, now=now, **extra)
    return ticket_resolve(actor=org.users["cso1"], ticket=ticket, resolution="已协调解决。", now=now)
