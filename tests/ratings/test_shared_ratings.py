"""The foundation's good/bad ratings (好差评) shared by every rated kind of case: a ticket's rating
is stored once, and one coverage figure counts requests and tickets alike."""

import pytest
import time_machine

from feedback.actions import ticket_confirm
from feedback.models import Ticket
from services import actions as service_actions
from services.demo import seed_catalog
from tests.feedback.conftest import MONDAY, at
from tests.feedback.factories import resolved_ticket
from zone_portal.ratings.models import Rating
from zone_portal.ratings.selectors import rating_coverage, rating_for

pytestmark = pytest.mark.django_db


def completed_request(demo):
    catalog = seed_catalog(demo)
    clerk, ent_a = demo.users["clerk1"], demo.users["ent_a"]
    with time_machine.travel(MONDAY, tick=False):
        request = service_actions.request_submit(
            actor=ent_a,
            service=catalog["seal-engraving"],
            enterprise=demo.enterprises["A"],
            description="测试",
        )
        request = service_actions.request_claim(actor=clerk, service_request=request)
        request = service_actions.request_accept(actor=clerk, service_request=request)
        return service_actions.request_complete(actor=clerk, service_request=request, result="已办结")


def test_a_ticket_rating_is_stored_once_and_read_back_through_the_api(api, org):
    ticket = resolved_ticket(org)
    ticket_confirm(actor=org.users["ent_a"], ticket=ticket, solved=True, score=4, comment="满意", now=at(3))

    assert not hasattr(Ticket(), "score") and not hasattr(Ticket(), "rating_comment")
    ratings = Rating.objects.filter(content_type__app_label="feedback", object_id=ticket.pk)
    assert [(r.score, r.comment) for r in ratings] == [(4, "满意")]
    body = api(org.users["ent_a"]).get(f"/api/v1/tickets/{ticket.pk}/").json()
    assert (body["score"], body["rating_comment"]) == (4, "满意")

    unrated = resolved_ticket(org, title="另一个问题")
    body = api(org.users["ent_a"]).get(f"/api/v1/tickets/{unrated.pk}/").json()
    assert (body["score"], body["rating_comment"]) == (None, "")


def test_the_ticket_page_shows_its_one_rating(client, org):
    ticket = resolved_ticket(org)
    ticket_confirm(
        actor=org.users["ent_a"], ticket=ticket, solved=True, score=2, comment="拖了很久", now=at(3)
    )
    client.force_login(org.users["ent_a"])
    html = client.get(f"/problems/{ticket.pk}/").content.decode()
    assert "拖了很久" in html and "(2/5)" in html
    assert rating_for(ticket).rectification is not None  # a bad review of a ticket is rectified too


def test_coverage_counts_every_rated_kind_of_case(org):
    request = completed_request(org)
    good, timed_out = resolved_ticket(org), resolved_ticket(org, title="没人确认")
    assert rating_coverage() == {"finished": 1, "rated": 0, "bad": 0, "coverage_percent": 0.0}

    ticket_confirm(actor=org.users["ent_a"], ticket=good, solved=True, score=5, now=at(3))
    Ticket.objects.filter(pk=timed_out.pk).update(status=Ticket.Status.CLOSED_UNCONFIRMED)
    service_actions.request_rate(actor=org.users["ent_a"], service_request=request, score=1)

    # 3 finished cases (a completed request, a confirmed ticket, a ticket closed unconfirmed), 2 rated.
    assert rating_coverage() == {"finished": 3, "rated": 2, "bad": 1, "coverage_percent": 66.7}
