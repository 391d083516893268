"""Excel exports of the staff's lists, in constant memory, streamed, audited.

Every list page (the case ledger, the suggestion ledger, the points ranking, the project
proposals) exports the rows its own selector gives for the same querystring: the app's view
builds the rows from that selector and describes the columns; this module writes them.

Why openpyxl in write-only mode, not XlsxWriter: openpyxl is already a dependency (the roster
import reads workbooks with it), and `Workbook(write_only=True)` writes each row to a temporary
XML file as it comes, so memory stays flat however many rows (benchmarks/xlsx_export.py measures
100,000 rows). The finished workbook is a temporary file (deleted on close) that `FileResponse`
sends in chunks. Dates become real Excel dates (aware datetimes in local time: Excel has no
time zones), numbers stay numbers, headers come translated from the caller, and a text that
starts with "=" (a citizen's title) is written as text, not as a formula.

Every export is an audited event (`audit_record`, verb `export.<list>`, with the filters and the
row count), since a workbook leaves the platform with whatever it holds.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

from django.http import FileResponse, QueryDict
from django.utils import timezone

from lianluo.core.models import User
from lianluo.core.services import audit_record

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
SHEET_TITLE_MAX = 31  # Excel's limit on a sheet's name
MARK_COLOR = "FDE2E1"  # the ledgers' red, light enough to print
# openpyxl (some 40 MB with what it pulls in) is imported where a workbook is written, never
# at import: a web process that serves no export does not carry it.


@dataclass(frozen=True)
class Column:
    """One column: its (translated) header, width in characters, and number format if any
    (`DATE`, `DATETIME`, "0.0" …; a date without one still gets `DATE`)."""

    header: str
    width: int = 14
    number_format: str | None = None


@dataclass(frozen=True)
class Marked:
    """A row to highlight (an overdue item): the ledgers print these in light red."""

    values: Sequence[Any]


Row = Sequence[Any] | Marked


def cell_value(value: Any) -> Any:
    """What openpyxl can write: aware datetimes in local time without the zone, lazy
    translations and enums as text, numbers and dates as they are."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if value is None or isinstance(value, (bool, int, float, Decimal, date)):
        return value
    return str(value)  # text, lazy translations (Promise), choices and anything else


def _sheet_name(title: str) -> str:
    for bad in "[]:*?/\\":
        title = title.replace(bad, " ")
    return title[:SHEET_TITLE_MAX] or "Sheet"


def _header(ws: WriteOnlyWorksheet, columns: Sequence[Column], title: str) -> int:
    """Column widths, the title row (merged, if any) and the bold header row; returns the
    number of rows written."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    # A write-only sheet writes its head (widths, frozen panes) with the first row: set them now.
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    written = 2 if title else 1
    ws.freeze_panes = f"A{written + 1}"
    ws.print_title_rows = f"{written}:{written}"
    if title:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = Font(bold=True, size=14)
        cell.alignment = Alignment(horizontal="center")
        ws.append([cell])
        ws.merged_cells.add(f"A1:{get_column_letter(max(len(columns), 1))}1")
    headers = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=column.header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        headers.append(cell)
    ws.append(headers)
    return written


def xlsx_write(
    *, columns: Sequence[Column], rows: Iterable[Row], sheet: str, title: str = ""
) -> tuple[IO[bytes], int]:
    """Write the rows into a new workbook (one sheet: the title row if any, the header row
    frozen, then the rows) in a temporary file; return it, rewound, and the number of rows.

    Memory stays flat: pass an iterator (`queryset.iterator(chunk_size=…)`), not a list."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import PatternFill

    mark_fill = PatternFill("solid", fgColor=MARK_COLOR)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_sheet_name(sheet))
    _header(ws, columns, title)
    formats = [c.number_format for c in columns]
    count = 0
    for row in rows:
        fill = isinstance(row, Marked)
        values = row.values if isinstance(row, Marked) else row
        out: list[Any] = []
        for index, raw in enumerate(values):
            value = cell_value(raw)
            fmt = formats[index] if index < len(formats) else None
            if fmt is None and isinstance(value, date):
                fmt = DATETIME if isinstance(value, datetime) else DATE
            # Citizens type these texts: one starting with "=" stays text, never a formula.
            formula_like = isinstance(value, str) and value.startswith("=")
            if fmt is None and not fill and not formula_like:
                out.append(value)
                continue
            cell = WriteOnlyCell(ws, value=value)
            if formula_like:
                cell.data_type = "s"
            if fmt is not None:
                cell.number_format = fmt
            if fill:
                cell.fill = mark_fill
            out.append(cell)
        ws.append(out)
        count += 1
    # Anonymous: the file is gone from the disk once closed (FileResponse closes it).
    file = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (the response closes it)
    wb.save(file)  # type: ignore[arg-type]  # openpyxl takes a path or a binary file
    file.seek(0)
    return file, count


def xlsx_response(file: IO[bytes], *, filename: str) -> FileResponse:
    """The workbook as a download, sent in chunks, never cached by a proxy."""
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
    response["Cache-Control"] = "private, no-store"
    return response


def filters_of(query: QueryDict | Mapping[str, str]) -> dict[str, str]:
    """The filters a list was asked for, as the audit keeps them (no page, no empty ones)."""
    return {k: str(v) for k, v in query.items() if k != "page" and v}


def xlsx_export(
    *,
    actor: User,
    verb: str,
    filters: Mapping[str, str],
    filename: str,
    columns: Sequence[Column],
    rows: Iterable[Row],
    sheet: str,
    title: str = "",
) -> FileResponse:
    """Write, audit (`verb`, with the filters and the row count) and send one export."""
    file, count = xlsx_write(columns=columns, rows=rows, sheet=sheet, title=title)
    audit_record(
        actor=actor, verb=verb, target=actor, data={"filters": dict(filters), "rows": count}
    )
    return xlsx_response(file, filename=filename)
