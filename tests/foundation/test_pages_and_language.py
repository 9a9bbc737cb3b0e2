import pytest
import time_machine
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_home_needs_login(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_home_is_chinese_by_default_and_switches_to_english(client, demo, ent_a):
    client.force_login(ent_a)
    page = client.get("/").content.decode()
    assert '<html lang="zh-hans">' in page and "首页" in page and "企业用户" in page
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page and "Home" in page and "Enterprise staff" in page


def test_calendar_page_is_for_administrators_only(client, demo, clerk1, admin_user):
    client.force_login(clerk1)
    assert client.get("/calendar/").status_code == 404
    client.force_login(admin_user)
    assert client.get("/calendar/").status_code == 200


def test_calendar_page_warns_about_a_year_without_official_data(client, demo, admin_user):
    with time_machine.travel(timezone.datetime(2098, 6, 1, tzinfo=timezone.get_current_timezone())):
        client.force_login(admin_user)
        page = client.get("/calendar/").content.decode()
    assert "官方节假日数据尚未覆盖 2098, 2099" in page


def test_calendar_page_adds_an_override_and_rejects_a_bad_one(client, demo, admin_user):
    from zone_portal.worktime.models import CalendarOverride

    client.force_login(admin_user)
    bad = client.post("/calendar/", {"date": "2026-12-05", "kind": "service"})
    assert bad.status_code == 400
    assert "额外服务时段需要开始时间和更晚的结束时间" in bad.content.decode()
    assert not CalendarOverride.objects.exists()
    good = client.post(
        "/calendar/", {"date": "2026-12-05", "kind": "service", "start": "09:00", "end": "12:00"}
    )
    assert good.status_code == 302
    assert CalendarOverride.objects.get().note == ""


def test_admin_menu_shows_the_calendar_only_to_admins(client, demo, admin_user, ent_a):
    client.force_login(admin_user)
    assert 'href="/calendar/"' in client.get("/").content.decode()
    client.force_login(ent_a)
    assert 'href="/calendar/"' not in client.get("/").content.decode()


def test_the_pager_keeps_every_filter_and_moves_the_page(rf):
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string

    request = rf.get("/enterprises/", {"park": "3", "q": "中金", "page": "2"})
    page = Paginator(range(100), 10).get_page(2)
    html = render_to_string("includes/pagination.html", {"page": page, "request": request})
    assert "park=3&amp;q=%E4%B8%AD%E9%87%91&amp;page=1" in html
    assert "park=3&amp;q=%E4%B8%AD%E9%87%91&amp;page=3" in html
    assert html.count("page=") == 2  # the old page number is replaced, not repeated


def test_calendar_page_gives_a_working_day_in_hours_and_dates_in_iso(client, demo, admin_user):
    client.force_login(admin_user)
    page = client.get("/calendar/").content.decode()
    assert "一个工作日计 7 小时" in page and "7:00:00" not in page
    assert 'type="date"' in page
