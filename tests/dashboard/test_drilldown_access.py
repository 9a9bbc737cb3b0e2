"""Finding 5 of issue 12: the lists behind the dashboard's figures list exactly what the user's
lists show — the same selectors — and every row they list opens."""

import pytest

from tests.dashboard.conftest import MARCH
from tests.dashboard.test_figures import constructed  # noqa: F401 - the constructed data set
from zone_portal.access.policy import visible_rows
from zone_portal.dashboard.drilldown import METRICS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username", ["park1", "dept_tax", "clerk1", "admin"])
def test_every_drilldown_lists_only_what_its_kinds_list_shows(client, constructed, demo, username):  # noqa: F811
    user = demo.users[username]
    client.force_login(user)
    for slug in METRICS:
        page = client.get(f"/dashboard/cases/{slug}/", MARCH)
        if page.status_code == 404:  # no dashboard for this role
            continue
        rows = page.context["page"].paginator.object_list
        listed = {row.pk for row in rows}
        readable = set(visible_rows(user, rows.model.objects.all()).values_list("pk", flat=True))
        assert listed <= readable, (slug, sorted(listed - readable))


def test_a_park_director_sees_as_many_ratings_under_the_figure_as_in_the_list(client, api, constructed, demo):  # noqa: F811
    park1 = demo.users["park1"]
    client.force_login(park1)
    drilled = client.get("/dashboard/cases/ratings/", MARCH).context["page"].paginator.count
    assert drilled > 0
    assert drilled == api(park1).get("/api/v1/ratings/").json()["count"]
    for row in client.get("/dashboard/cases/rectifications-opened/", MARCH).context["page"]:
        assert client.get(f"/services/rectifications/{row.pk}/").status_code == 200
        assert api(park1).get(f"/api/v1/rectifications/{row.pk}/").status_code == 200
