"""The reading pages of suggestions: the ledger (overdue first, scoped), key suggestions, the
statistics, the Excel export, the congress's public page and the annual handling report."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils.timezone import now as timezone_now

from lianluo.suggestions.models import Suggestion
from lianluo.suggestions.services import suggestion_new, suggestion_transition


@pytest.fixture
def demo(demo_shared):
    return demo_shared


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def _new(demo, users, title: str, **fields) -> Suggestion:
    # Filed by the deputy: staff filing for a deputy is refused by the core (see the report).
    return suggestion_new(
        actor=users["deputy"],
        congress=demo["county_congress"],
        deputy=fields.pop("deputy", demo["deputy"]),
        title=title,
        text=fields.pop("text", f"{title}：正文"),
        **fields,
    )


def _step(users, item: Suggestion, who: str, action: str, **fields) -> Suggestion:
    return suggestion_transition(actor=users[who], suggestion=item, action=action, **fields)


def _assigned(demo, users, title: str, *, co: bool = False, **fields) -> Suggestion:
    item = _step(users, _new(demo, users, title, **fields), "staff", "register")
    departments = demo["departments"]
    extra = {"co": [departments[1].code]} if co else {}
    return _step(users, item, "staff", "assign", lead=departments[0].code, **extra)


def _replied(
    demo, users, title: str, code: str = "A", co: bool = False, item_fields=None, **reply
) -> Suggestion:
    item = _assigned(demo, users, title, co=co, **(item_fields or {}))
    item = _step(users, item, "dept", "contact", method="phone", date=str(demo["today"]))
    return _step(users, item, "dept", "reply", code=code, text=f"{title}：答复全文", **reply)


# ---- the ledger ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_ledger_puts_overdue_first_in_red_with_days(demo, users):
    late = _assigned(demo, users, "路灯维修")
    with time_machine.travel(timezone_now() + timedelta(days=60), tick=False):
        fresh = _assigned(demo, users, "校门口斑马线")
    with time_machine.travel(late.deadline + timedelta(days=5), tick=False):
        r = _client(users["staff"]).get("/suggestions/ledger/")
    assert r.status_code == 200
    html = r.content.decode()
    assert html.index(late.number) < html.index(fresh.number)
    assert 'class="overdue"' in html and 'data-testid="overdue"' in html
    assert "逾期 5 天" in html


@pytest.mark.django_db
def test_ledger_filters_and_scope(demo, users):
    mine = _assigned(demo, users, "农村道路硬化")
    other = _step(users, _new(demo, users, "图书馆延时开放"), "staff", "register")
    staff = _client(users["staff"])
    body = staff.get("/suggestions/ledger/", {"status": "registered"}).content.decode()
    assert other.number in body and mine.number not in body
    body = staff.get("/suggestions/ledger/", {"q": "农村"}).content.decode()
    assert mine.number in body and other.number not in body
    code = demo["departments"][0].code
    body = staff.get("/suggestions/ledger/", {"department": code}).content.decode()
    assert mine.number in body and other.number not in body
    # The department sees only what was assigned to it; a deputy is not let in.
    body = _client(users["dept"]).get("/suggestions/ledger/").content.decode()
    assert mine.number in body and other.number not in body
    assert _client(users["deputy"]).get("/suggestions/ledger/").status_code == 403
    assert Client().get("/suggestions/ledger/").status_code == 302


# ---- key suggestions ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_key_table_has_the_columns_staff_know_and_the_progress_log(demo, users):
    from lianluo.deputies.models import Mandate

    item = _assigned(demo, users, "县城污水管网改造", co=True)
    item = _step(users, item, "staff", "mark_key", leader="王副主任", committee="城建环保工委")
    item = _step(users, item, "staff", "progress", text="已完成管网勘测")
    plain = _assigned(demo, users, "公园增设座椅")
    unit = Mandate.objects.get(deputy=demo["deputy"], congress=demo["county_congress"])
    r = _client(users["leader"]).get("/suggestions/key/")
    assert r.status_code == 200
    html = r.content.decode()
    assert item.number in html and plain.number not in html
    for text in (
        demo["deputy"].name,
        unit.constituency,
        demo["departments"][0].name,
        demo["departments"][1].name,
        "王副主任",
        "城建环保工委",
        "已完成管网勘测",
        '<th scope="col">选举单位</th>',
    ):
        assert text in html, text


# ---- statistics ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_stats_per_department_and_congress(demo, users):
    from lianluo.suggestions.report import stats_tables

    a = _replied(demo, users, "河道清淤", code="A")
    _replied(demo, users, "增建停车场", code="C")
    late = _assigned(demo, users, "农贸市场改造")
    _step(users, a, "deputy", "rate", rating="satisfied")
    with time_machine.travel(late.deadline + timedelta(days=1), tick=False):
        tables = stats_tables(users["staff"], congress=demo["county_congress"], year=None)
        r = _client(users["staff"]).get("/suggestions/stats/")
    line = next(d for d in tables.departments if d.name == demo["departments"][0].name)
    assert (line.assigned, line.answered, line.on_time, line.overdue) == (3, 2, 2, 1)
    assert [(c.label, c.n, c.share) for c in line.classes] == [
        ("A", 1, "50%"),
        ("B", 0, "0%"),
        ("C", 1, "50%"),
        ("D", 0, "0%"),
    ]
    assert [c.n for c in line.ratings] == [1, 0, 0, 0] and line.satisfied_share == "100%"
    assert [c.name for c in tables.congresses] == [demo["county_congress"].name]
    assert r.status_code == 200
    html = r.content.decode()
    assert "按承办单位" in html and demo["departments"][0].name in html


# ---- the Excel export ---------------------------------------------------------------------------

HEADERS_ZH = [
    "序号",
    "建议编号",
    "标题",
    "领衔代表",
    "附议代表",
    "选举单位",
    "类别",
    "主办单位",
    "协办单位",
    "交办日期",
    "办理期限",
    "答复日期",
    "答复类别",
    "代表评价",
    "状态",
]


def _sheet(response):
    from io import BytesIO

    from openpyxl import load_workbook

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(b"".join(response.streaming_content))).active


@pytest.mark.django_db
def test_excel_export_opens_again_with_the_staff_layout(demo, users):
    from datetime import datetime

    item = _replied(demo, users, "城区排水改造", code="B", co=True)
    _step(users, item, "deputy", "rate", rating="basically_satisfied")
    _step(users, _new(demo, users, "另一件建议"), "staff", "register")
    item.refresh_from_db()
    ws = _sheet(_client(users["staff"]).get("/suggestions/ledger.xlsx", {"q": "排水"}))
    assert "代表建议办理台账" in ws["A1"].value
    assert [c.value for c in ws[2]] == HEADERS_ZH
    assert ws.freeze_panes == "A3" and ws.max_row == 3
    row = [c.value for c in ws[3]]
    assert row[:4] == [1, item.number, "城区排水改造", demo["deputy"].name]
    assert row[7:9] == [demo["departments"][0].name, demo["departments"][1].name]
    assert isinstance(row[9], datetime) and row[9].date() == demo["today"]
    assert row[10].date() == item.deadline and row[11].date() == demo["today"]
    assert row[12:] == ["B", "基本满意", "已评价"]
    assert ws.column_dimensions["C"].width == 40
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    english.force_login(users["staff"])
    ws = _sheet(english.get("/suggestions/ledger.xlsx"))
    assert [c.value for c in ws[2]][:3] == ["No.", "Suggestion number", "Title"]
    assert ws.max_row == 4  # both items, not one page


# ---- the public page ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_public_page_shows_public_summaries_and_nothing_private(demo, users):
    shown = _replied(
        demo,
        users,
        "老旧小区加装电梯",
        public_text="已完成三个小区加装。",
        item_fields={"text": "加装电梯（保密正文）"},
    )
    secret = _replied(
        demo,
        users,
        "村道安全隐患",
        public=False,
        item_fields={"text": "村道隐患详情", "private": True},
    )
    _assigned(demo, users, "尚未答复的建议")
    code = demo["county"].code
    index = Client().get("/congress/suggestions/")
    assert f"/congress/{code}/suggestions/" in index.content.decode()
    assert "/congress/suggestions/" in Client().get("/").content.decode()
    r = Client().get(f"/congress/{code}/suggestions/")
    assert r.status_code == 200
    html = r.content.decode()
    assert shown.number in html and "已完成三个小区加装。" in html
    assert demo["departments"][0].name in html and "A 所提问题已经解决" in html
    # The internal reply text, the private item's text, an unpublished reply, an item not yet
    # answered and the deputy's name never show.
    for hidden in (
        "老旧小区加装电梯：答复全文",
        "加装电梯（保密正文）",
        "村道隐患详情",
        "村道安全隐患：答复全文",
        "尚未答复的建议",
        demo["deputy"].name,
    ):
        assert hidden not in html, hidden
    assert secret.number in html and "答复未公开。" in html
    assert Client().get("/congress/999999999999/suggestions/").status_code == 404


# ---- the annual handling report -----------------------------------------------------------------


@pytest.mark.django_db
def test_annual_report_page_and_docx(demo, users):
    from io import BytesIO

    from docx import Document

    solved = _replied(demo, users, "学校食堂改造", code="A")
    _step(users, solved, "deputy", "rate", rating="satisfied")
    tracked = _replied(demo, users, "乡村公交延伸", code="B")
    key = _assigned(demo, users, "全域污水治理")
    key = _step(users, key, "staff", "mark_key", leader="李主任", committee="城建环保工委")
    year = demo["today"].year
    staff = _client(users["staff"])
    r = staff.get(f"/suggestions/report/{year}/")
    assert r.status_code == 200
    html = r.content.decode()
    assert f"关于{year}年代表建议办理情况的报告" in html
    for text in ("各承办单位办理情况", "仍在跟踪办理的建议", tracked.number, key.number, "李主任"):
        assert text in html, text
    assert '<th scope="col">' in html and "<caption" in html
    r = staff.get(f"/suggestions/report/{year}/report.docx")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    document = Document(BytesIO(r.content))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == f"关于{year}年代表建议办理情况的报告"
    assert "重点建议及办理结果" in paragraphs
    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert facts["已交办"] == "3" and facts["已答复"] == "2" and facts["跟踪办理"] == "1"
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert {tracked.number, key.number, "李主任", demo["departments"][0].name} <= cells
    assert _client(users["deputy"]).get(f"/suggestions/report/{year}/").status_code == 403


@pytest.mark.django_db
def test_ledger_queries_do_not_grow_with_rows(demo, users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = _client(users["staff"])
    _assigned(demo, users, "第一件", co=True)
    staff.get("/suggestions/ledger/")  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        staff.get("/suggestions/ledger/")
    for n in range(3):
        _assigned(demo, users, f"第{n + 2}件", co=True)
    with CaptureQueriesContext(connection) as more:
        staff.get("/suggestions/ledger/")
    assert len(more) == len(few)
