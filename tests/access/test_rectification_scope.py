"""Finding 1 of issue 12: a bad review is read and worked by the handler, the handler's functional
department (its department officers) and administrators, not by every officer who shares a
department row with the handler (all chief service officers belong to 企业服务部)."""

import pytest

from zone_portal.ratings.models import Rectification

pytestmark = pytest.mark.django_db


def test_another_parks_officer_neither_reads_nor_appeals_a_bad_review(api, cso3, badly_rated_ticket):
    rectification = Rectification.objects.get()
    url = f"/api/v1/rectifications/{rectification.pk}/"
    assert api(cso3).get(url).status_code == 404
    assert api(cso3).post(f"{url}appeal/", {"reason": "恶意差评"}, format="json").status_code == 404
    assert api(cso3).get("/api/v1/rectifications/").json()["count"] == 0
    assert api(cso3).get("/api/v1/ratings/").json()["count"] == 0
    assert not cso3.notifications.filter(kind="rectification").exists()
    rectification.refresh_from_db()
    assert rectification.status == "open"


def test_the_handler_still_reads_and_appeals_it(api, cso2, badly_rated_ticket):
    rectification = Rectification.objects.get()
    url = f"/api/v1/rectifications/{rectification.pk}/"
    assert api(cso2).get(url).json()["rating"]["comment"] == "敷衍了事，问题依旧"
    assert cso2.notifications.filter(kind="rectification").exists()
    response = api(cso2).post(f"{url}appeal/", {"reason": "企业未配合现场核实"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "appealed"


def test_another_parks_officer_does_not_open_it_as_a_page(client, cso3, badly_rated_ticket):
    client.force_login(cso3)
    rectification = Rectification.objects.get()
    assert client.get(f"/services/rectifications/{rectification.pk}/").status_code == 404
