"""The points ranking's Excel export: the rows of the ranking page for the same year and
station (points as numbers), only the deputies the viewer ranks, refused to a deputy, audited."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from lianluo.core.models import AuditLog
from lianluo.deputies.models import Deputy
from tests.factories.duty import sector_year

NOW = datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def world(demo, users):
    with time_machine.travel(NOW, tick=False):
        yield {**demo, **users, **sector_year(training_note="代表履职培训")}


def browser(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def _rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    ws = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    assert [c.value for c in ws[2]] == ["名次", "代表", "编码", "积分"]
    return list(ws.iter_rows(min_row=3, values_only=True))


def test_the_export_has_the_rows_of_the_ranking_page(world):
    officer = browser(world["officer"])
    query = {"year": "2026", "station": world["station"].code}
    page = officer.get("/points/", query)
    shown = [(r.rank, r.deputy.name, r.deputy.code, r.points) for r in page.context["rows"]]
    link = "/points/ranking.xlsx?year=2026&amp;station=cg-sector-1"
    assert link in page.content.decode()
    rows = _rows(officer.get("/points/ranking.xlsx", query))
    d1, d2, d3 = world["deputies"]
    assert [(r[0], r[1], r[2], Decimal(str(r[3]))) for r in rows] == shown
    assert rows[0][2] == d1.code and rows[0][3] == 5 and isinstance(rows[0][3], (int, float))
    entry = AuditLog.objects.get(verb="export.points")
    assert entry.actor == world["officer"]
    assert entry.data == {"filters": query, "rows": 3}


def test_the_export_holds_only_the_deputies_the_viewer_ranks(world):
    codes = {r[2] for r in _rows(browser(world["officer"]).get("/points/ranking.xlsx"))}
    assert {d.code for d in world["deputies"]} <= codes
    outside = Deputy.objects.exclude(
        memberships__station__in=world["officer"].role_assignments.values("station_id")
    ).first()
    assert outside is not None and outside.code not in codes
    staff_codes = {r[2] for r in _rows(browser(world["staff"]).get("/points/ranking.xlsx"))}
    assert outside.code in staff_codes


def test_a_deputy_cannot_export_the_ranking(world):
    response = browser(world["me"]).get("/points/ranking.xlsx")
    assert response.status_code == 403
    assert not AuditLog.objects.filter(verb="export.points").exists()
