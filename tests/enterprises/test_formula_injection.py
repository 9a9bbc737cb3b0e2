"""The directory export writes what people typed as text: a value that looks like a formula stays
an inert string (and re-imports unchanged), never a live formula."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from .factories import make_enterprise

pytestmark = pytest.mark.django_db

PAYLOADS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_formula_looking_address_is_exported_as_text(client, register, clerk1, payload):
    make_enterprise(register.parks["park2"], "宏达机械有限公司", address=payload)
    client.force_login(clerk1)
    response = client.get(reverse("enterprises:export"), {"park": register.parks["park2"].pk})
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("地址") + 1)
    assert cell.data_type == "s"
    assert cell.value.replace("\r", "\n") == payload.replace("\r", "\n")  # XML turns CR into LF
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
