"""The one-stop service journey in Chromium, as people see it (Chinese, the default language)."""

import re

import pytest
from playwright.sync_api import expect

from services.demo import seed_catalog
from services.models import ServiceRequest
from tests.e2e.conftest import menu_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def catalog(demo):
    return seed_catalog(demo)


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _fits(page):
    """Nothing of the page is wider than the phone's screen."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_seal_engraving_from_filing_to_a_bad_review_and_its_rectification(page, login, catalog, tmp_path):
    files = {}
    for name in ("营业执照副本", "法定代表人身份证", "刻章申请表", "新身份证"):
        files[name] = tmp_path / f"{name}.pdf"
        files[name].write_bytes(PDF)

    # ent_a applies on a phone: one upload slot per material of the checklist, required ones enforced.
    login("ent_a")
    page.set_viewport_size(PHONE)
    page.goto("/services/requests/new/?service=seal-engraving")
    expect(page.get_by_role("heading", name="新建申请")).to_be_visible()
    slots = page.get_by_test_id("checklist-fields")
    expect(slots.get_by_test_id("required")).to_have_count(3)
    page.get_by_label("说明").fill("新设子公司刻制公章")
    slots.get_by_label("营业执照副本").set_input_files(str(files["营业执照副本"]))
    page.get_by_role("button", name="提交申请").click()
    # two required materials are missing: both named at once, nothing filed
    expect(page.locator("#error-slot-1")).to_be_visible()
    expect(page.locator("#error-slot-2")).to_be_visible()
    assert not ServiceRequest.objects.exists()
    slots = page.get_by_test_id("checklist-fields")
    slots.get_by_label("营业执照副本").set_input_files(str(files["营业执照副本"]))
    slots.get_by_label("法定代表人身份证").set_input_files(str(files["法定代表人身份证"]))
    slots.get_by_label("刻章申请表").set_input_files(str(files["刻章申请表"]))
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_test_id("status")).to_have_text("已提交")
    number = page.get_by_test_id("number").inner_text()
    assert re.fullmatch(r"FW\d{8}-\d{4}", number)
    expect(page.get_by_test_id("material-state")).to_have_text(["已提供", "已提供", "已提供"])
    _fits(page)

    # clerk1 works from the rows of the queue: claim (the tiles follow), 受理 from my queue.
    login("clerk1")
    page.set_viewport_size(DESKTOP)
    menu_link(page, "办件队列").click()
    row = page.locator("tr", has_text=number)
    expect(row.get_by_test_id("sla")).to_contain_text("未受理")
    unclaimed = int(page.get_by_test_id("count-unclaimed").inner_text())
    row.get_by_role("button", name="认领").click()
    expect(page.locator("tr", has_text=number).get_by_test_id("assignee")).to_have_text("窗口一号 王敏")
    expect(page.get_by_test_id("count-unclaimed")).to_have_text(str(unclaimed - 1))
    page.get_by_role("link", name="我的队列").click()
    page.locator("tr", has_text=number).get_by_test_id("row-accept").click()
    expect(page.locator("tr", has_text=number).get_by_test_id("sla")).to_contain_text("剩余")

    # clerk1 asks for a supplement: a tick on the checklist and a note; the clock pauses.
    page.get_by_role("link", name=number).click()
    page.get_by_text("要求补正", exact=True).first.click()
    page.get_by_role("checkbox", name="法定代表人身份证").check()
    page.get_by_label("给申请人的说明").fill("身份证已过期，请提供有效期内的身份证")
    page.get_by_role("button", name="要求补正").click()
    expect(page.locator(".sla")).to_have_text("暂停计时")

    # ent_a, on the phone, finds it first thing on the home page and supplies the missing material.
    login("ent_a")
    page.set_viewport_size(PHONE)
    waiting = page.get_by_test_id("needs-supplement")
    expect(waiting).to_contain_text("法定代表人身份证")
    waiting.get_by_role("link", name=re.compile(number)).click()
    checklist = page.get_by_test_id("checklist")
    expect(
        checklist.locator("tr", has_text="法定代表人身份证").get_by_test_id("material-state")
    ).to_have_text("需补正")
    expect(page.get_by_role("status")).to_contain_text("身份证已过期")
    supplement = page.locator("form", has=page.get_by_role("button", name="提交补正"))
    supplement.get_by_label("法定代表人身份证").set_input_files(str(files["新身份证"]))
    page.get_by_role("button", name="提交补正").click()
    expect(page.get_by_test_id("status")).to_have_text("已受理（办理中）")
    expect(page.get_by_test_id("material-state")).to_have_text(["已提供", "已提供", "已提供"])
    expect(page.get_by_role("link", name="新身份证.pdf")).to_be_visible()
    _fits(page)

    # clerk1 completes it from the row of their queue.
    login("clerk1")
    page.set_viewport_size(DESKTOP)
    page.goto("/services/queue/?view=mine")
    row = page.locator("tr", has_text=number)
    row.get_by_test_id("row-complete").click()
    row.locator("input[name=result]").fill("公章、财务章已刻制完成，请到窗口领取。")
    row.get_by_role("button", name="办结").last.click()
    expect(page.locator("tr", has_text=number)).to_contain_text("办结")
    page.get_by_role("link", name=number).click()
    expect(page.get_by_test_id("result")).to_contain_text("公章、财务章已刻制完成")

    # ent_a rates it 2 (dissatisfied).
    login("ent_a")
    menu_link(page, "我的办件").click()
    page.get_by_role("link", name=number).click()
    page.get_by_label("不满意", exact=True).check()
    page.get_by_label("意见").fill("排队等待时间太长")
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_test_id("rating")).to_contain_text("不满意")
    expect(page.get_by_role("link", name=re.compile("整改"))).to_be_visible()

    # The rectification appears in the handler department's queue (approval: clerk2 is a member too).
    request = ServiceRequest.objects.get(number=number)
    assert request.department.code == "approval"
    login("clerk2")
    menu_link(page, "差评整改").click()
    row = page.locator("#rectifications tr", has_text=number)
    expect(row).to_contain_text("排队等待时间太长")
    expect(row).to_contain_text("行政审批局")
    expect(row).to_contain_text("待核实")
    # And nowhere else: ent_b's staff cannot open it.
    href = row.get_by_role("link").first.get_attribute("href")
    login("ent_b")
    assert page.goto(href).status == 404
