"""The year's report as an Excel workbook: a summary sheet, then one sheet per table of
`projects.report` (candidates, vote result, approved projects, supervision, satisfaction,
rectifications), each with a title row, the header frozen below it and set widths. Headers
follow the UI's language. And the columns and rows of the proposals list's export (written by
`lianluo.core.xlsx`, in constant memory)."""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.core.xlsx import DATE, Column, Row
from lianluo.projects.models import Proposal
from lianluo.projects.public import YearView
from lianluo.projects.report import year_report

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

SHEET_TITLE_MAX = 31  # Excel's limit on a sheet's name


def _sheet_name(title: str) -> str:
    for bad in "[]:*?/\\":
        title = title.replace(bad, " ")
    return title[:SHEET_TITLE_MAX]


def _title(ws: Worksheet, text: str, columns: int) -> None:
    from openpyxl.styles import Alignment, Font

    ws.append([text])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(columns, 1))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")


def year_xlsx(view: YearView) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    doc = year_report(view)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _sheet_name(_("Overview"))
    _title(ws, f"{doc.subtitle} · {doc.title}", 2)
    for key, value in doc.facts:
        ws.append([key, value])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 70
    for part in doc.parts:
        sheet = wb.create_sheet(_sheet_name(part.title))
        _title(sheet, f"{doc.subtitle} · {part.title}", len(part.header))
        sheet.append(part.header)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for row in part.rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                cell.alignment = Alignment(vertical="top", wrap_text=True)
        for index, width in enumerate(part.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A3"
        sheet.print_title_rows = "2:2"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


# ---- the proposals list -------------------------------------------------------------------------


def proposal_columns() -> list[Column]:
    """What the proposals list shows: no proposer's name or phone (revealed one at a time)."""
    return [
        Column("#", 8),
        Column(_("Project name"), 40),
        Column(_("Place"), 24),
        Column(_("From"), 12),
        Column(_("Year"), 8),
        Column(_("Status"), 12),
        Column(_("Received"), 12, DATE),
    ]


def proposal_rows(proposals: QuerySet[Proposal]) -> Iterator[Row]:
    for p in proposals.iterator(chunk_size=2000):
        yield [
            p.pk,
            p.title,
            p.place,
            p.get_source_display(),
            p.year,
            p.get_status_display(),
            timezone.localdate(p.created_at),
        ]
