"""One answer for an object a user may not have (zone_portal.access, the `<entity>_for` selectors):
a row that is not theirs answers exactly as a row that does not exist, on the API and the pages."""

import pytest

from feedback.actions import escalation_defaults_install, ticket_raise
from services.actions import request_submit
from services.demo import seed_catalog
from tests.projects.factories import ProjectFactory
from zone_portal.notifications.actions import notify
from zone_portal.notifications.models import Notification

pytestmark = pytest.mark.django_db

MISSING = 987654321


@pytest.fixture
def owned_by_a(demo, ent_a, enterprise_a):
    """One object of each kind that belongs to enterprise A (or to its staff member)."""
    escalation_defaults_install()
    catalog = seed_catalog(demo)
    notify(recipients=[ent_a], title="通知")
    return {
        "request": request_submit(actor=ent_a, service=catalog["invoice"], enterprise=enterprise_a).pk,
        "ticket": ticket_raise(
            actor=ent_a, enterprise=enterprise_a, category="land", title="用地", description="说明"
        ).pk,
        "project": ProjectFactory(enterprise=enterprise_a).pk,
        "notification": Notification.objects.get(recipient=ent_a).pk,
        "enterprise": enterprise_a.pk,
    }


API = [
    ("get", "/api/v1/service-requests/{}/", "request"),
    ("post", "/api/v1/service-requests/{}/withdraw/", "request"),
    ("get", "/api/v1/tickets/{}/", "ticket"),
    ("post", "/api/v1/tickets/{}/comment/", "ticket"),
    ("get", "/api/v1/projects/{}/", "project"),
    ("post", "/api/v1/notifications/{}/read/", "notification"),
]


@pytest.mark.parametrize(("method", "url", "kind"), API, ids=[f"{m} {u}" for m, u, _ in API])
def test_the_api_answers_not_yours_as_missing(api, ent_a, ent_b, owned_by_a, method, url, kind):
    client = api(ent_b)
    not_yours = getattr(client, method)(url.format(owned_by_a[kind]), {}, format="json")
    missing = getattr(client, method)(url.format(MISSING), {}, format="json")
    assert not_yours.status_code == missing.status_code == 404
    assert not_yours.json() == missing.json()
    assert getattr(api(ent_a), method)(url.format(owned_by_a[kind]), {}, format="json").status_code != 404


PAGES = [
    ("/services/requests/{}/", "request"),
    ("/problems/{}/", "ticket"),
    ("/projects/{}/", "project"),
    ("/enterprises/{}/", "enterprise"),
]


@pytest.mark.parametrize(("url", "kind"), PAGES, ids=[u for u, _ in PAGES])
def test_a_page_answers_not_yours_as_missing(client, ent_a, ent_b, owned_by_a, url, kind):
    client.force_login(ent_b)
    assert client.get(url.format(owned_by_a[kind])).status_code == 404
    assert client.get(url.format(MISSING)).status_code == 404
    client.force_login(ent_a)
    assert client.get(url.format(owned_by_a[kind])).status_code == 200
