"""The ledger as an Excel workbook in the layout staff use for reports (代表建议办理台账): a
title row, then one row per item with real dates, set widths and the header frozen. Headers
follow the UI's language."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from lianluo.suggestions.selectors import LedgerRow

OVERDUE_FILL = PatternFill("solid", fgColor="FDE2E1")  # the ledger's red, light enough to print


def _columns() -> list[tuple[str, int]]:
    """(header, width in characters), in the staff's order."""
    return [
        (_("No."), 6),
        (_("Suggestion number"), 18),
        (_("Title"), 40),
        (_("Lead deputy"), 12),
        (_("Co-signing deputies"), 20),
        (_("Electing unit"), 16),
        (_("Category"), 16),
        (_("Lead department"), 20),
        (_("Co-departments"), 20),
        (_("Assigned on"), 12),
        (_("Reply due"), 12),
        (_("Replied on"), 12),
        (_("Reply class"), 10),
        (_("Deputy's rating"), 14),
        (_("Status"), 12),
    ]


def _day(value: datetime | None) -> date | None:
    return timezone.localdate(value) if value is not None else None


def ledger_xlsx(lines: Sequence[LedgerRow], *, title: str) -> bytes:
    """The rows as a workbook: title in row 1, headers in row 2 (frozen), dates as dates."""
    columns = _columns()
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Ledger")
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([header for header, _width in columns])
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for n, line in enumerate(lines, start=1):
        s = line.item
        ws.append(
            [
                n,
                s.number or "",
                s.title,
                s.deputy.name if s.deputy else "",
                "、".join(line.co_signers),
                line.constituency,
                s.get_category_display() if s.category else "",
                "、".join(line.lead),
                "、".join(line.co),
                _day(s.assigned_at),
                s.deadline,
                _day(s.replied_at),
                s.reply_class,
                s.get_last_rating_display() if s.last_rating else "",
                s.get_status_display(),
            ]
        )
        row = ws.max_row
        for col in (10, 11, 12):
            ws.cell(row=row, column=col).number_format = "yyyy-mm-dd"
        if line.days_overdue is not None:
            for cell in ws[row]:
                cell.fill = OVERDUE_FILL
    for index, (_header, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
