"""calamine reads roster workbooks as openpyxl does: the same workbooks read with both, cell by
cell and through `read_sheet`; and the workbooks calamine would read differently, or could not
hold in memory, stay with openpyxl."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

import pytest
from openpyxl import Workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from lianluo.onboarding.sheets import cell_text, fast, read_sheet, reading
from tests.factories.onboarding import person, xlsx


def _save(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rewrite(data: bytes, member: str, change: Callable[[bytes], bytes]) -> bytes:
    """The workbook with one part's XML changed (as another program would have written it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            dst.writestr(info, change(body) if info.filename == member else body)
    return out.getvalue()


def _no_dimension(data: bytes) -> bytes:
    return _rewrite(
        data, "xl/worksheets/sheet1.xml", lambda x: re.sub(rb"<dimension [^>]*/>", b"", x)
    )


def _shared_strings(data: bytes) -> bytes:
    """The workbook with its inline strings moved to a shared-strings part, as Excel and WPS
    write them (openpyxl writes inline strings)."""
    strings: list[bytes] = []

    def share(m: re.Match[bytes]) -> bytes:
        strings.append(m.group(3))
        return b'<c r="%s"%s t="s"><v>%d</v></c>' % (m.group(1), m.group(2), len(strings) - 1)

    inline = re.compile(rb'<c r="([A-Z]+\d+)"([^>]*?) t="inlineStr"><is>(<t[^>]*>.*?</t>)</is></c>')
    rel = (
        b'<Relationship Id="rIdShared" Target="sharedStrings.xml" Type="http://schemas.openxml'
        b'formats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>'
    )
    override = (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxml'
        b'formats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                body = inline.sub(share, body)
            elif info.filename == "xl/_rels/workbook.xml.rels":
                body = body.replace(b"</Relationships>", rel)
            elif info.filename == "[Content_Types].xml":
                body = body.replace(b"</Types>", override)
            dst.writestr(info, body)
        sst = b"".join(b"<si>%s</si>" % s for s in strings)
        dst.writestr(
            "xl/sharedStrings.xml",
            b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main" count="%d" uniqueCount="%d">%s</sst>'
            % (len(strings), len(strings), sst),
        )
    return out.getvalue()


def _grid(book: reading.Book) -> list[list[list[str]]]:
    """Every sheet as text (trailing empty cells and rows dropped), as the importer sees it."""
    sheets = []
    for index in range(len(book.titles)):
        rows = [
            [cell_text(v) for v in row]
            for row in book.rows(index, min_row=1, max_row=10_000, max_col=200)
        ]
        for row in rows:
            while row and row[-1] == "":
                row.pop()
        while rows and not rows[-1]:
            rows.pop()
        sheets.append(rows)
    return sheets


def _both(data: bytes) -> tuple[list[str], list[list[list[str]]], list[list[list[str]]]]:
    assert fast.fits(io.BytesIO(data)), "calamine would not read this workbook"
    slow = reading.OpenpyxlBook(io.BytesIO(data))
    quick = fast.CalamineBook(io.BytesIO(data), 10_000)
    try:
        assert quick.titles == slow.titles
        return slow.titles, _grid(slow), _grid(quick)
    finally:
        slow.close()
        quick.close()


def _typed_workbook() -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "代表"
    ws.append(["代表编码", "姓名", "出生年份", "手机号码", "日期", "时间", "数", "是否"])
    ws.append(["a-1", "张三", 1970, 13700000001, date(1970, 5, 3), time(8, 30), 0.1, True])
    ws.append([None, "  李四\u3000", "1970", "13700000002", datetime(1971, 1, 2, 12), None, 19.0])  # noqa: DTZ001
    ws.append(["a-3", "王五", 1970.0, 430399100200, None, timedelta(hours=30), 1e20, False])
    ws.append([None, None, -3, 1.5e-7, 45000, None, 123456789012345])
    ws["E5"].number_format = 'yyyy"年"m"月"d"日"'  # a Chinese date format: a date, not 45000
    ws["E6"] = 45000.5
    ws["E6"].number_format = "[$-F800]dddd, mmmm dd, yyyy"
    ws["F6"] = 0.75
    ws["F6"].number_format = "h:mm"
    ws["G6"] = 45000
    ws["G6"].number_format = "0.00%"  # a number format that is not a date
    ws["A9"] = "after two empty rows"
    ws["K2"].number_format = "@"  # a styled empty cell beyond the data
    ws["M20"].fill = ws["M20"].fill.copy(fill_type="solid", fgColor="FFFF00")
    return wb


# ---- the same values --------------------------------------------------------------------------


def test_dates_numbers_text_and_empty_cells_read_alike():
    titles, slow, quick = _both(_save(_typed_workbook()))
    assert titles == ["代表"]
    assert quick == slow
    # and what the importer relies on, spelled out
    assert slow[0][1] == [
        "a-1",
        "张三",
        "1970",
        "13700000001",
        "1970-05-03",
        "08:30:00",
        "0.1",
        "1",
    ]
    assert slow[0][2][:5] == ["", "李四", "1970", "13700000002", "1971-01-02"]
    assert slow[0][3][2:4] == ["1970", "430399100200"]
    assert slow[0][4][4] == "2023-03-15"
    assert slow[0][5][4:6] == ["2023-03-15", "18:00:00"]
    assert slow[0][8] == ["after two empty rows"]


@pytest.mark.parametrize("dimension", [True, False], ids=["with-dimension", "without-dimension"])
def test_a_workbook_with_shared_strings_with_or_without_a_dimension_reads_alike(dimension):
    # as Excel and WPS write it: strings shared; some writers leave out <dimension>, and
    # openpyxl then scans the sheet for its size
    data = _shared_strings(_save(_typed_workbook()))
    if not dimension:
        data = _no_dimension(data)
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b't="s"' in sheet_xml and b"inlineStr" not in sheet_xml
    assert (b"<dimension" in sheet_xml) == dimension
    _titles, slow, quick = _both(data)
    assert quick == slow and len(slow[0]) == 9
    assert slow[0][1][:2] == ["a-1", "张三"]


def test_rich_text_reads_alike():
    # given a name written in two runs of formatting (as Excel keeps a partly bolded cell)
    data = _shared_strings(_roster_with("B2", "PLACEHOLDER"))
    rich = '<si><r><rPr><b/></rPr><t>赵</t></r><r><t xml:space="preserve">六 </t></r></si>'
    data = _rewrite(
        data,
        "xl/sharedStrings.xml",
        lambda x: x.replace(b"<si><t>PLACEHOLDER</t></si>", rich.encode()),
    )
    _titles, slow, quick = _both(data)
    assert quick == slow and slow[0][1][1] == "赵六"


def test_an_escaped_character_stays_with_openpyxl_which_reads_it_as_before():
    # given a name ending in an escaped carriage return (pasted from a Windows text file):
    # calamine would unescape it, openpyxl's read-only mode keeps it as written
    data = _rewrite(
        _roster_with("B2", "PLACEHOLDER"),
        "xl/worksheets/sheet1.xml",
        lambda x: x.replace(b"PLACEHOLDER", "赵六_x000D_".encode()),
    )
    assert not fast.fits(io.BytesIO(data))
    assert read_sheet(io.BytesIO(data), "deputies").rows[0].values["name"] == "赵六_x000D_"


def test_the_1904_date_system_reads_alike():
    wb = _typed_workbook()
    wb.epoch = CALENDAR_MAC_1904
    _titles, slow, quick = _both(_save(wb))
    assert quick == slow and slow[0][1][4] == "1970-05-03"


def test_several_sheets_read_alike_and_the_roster_is_found_by_title_or_by_its_headers():
    # given a workbook with an instructions sheet first, the roster under another title, and
    # a reference sheet after it
    wb = Workbook()
    wb.active.title = "说明"
    wb.active.append(["请按模板填写", None, "第二列"])
    roster = wb.create_sheet("Sheet2")
    row = person(1)
    roster.append(list(row))
    roster.append([13700000009 if k == "手机号码" else v for k, v in row.items()])
    wb.create_sheet("参考").append(["cg-hub", "城关镇人大代表联络总站"])
    data = _save(wb)

    titles, slow, quick = _both(data)
    assert titles == ["说明", "Sheet2", "参考"] and quick == slow

    # when the roster is read by each reader, then both pick the same sheet and rows
    sheets = []
    for use_calamine in (False, True):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(fast, "fits", lambda fileobj, ok=use_calamine: ok)
            sheets.append(read_sheet(io.BytesIO(data), "deputies"))
    assert sheets[0] == sheets[1]
    assert sheets[0].rows[0].values["phone"] == "13700000009"


def test_a_roster_reads_to_the_same_rows_with_either_reader():
    rows = [person(n) for n in range(1, 30)]
    rows[3]["出生年份"] = 1977  # typed as a number, as Excel users do
    data = xlsx(rows)
    assert fast.fits(io.BytesIO(data))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(fast, "fits", lambda fileobj: False)
        slow = read_sheet(io.BytesIO(data), "deputies")
    quick = read_sheet(io.BytesIO(data), "deputies")
    assert quick == slow
    assert quick.rows[3].values["birth_year"] == "1977" and len(quick.rows) == 29


# ---- what stays with openpyxl ----------------------------------------------------------------


def _roster_with(cell: str, value: object) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "代表"
    ws.append(["代表编码", "姓名", "手机号码"])
    ws.append(["new-001", "测试代表", "13700000001"])
    ws[cell] = value
    return _save(wb)


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        pytest.param("XFD1048576", "x", id="a-cell-in-the-last-row-and-column"),
        pytest.param("A1048576", "x", id="a-cell-a-million-rows-down"),
        pytest.param("AAA2", "x", id="a-cell-in-a-three-letter-column"),
        pytest.param("A300000", "x", id="a-row-beyond-the-rows-claimed"),
    ],
)
def test_a_sheet_whose_cells_span_a_huge_box_is_not_given_to_calamine(cell, value):
    # calamine would allocate the whole box and abort the process
    assert not fast.fits(io.BytesIO(_roster_with(cell, value)))


