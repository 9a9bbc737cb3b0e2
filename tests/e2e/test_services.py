"""The one-stop service journey in Chromium, as people see it (Chinese, the default language)."""

import re

import pytest
from playwright.sync_api import expect

from services.demo import seed_catalog
from services.models import ServiceRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def catalog(demo):
    return seed_catalog(demo)


def test_seal_engraving_from_filing_to_a_bad_review_and_its_rectification(page, login, catalog, tmp_path):
    application = tmp_path / "刻章申请表.pdf"
    application.write_bytes(PDF)
    id_card = tmp_path / "法定代表人身份证.pdf"
    id_card.write_bytes(PDF)

    # ent_a files a seal-engraving request with a PDF.
    login("ent_a")
    page.get_by_role("link", name="事项清单").click()
    page.locator("#service-seal-engraving").get_by_role("link", name="申请").click()
    expect(page.get_by_role("heading", name="新建申请")).to_be_visible()
    page.get_by_label("说明").fill("新设子公司刻制公章")
    page.get_by_label("材料").set_input_files(str(application))
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_test_id("status")).to_have_text("已提交")
    number = page.get_by_test_id("number").inner_text()
    assert re.fullmatch(r"FW\d{8}-\d{4}", number)
    expect(page.get_by_role("link", name="刻章申请表.pdf")).to_be_visible()

    # clerk1 claims it from the queue (htmx: the row says who has it), then accepts it.
    login("clerk1")
    page.get_by_role("link", name="办件队列").click()
    row = page.locator("tr", has_text=number)
    expect(row.locator(".sla")).to_have_text("正常")
    row.get_by_role("button", name="认领").click()
    expect(page.locator("tr", has_text=number).get_by_test_id("assignee")).to_have_text("窗口一号 王敏")
    page.get_by_role("link", name=number).click()
    page.get_by_role("button", name="受理").click()
    expect(page.get_by_test_id("status")).to_have_text("已受理（办理中）")
    expect(page.get_by_test_id("due")).to_be_visible()

    # clerk1 asks for a supplement, listing what is missing at once: the clock pauses.
    page.get_by_text("要求补正", exact=True).first.click()
    page.get_by_label("缺少的材料，每行一项（一次性告知）").fill("法定代表人身份证复印件")
    page.get_by_role("button", name="要求补正").click()
    expect(page.get_by_test_id("status")).to_have_text("补正")
    expect(page.locator(".sla")).to_have_text("暂停计时")

    # ent_a sees what is missing and supplies it.
    login("ent_a")
    page.get_by_role("link", name="我的办件").click()
    page.get_by_role("link", name=number).click()
    expect(page.get_by_role("status")).to_contain_text("法定代表人身份证复印件")
    supplement = page.locator("form", has=page.get_by_role("button", name="提交补正"))
    supplement.get_by_label("备注").fill("已补充身份证复印件")
    supplement.get_by_label("材料").set_input_files(str(id_card))
    page.get_by_role("button", name="提交补正").click()
    expect(page.get_by_test_id("status")).to_have_text("已受理（办理中）")
    expect(page.get_by_role("link", name="法定代表人身份证.pdf")).to_be_visible()

    # clerk1 completes it.
    login("clerk1")
    page.get_by_role("link", name="办件队列").click()
    page.get_by_role("link", name="我的队列").click()
    page.get_by_role("link", name=number).click()
    page.get_by_text("办结", exact=True).first.click()
    page.get_by_label("办理结果").fill("公章、财务章已刻制完成，请到窗口领取。")
    page.get_by_role("button", name="办结").click()
    expect(page.get_by_test_id("status")).to_have_text("办结")
    expect(page.get_by_test_id("result")).to_contain_text("公章、财务章已刻制完成")

    # ent_a rates it 2 (dissatisfied).
    login("ent_a")
    page.get_by_role("link", name="我的办件").click()
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
    page.get_by_role("link", name="差评整改").click()
    row = page.locator("#rectifications tr", has_text=number)
    expect(row).to_contain_text("排队等待时间太长")
    expect(row).to_contain_text("行政审批局")
    expect(row).to_contain_text("待核实")
    # And nowhere else: ent_b's staff cannot open it.
    href = row.get_by_role("link").first.get_attribute("href")
    login("ent_b")
    assert page.goto(href).status == 404
