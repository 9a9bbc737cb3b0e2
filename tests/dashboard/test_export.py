"""The dashboard's tables exported to .xlsx and read back with openpyxl."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.dashboard.conftest import MARCH
from tests.dashboard.test_figures import constructed  # noqa: F401

pytestmark = pytest.mark.django_db


def workbook(client, params, language="en"):
    response = client.get("/dashboard/export.xlsx", params, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(BytesIO(response.content))


def rows(sheet):
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_zone_export_has_every_table_with_the_figures(client, constructed, admin_user):  # noqa: F811
    client.force_login(admin_user)
    book = workbook(client, MARCH)

    assert book.sheetnames == [
        "Overview",
        "Requests by service",
        "Problems by week",
        "Requests by week",
        "Ratings",
        "By park",
        "By department",
        "Enterprises",
        "Key projects",
        "Park ranking",
        "Benefits and vouchers",
        "Paid by policy",
    ]
    overview = {r[0]: r[1] for r in rows(book["Overview"])[1:]}
    assert overview["Requests submitted"] == 7
    assert overview["Requests completed"] == 6
    assert abs(overview["On-time rate"] - 5 / 6) < 0.0001
    rate_cell = next(c for c in book["Overview"]["B"] if c.value == overview["On-time rate"])
    assert rate_cell.number_format == "0.0%"
    by_service = rows(book["Requests by service"])
    seal = next(r for r in by_service if r[0] == "印章刻制（免费）")
    assert seal[3:6] == [3, 3, 2]
    ratings = dict(rows(book["Ratings"])[1:])
    assert ratings["Very satisfied"] == 1 and ratings["Very dissatisfied"] == 1


def test_zero_denominators_are_written_as_a_dash(client, demo, admin_user):
    client.force_login(admin_user)
    book = workbook(client, MARCH)

    overview = {r[0]: r[1] for r in rows(book["Overview"])[1:]}
    assert overview["On-time rate"] == "—"
    assert overview["Satisfaction rate"] == "—"
    assert overview["Requests completed"] == 0


def test_department_export_has_no_register_or_projects(client, constructed, demo):  # noqa: F811
    client.force_login(demo.users["dept_tax"])
    book = workbook(client, MARCH)

    assert "Enterprises" not in book.sheetnames and "Key projects" not in book.sheetnames
    assert "By department" in book.sheetnames
    overview = rows(book["Overview"])
    assert overview[1][1] == demo.departments["tax"].name
