"""The case ledger's Excel export: exactly the rows the filtered page shows (all pages), in the
viewer's scope, without the citizen's name or phone (as the page), audited."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from lianluo.core.models import AuditLog
from lianluo.stations.models import Station

HEADER_ROW = 2  # row 1 is the title


@pytest.fixture
def demo(demo_shared):
    return demo_shared


def _client(user, language="zh-hans"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(BytesIO(b"".join(response.streaming_content))).active


def _numbers(ws) -> list[str]:
    return [row[0] for row in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]


def _page_numbers(response) -> list[str]:
    return [c.number for c in response.context["page"].object_list]


@pytest.fixture
def cases(demo, make_case):
    return {
        "light": make_case(text="村口路灯坏了，晚上看不见路"),
        "road": make_case(("accept", {"triage": "general"}), text="村道坑洼积水"),
        "light2": make_case(("accept", {"triage": "general"}), text="路灯又坏了"),
        "elsewhere": make_case(station=Station.objects.get(code="hk-hub"), text="路灯不亮"),
    }


@pytest.mark.django_db
def test_export_has_exactly_the_rows_of_the_filtered_page(users, cases):
    client = _client(users["staff"])
    query = {"q": "路灯", "status": "accepted"}
    page = client.get("/ledger/", query)
    ws = _workbook(client.get("/ledger.xlsx", query))
    assert _numbers(ws) == _page_numbers(page) == [cases["light2"].number]
    # Unfiltered: every case (one page here), in the page's order.
    assert _numbers(_workbook(client.get("/ledger.xlsx"))) == _page_numbers(client.get("/ledger/"))


@pytest.mark.django_db
def test_export_link_carries_the_filters(users, cases):
    page = _client(users["staff"]).get("/ledger/", {"q": "路灯", "status": "open"})
    assert 'href="/ledger.xlsx?q=%E8%B7%AF%E7%81%AF&amp;status=open"' in page.content.decode()


@pytest.mark.django_db
def test_export_follows_the_viewer_scope(users, cases):
    ws = _workbook(_client(users["liaison"]).get("/ledger.xlsx"))
    numbers = _numbers(ws)
    assert cases["light"].number in numbers
    assert cases["elsewhere"].number not in numbers  # another township's station
    assert cases["elsewhere"].number in _numbers(
        _workbook(_client(users["staff"]).get("/ledger.xlsx"))
    )


@pytest.mark.django_db
def test_export_shows_no_name_or_phone_and_real_dates(users, cases):
    ws = _workbook(_client(users["staff"]).get("/ledger.xlsx", {"q": "坑洼"}))
    assert ws["A1"].value.startswith("群众意见建议台账")  # the page's heading
    assert [c.value for c in ws[HEADER_ROW]][:3] == ["编号", "标题", "类别"]
    assert ws.freeze_panes == "A3"
    cells = [v for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    assert not any("张三" in str(v) or "13812345678" in str(v) for v in cells)
    row = next(ws.iter_rows(min_row=3, values_only=True))
    assert row[0] == cases["road"].number
    assert isinstance(row[6], datetime) and isinstance(row[8], datetime)  # deadline, submitted
    english = _workbook(_client(users["staff"], "en").get("/ledger.xlsx"))
    assert [c.value for c in english[HEADER_ROW]][:2] == ["Number", "Title"]


@pytest.mark.django_db
def test_every_export_is_audited_with_its_filters_and_count(users, cases):
    _workbook(_client(users["staff"]).get("/ledger.xlsx", {"q": "路灯", "page": "2"}))
    entry = AuditLog.objects.get(verb="export.cases")
    assert entry.actor == users["staff"]
    assert entry.data == {"filters": {"q": "路灯"}, "rows": 3}


@pytest.mark.django_db
def test_export_needs_a_login(cases):
    response = Client().get("/ledger.xlsx")
    assert response.status_code == 302
    assert not AuditLog.objects.filter(verb="export.cases").exists()
