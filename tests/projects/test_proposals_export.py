"""The proposals list's Excel export: the rows of the filtered page (every page), in the
viewer's scope, without the proposer's name or phone (as the list), audited."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from lianluo.core.models import AuditLog
from lianluo.projects.services import collection as svc
from tests.projects import collection_cast

pytestmark = pytest.mark.clock("2026-12-02T10:00")

cx, demo = collection_cast.cx, collection_cast.demo


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def _rows(response) -> list[tuple]:
    assert response.status_code == 200
    ws = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    return list(ws.iter_rows(min_row=3, values_only=True))


@pytest.fixture
def proposals(cx):
    made = {}
    for title in ["修建村口路灯", "路灯维修", "修缮学校操场"]:
        made[title], _ = svc.proposal_submit_citizen(
            congress=cx.congress, title=title, text="说明", name="张三丰", phone="13812345678"
        )
    return made


def test_the_export_has_the_rows_of_the_filtered_page(cx, proposals):
    client = _client(cx.staff)
    query = {"q": "路灯", "congress": str(cx.congress.pk)}
    page = client.get("/projects/proposals/", query)
    shown = [p.pk for p in page.context["page"].object_list]
    assert 'data-testid="export-xlsx"' in page.content.decode()
    rows = _rows(client.get("/projects/proposals.xlsx", query))
    assert [r[0] for r in rows] == shown and len(shown) == 2
    assert rows[0][4] == 2027 and isinstance(rows[0][6], datetime)  # year a number, a real date
    cells = " ".join(str(v) for r in rows for v in r)
    assert "张三丰" not in cells and "13812345678" not in cells
    entry = AuditLog.objects.get(verb="export.proposals")
    assert entry.actor == cx.staff and entry.data == {"filters": query, "rows": 2}


def test_another_county_exports_none_of_them(cx, proposals):
    assert _rows(_client(cx.outsider).get("/projects/proposals.xlsx")) == []
