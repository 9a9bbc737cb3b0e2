import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from enterprises.actions import cso_assign, visit_log
from enterprises.selectors import enterprise_current_cso, visit_ticket_draft

from .factories import make_enterprise

pytestmark = pytest.mark.django_db


def _raise_from_visit_url(visit) -> str:
    # The feedback app's page, which it links under each visit through the foundation's registry.
    return reverse("feedback:ticket-from-visit", kwargs={"visit_id": visit.pk})


def test_directory_searches_pinyin_and_filters(client, register, cso1):
    client.force_login(cso1)
    page = client.get(reverse("enterprises:directory"), {"q": "zjkj"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "中金科技有限公司" in html and "华创材料有限公司" not in html
    page = client.get(reverse("enterprises:directory"), {"has_cso": "false"})
    assert "中金科技有限公司" not in page.content.decode()


def test_directory_query_count_does_not_grow_with_rows(
    client, register, clerk1, cso1, django_assert_num_queries, django_assert_max_num_queries
):
    client.force_login(clerk1)
    url = reverse("enterprises:directory")
    cso_assign(actor=None, enterprise=make_enterprise(register.parks["park3"]), officer=cso1, reason="")
    client.get(url)
    with django_assert_max_num_queries(12) as first:
        client.get(url, {"park": register.parks["park3"].pk, "sort": "-capital"})
    for n in range(29):
        enterprise = make_enterprise(register.parks["park3"], registered_capital=n * 1000)
        cso_assign(actor=None, enterprise=enterprise, officer=cso1, reason="")
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(url, {"park": register.parks["park3"].pk, "sort": "-capital"})
    assert response.content.decode().count("首席服务员 张伟") >= 25  # one page, each with its officer


def test_directory_is_for_zone_staff_only(client, register, ent_a):
    client.force_login(ent_a)
    assert client.get(reverse("enterprises:directory")).status_code == 404
    assert client.get(reverse("enterprises:export")).status_code == 404


def test_enterprise_staff_see_their_own_page_and_404_for_another(
    client, register, ent_a, enterprise_a, enterprise_b
):
    client.force_login(ent_a)
    assert client.get(reverse("enterprises:own")).url == reverse("enterprises:detail", args=[enterprise_a.pk])
    assert client.get(reverse("enterprises:detail", args=[enterprise_a.pk])).status_code == 200
    for name in ("detail", "edit", "staff"):
        assert client.get(reverse(f"enterprises:{name}", args=[enterprise_b.pk])).status_code == 404
    for name in ("assign", "status", "visit-add"):
        assert client.post(reverse(f"enterprises:{name}", args=[enterprise_b.pk]), {}).status_code == 404


def test_owner_edits_only_the_fields_the_owner_may(client, register, ent_a, enterprise_a):
    client.force_login(ent_a)
    url = reverse("enterprises:edit", args=[enterprise_a.pk])
    form = client.get(url).context["form"]
    assert set(form.fields) == {"address", "industry", "contact_name", "contact_phone", "contact_email"}
    response = client.post(
        url,
        {
            "address": "建设路8号",
            "industry": "新材料",
            "contact_name": "李四",
            "contact_phone": "13900000000",
            "contact_email": "",
            "name": "想改名",
        },
    )
    assert response.status_code == 302
    enterprise_a.refresh_from_db()
    assert (enterprise_a.address, enterprise_a.name) == ("建设路8号", "中金科技有限公司")


def test_officer_hands_over_on_the_enterprise_page_and_sees_the_history(
    client, register, cso1, cso2, enterprise_a
):
    client.force_login(cso1)
    url = reverse("enterprises:detail", args=[enterprise_a.pk])
    assert "handover_form" in client.get(url).context and client.get(url).context["handover_form"]
    response = client.post(
        reverse("enterprises:assign", args=[enterprise_a.pk]), {"officer": cso2.pk, "reason": ""}
    )
    assert response.status_code == 400 and enterprise_current_cso(enterprise_a) == cso1
    response = client.post(
        reverse("enterprises:assign", args=[enterprise_a.pk]),
        {"officer": cso2.pk, "reason": "片区调整"},
        follow=True,
    )
    html = response.content.decode()
    assert enterprise_current_cso(enterprise_a) == cso2
    assert "片区调整" in html and "首席服务员 刘洋" in html
    assert response.context["handover_form"] is None  # cso1 no longer holds it


def test_visit_is_logged_and_its_finding_can_be_raised_as_a_problem(client, register, cso1, enterprise_a):
    client.force_login(cso1)
    response = client.post(
        reverse("enterprises:visit-add", args=[enterprise_a.pk]),
        {"visited_on": timezone.localdate().isoformat(), "participants": "王总", "findings": "需要用电增容"},
        follow=True,
    )
    assert "需要用电增容" in response.content.decode()
    visit = enterprise_a.visits.get()
    draft = visit_ticket_draft(visit)
    assert draft["enterprise"] == enterprise_a and draft["description"] == "需要用电增容"
    assert draft["visit_id"] == visit.pk and draft["reported_by"] == cso1
    link = _raise_from_visit_url(visit)
    assert f'href="{link}"' in response.content.decode()
    form = client.get(link).content.decode()
    assert "需要用电增容" in form and "走访" in form
    raised = client.post(
        link,
        {
            "enterprise": enterprise_a.pk,
            "category": "utilities",
            "title": "用电增容",
            "description": "需要用电增容",
            "urgency": "normal",
        },
    )
    assert raised.status_code == 302
    from feedback.models import Ticket

    ticket = Ticket.objects.get(title="用电增容")
    assert ticket.source == "visit" and ticket.enterprise == enterprise_a


def test_another_officer_cannot_raise_from_a_visit_they_cannot_see(
    client, register, cso1, ent_b, enterprise_a
):
    from enterprises.models import Visit

    visit = Visit.objects.create(
        enterprise=enterprise_a, officer=cso1, visited_on=timezone.localdate(), findings="x"
    )
    client.force_login(ent_b)
    assert client.get(_raise_from_visit_url(visit)).status_code == 404


def test_export_writes_the_filtered_directory_to_xlsx(client, register, clerk1, cso1):
    make_enterprise(register.parks["park2"], "宏达机械有限公司", registered_capital=Decimal("1234567.89"))
    client.force_login(clerk1)
    response = client.get(reverse("enterprises:export"), {"park": register.parks["park2"].pk})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="enterprises-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("企业名称", "统一社会信用代码", "园区")
    assert len(rows) == 2 and rows[1][0] == "宏达机械有限公司" and rows[1][4] == 123.456789
    everything = load_workbook(io.BytesIO(client.get(reverse("enterprises:export")).content)).active
    officers = {row[0]: row[-1] for row in everything.iter_rows(min_row=2, values_only=True)}
    assert officers["中金科技有限公司"] == "首席服务员 张伟"


def test_officer_sees_my_enterprises_and_the_workload_page(client, register, cso1, park1):
    client.force_login(cso1)
    html = client.get(reverse("enterprises:mine")).content.decode()
    assert "中金科技有限公司" in html and "华创材料有限公司" not in html
    make_enterprise(register.parks["park1"])
    client.force_login(park1)
    response = client.get(reverse("enterprises:officers"))
    assert response.context["without_officer"] == 1
    response = client.post(
        reverse("enterprises:officers"),
        {"park": register.parks["park1"].pk, "officer": cso1.pk, "only_without_officer": "on", "reason": ""},
    )
    assert response.status_code == 302
    assert client.get(reverse("enterprises:officers")).context["without_officer"] == 0


def test_clerk_changes_the_status_with_a_reason(client, register, clerk1, enterprise_b):
    client.force_login(clerk1)
    url = reverse("enterprises:status", args=[enterprise_b.pk])
    assert client.post(url, {"status": "deregistered", "reason": ""}).status_code == 400
    assert client.post(url, {"status": "deregistered", "reason": "已注销"}).status_code == 302
    response = client.post(url, {"status": "active", "reason": "恢复"})
    assert response.status_code == 409
    enterprise_b.refresh_from_db()
    assert enterprise_b.status == "deregistered" and enterprise_current_cso(enterprise_b) is None


def test_home_panel_shows_the_register_figures(client, register, admin_user, cso1):
    client.force_login(admin_user)
    panel = [p for p in client.get("/").context["panels"] if p["template"] == "enterprises/_home_panel.html"][
        0
    ]
    assert panel["counts"]["total"] == 2 and panel["without_officer"] == 0
    # The figures are the zone's for every reader; the panel says so (a park director's lists are
    # their park's).
    assert "全区在册企业" in client.get("/").content.decode()
    client.force_login(cso1)
    panel = [p for p in client.get("/").context["panels"] if p["template"] == "enterprises/_home_panel.html"][
        0
    ]
    assert panel["my_enterprises"] == 1


def test_visit_log_refuses_someone_elses_enterprise(register, cso2, enterprise_a):
    from zone_portal.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        visit_log(
            actor=cso2,
            enterprise=enterprise_a,
            visited_on=timezone.localdate(),
            participants="",
            findings="x",
        )


def test_clerk_registers_an_enterprise_on_the_page(client, register, clerk1, cso1):
    from enterprises.models import Enterprise
    from tests.factories import make_uscc

    client.force_login(clerk1)
    url = reverse("enterprises:create")
    form = {
        "name": "凯华半导体有限公司",
        "uscc": make_uscc(4242)[:-1] + "0",
        "park": register.parks["park5"].pk,
        "patents": 0,
    }
    response = client.post(url, form)
    assert response.status_code == 400 and "校验码" in " ".join(response.context["form"].errors["uscc"])
    response = client.post(url, {**form, "uscc": make_uscc(4242).lower()})
    enterprise = Enterprise.objects.get(uscc=make_uscc(4242))
    assert response.url == reverse("enterprises:detail", args=[enterprise.pk])
    assert enterprise.name_initials == "khbdtyxgs"
    client.force_login(cso1)
    assert client.get(url).status_code == 404


def test_pages_render_in_english_too(client, register, clerk1, enterprise_a):
    client.force_login(clerk1)
    html = client.get(
        reverse("enterprises:detail", args=[enterprise_a.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Officer history" in html and "Qualifications" in html


def test_the_raise_link_is_shown_only_to_those_who_may_raise(client, register, cso1, clerk1, enterprise_a):
    from enterprises.models import Visit

    visit = Visit.objects.create(
        enterprise=enterprise_a, officer=cso1, visited_on=timezone.localdate(), findings="x"
    )
    page = reverse("enterprises:detail", args=[enterprise_a.pk])
    client.force_login(cso1)
    assert _raise_from_visit_url(visit) in client.get(page).content.decode()
    client.force_login(clerk1)  # clerks see the register but do not raise problems
    assert _raise_from_visit_url(visit) not in client.get(page).content.decode()
