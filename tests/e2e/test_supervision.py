"""Social supervision in Chromium (Chinese): supervisor1 files an observation about the hall
without an enterprise, the service center fixes it at once, supervisor1 rates the answer."""

from datetime import date

import pytest
from playwright.sync_api import expect

from supervision.models import Observation, Supervisor
from tests.e2e.conftest import menu_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def test_supervisor1_files_about_the_hall_the_center_fixes_it_at_once_and_is_rated(
    page, login, demo, tmp_path
):
    Supervisor.objects.create(
        user=demo.users["supervisor1"],
        name="何芳",
        phone="13900000001",
        term_start=date(2025, 1, 1),
        term_end=date(2099, 12, 31),
    )
    photo = tmp_path / "叫号机.jpg"
    photo.write_bytes(JPEG)

    # supervisor1 files an observation about a window of the hall, with a photo and no enterprise.
    login("supervisor1")
    menu_link(page, "监督意见").click()
    page.get_by_test_id("file-observation").click()
    page.get_by_label("类别").select_option("blocking")
    page.locator("select[name=place]").select_option("hall_window")
    page.get_by_label("具体位置").fill("3号窗口叫号机")
    page.get_by_label("说明").fill("叫号机故障，群众无法取号")
    page.get_by_label("照片").set_input_files(str(photo))
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.get_by_test_id("status")).to_have_text("待答复")
    expect(page.get_by_test_id("description")).to_contain_text("叫号机故障")
    observation = Observation.objects.get()
    assert observation.enterprise is None and observation.photos.count() == 1

    # clerk1 (the service center) finds it in the list and fixes it at once.
    login("clerk1")
    menu_link(page, "监督意见").click()
    page.get_by_test_id("observations").get_by_role("link", name=str(observation.pk)).click()
    page.get_by_label("整改措施").fill("当场更换叫号机")
    page.get_by_role("radio", name="立行立改").check()
    page.get_by_role("button", name="答复", exact=True).click()
    expect(page.get_by_test_id("status")).to_have_text("已整改")
    expect(page.get_by_test_id("fixed-at-once")).to_be_visible()

    # supervisor1 reads the answer and rates it.
    login("supervisor1")
    page.goto(observation.get_absolute_url())
    expect(page.get_by_test_id("measures")).to_have_text("当场更换叫号机")
    page.get_by_label("您对答复的评价").select_option("5")
    page.get_by_label("意见").fill("响应迅速")
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_test_id("rating")).to_contain_text("响应迅速")
    expect(page.get_by_test_id("rate-form")).to_have_count(0)
