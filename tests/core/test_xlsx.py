"""The shared Excel writer: headers, real dates in local time, numbers as numbers, the title
row merged, the header frozen, marked rows filled, a generator consumed once, and the file sent
in chunks as a download that no proxy keeps."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from lianluo.core.xlsx import (
    DATE,
    DATETIME,
    MARK_COLOR,
    Column,
    Marked,
    cell_value,
    filters_of,
    xlsx_response,
    xlsx_write,
)

UTC = ZoneInfo("UTC")
COLUMNS = [Column("编号", 18), Column("日期", 12, DATE), Column("时间", 17, DATETIME), Column("数")]


def test_values_keep_their_types_and_dates_are_local():
    ws_file, count = xlsx_write(
        columns=COLUMNS,
        rows=(
            row
            for row in [
                ["A-1", date(2026, 3, 4), datetime(2026, 3, 4, 16, 30, tzinfo=UTC), 3],
                Marked(["A-2", None, None, Decimal("2.5")]),
            ]
        ),
        sheet="台账:2026/1",  # Excel forbids ':' and '/' in a sheet's name
        title="案件台账",
    )
    assert count == 2
    ws = load_workbook(ws_file).active
    assert ws.title == "台账 2026 1"
    assert ws["A1"].value == "案件台账" and "A1:D1" in {str(r) for r in ws.merged_cells.ranges}
    assert [c.value for c in ws[2]] == ["编号", "日期", "时间", "数"]
    assert ws.freeze_panes == "A3" and ws.column_dimensions["A"].width == 18
    first = [c.value for c in ws[3]]
    # Excel's dates have no zone: openpyxl reads them back naive.
    assert first[1].isoformat() == "2026-03-04T00:00:00" and ws["B3"].number_format == DATE
    assert first[2].isoformat() == "2026-03-05T00:30:00"  # 16:30 UTC is 00:30 in Shanghai
    assert ws["C3"].number_format == DATETIME and first[3] == 3
    assert ws["D4"].value == 2.5 and ws["A4"].fill.fgColor.rgb.endswith(MARK_COLOR)
    assert ws["A3"].fill.fgColor.rgb != ws["A4"].fill.fgColor.rgb


def test_without_title_the_header_is_the_first_row():
    ws_file, count = xlsx_write(columns=COLUMNS[:1], rows=iter([]), sheet="s")
    ws = load_workbook(ws_file).active
    assert count == 0 and [c.value for c in ws[1]] == ["编号"] and ws.freeze_panes == "A2"


def test_lazy_text_and_choices_become_text():
    assert cell_value(gettext_lazy("Status")) in {"Status", "状态"}
    assert cell_value(None) is None and cell_value(Decimal("1.5")) == Decimal("1.5")


@pytest.mark.django_db  # closing a response sends request_finished, which closes old connections
def test_the_response_is_a_streamed_private_download():
    file, _count = xlsx_write(columns=COLUMNS, rows=[["A-1", None, None, 1]], sheet="s")
    response = xlsx_response(file, filename="cases-20261202.xlsx")
    assert response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="cases-20261202.xlsx"'
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    body = b"".join(response.streaming_content)
    response.close()
    assert body.startswith(b"PK")  # a zip, as every .xlsx
    assert file.closed


def test_the_filters_kept_leave_out_the_page_and_empty_ones():
    assert filters_of({"q": "路灯", "status": "", "page": "3"}) == {"q": "路灯"}


def test_a_text_that_looks_like_a_formula_stays_text():
    evil = '=HYPERLINK("http://evil.example/","点我")'
    file, _count = xlsx_write(columns=COLUMNS[:1], rows=[[evil]], sheet="s")
    cell = load_workbook(file).active["A2"]
    assert cell.value == evil and cell.data_type == "s"