def test_a_box_within_the_budget_is_given_to_calamine():
    # 26 columns × 50,000 rows, the largest roster accepted (MAX_ROWS)
    assert fast.fits(io.BytesIO(_roster_with("Z50000", "x")))


def test_cells_calamine_would_misplace_or_misread_stay_with_openpyxl():
    data = _roster_with("D2", "x")
    tab = _rewrite(
        data, "xl/worksheets/sheet1.xml", lambda x: x.replace(b'<c r="D2"', b'<c\tr="D2"')
    )
    late = _rewrite(
        data, "xl/worksheets/sheet1.xml", lambda x: x.replace(b'<c r="D2" ', b'<c t="s" r="D2" ')
    )
    prefixed = _rewrite(
        data, "xl/worksheets/sheet1.xml", lambda x: x.replace(b'<c r="D2"', b'<x:c r="D2"')
    )
    # a whole number of 18 digits written exactly (openpyxl reads an int, calamine a float)
    long_number = _rewrite(
        _roster_with("C2", 1),
        "xl/worksheets/sheet1.xml",
        lambda x: x.replace(
            b'<c r="C2" t="n"><v>1</v>', b'<c r="C2" t="n"><v>430399199001011234</v>'
        ),
    )
    assert b"430399199001011234" in zipfile.ZipFile(io.BytesIO(long_number)).read(
        "xl/worksheets/sheet1.xml"
    )
    assert b'<c r="D2" ' in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    for variant in (tab, late, prefixed, long_number):
        assert not fast.fits(io.BytesIO(variant))


def test_an_error_cell_is_read_by_openpyxl_and_reported_with_its_text():
    # given a roster whose phone is a formula's error (a VLOOKUP that found nothing)
    data = _roster_with("C2", "#N/A")
    assert b't="e"' in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")

    # then calamine (which reads it as empty) is not used, and the error is read as written
    assert not fast.fits(io.BytesIO(data))
    assert read_sheet(io.BytesIO(data), "deputies").rows[0].values["phone"] == "#N/A"
