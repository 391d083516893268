"""Writing roster workbooks: data sheets with dropdowns, the instructions sheet and the codes
reference."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from lianluo.onboarding.models import PAST_KINDS
from lianluo.onboarding.sheets.columns import COLUMNS, sheet_title
from lianluo.onboarding.sheets.vocab import is_zh, vocab_labels

if TYPE_CHECKING:
    from openpyxl import Workbook

# ---- writing ---------------------------------------------------------------------------------

# openpyxl is imported by the functions that write (not by every process that imports this).
HEADER_COLOR = "F3D9D7"
REQUIRED_COLOR = "8C1D18"
TEMPLATE_ROWS = 2000


@dataclass
class SheetData:
    kind: str
    rows: Sequence[dict[str, str]]


@dataclass
class Reference:
    """Codes a person filling in the sheet needs: congresses, stations, groups in scope."""

    congresses: list[tuple[str, str]] = field(default_factory=list)  # (area code, name)
    stations: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    groups: list[str] = field(default_factory=list)
    areas: list[tuple[str, str]] = field(default_factory=list)  # (code, name)


def _add_data_sheet(wb: Workbook, data: SheetData, reference_title: str | None) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    ws = wb.create_sheet(sheet_title(data.kind))
    cols = COLUMNS[data.kind]
    ws.append([c.header() for c in cols])
    for i, c in enumerate(cols, start=1):
        cell = ws.cell(row=1, column=i)
        cell.fill = PatternFill("solid", fgColor=HEADER_COLOR)
        cell.font = Font(bold=True, color=REQUIRED_COLOR) if c.required else Font(bold=True)
        cell.alignment = Alignment(vertical="center")
        ws.column_dimensions[get_column_letter(i)].width = c.width
    for row in data.rows:
        ws.append([row.get(c.key, "") for c in cols])
    last = max(len(data.rows) + 1, 1) + TEMPLATE_ROWS
    for i, c in enumerate(cols, start=1):
        letter = get_column_letter(i)
        if c.text:
            for (cell,) in ws.iter_rows(
                min_row=2, max_row=len(data.rows) + 1, min_col=i, max_col=i
            ):
                cell.number_format = "@"
            ws.column_dimensions[letter].number_format = "@"
        formula = None
        if c.vocab:
            formula = '"' + ",".join(vocab_labels(c.vocab)) + '"'
        elif reference_title and c.key.startswith("congress") and data.kind == "deputies":
            formula = f"'{reference_title}'!$A$2:$A$500"
        elif reference_title and c.key == "station" and data.kind in PAST_KINDS:
            formula = f"'{reference_title}'!$D$2:$D$2000"
        if formula:
            dv = DataValidation(type="list", formula1=formula, allow_blank=True)
            dv.error = _("Choose a value from the list.")
            dv.showErrorMessage = c.vocab is not None
            dv.add(f"{letter}2:{letter}{last}")
            ws.add_data_validation(dv)
    ws.freeze_panes = "B2" if data.kind == "deputies" else "A2"


def _roster_lines() -> list[str]:
    return [
        _("Import order: areas, then stations, then deputies."),
        _(
            "Importing the same file again updates the records instead of adding them twice. A "
            "column left out of the file is left as it is; an empty cell in a column clears it."
        ),
        _(
            "Areas are found by their code, stations by their code. A deputy is found by the "
            "deputy code if given, otherwise by the phone number, otherwise by name and birth "
            "year."
        ),
        _(
            "Each deputy row holds up to two mandates (层级1/人大1/届次1/选区1 and "
            "层级2/人大2/届次2/选区2). Mandates are added or updated, never removed."
        ),
        _(
            "The stations column lists station codes separated by semicolons; the first is the "
            "deputy's primary station. Memberships of stations in your area that are not listed "
            "are removed."
        ),
    ]


def _past_lines() -> list[str]:
    return [
        _("The second row is an example: replace it with the rows of your ledger."),
        _(
            "Past cases keep their own dates and are numbered in the ledger of the year they "
            "were received; they count in the figures of that period. Importing the same file "
            "again adds nothing."
        ),
        _(
            "Status: closed, in progress or not accepted. A rating is for closed matters only; "
            "a closing date for closed or not accepted ones, and not before the date received."
        ),
        _(
            "Reception records: one row per reception day. The same station, date and start "
            "time updates the record imported before; a record written on the platform is "
            "never overwritten."
        ),
        _("Imported records send no notifications and credit no duty points."),
    ]


def _add_instructions(wb: Workbook, kinds: Iterable[str]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    kinds = list(kinds)
    ws = wb.create_sheet(sheet_title("instructions"))
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 10
    ws.column_dimensions["C"].width = 90
    general = [
        _(
            "Fill in one row per record below the header row; do not change the headers (Chinese "
            "or English headers are both accepted)."
        ),
        _(
            "Required columns are marked with *. Codes and phone numbers are text: keep their "
            "leading zeros."
        ),
        _(
            "Importing is a preview first: every bad row is listed with its row number and "
            "nothing is written until you confirm."
        ),
        *(_past_lines() if set(kinds) <= set(PAST_KINDS) else _roster_lines()),
    ]
    ws.append([_("How to fill in this workbook")])
    ws["A1"].font = Font(bold=True, size=13)
    for line in general:
        ws.append(["", "", line])
    for kind in kinds:
        ws.append([])
        ws.append([sheet_title(kind)])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True, size=12)
        ws.append([_("Column"), _("Required"), _("What to write")])
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor=HEADER_COLOR)
        for c in COLUMNS[kind]:
            allowed = f" ({' / '.join(vocab_labels(c.vocab))})" if c.vocab else ""
            ws.append(
                [c.zh if is_zh() else c.en, _("yes") if c.required else "", f"{c.help}{allowed}"]
            )
    for row in ws.iter_rows(min_col=3, max_col=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _add_reference(wb: Workbook, ref: Reference) -> str:
    from openpyxl.styles import Font

    title = sheet_title("codes")
    ws = wb.create_sheet(title)
    ws.append(
        [
            _("Congress (area code)"),
            _("Congress"),
            "",
            _("Station code"),
            _("Station"),
            "",
            _("Area code"),
            _("Area"),
            "",
            _("Deputy group"),
        ]
    )
    for cell in ws[1]:
        cell.font = Font(bold=True)
    length = max(len(ref.congresses), len(ref.stations), len(ref.areas), len(ref.groups))
    for i in range(length):
        c = ref.congresses[i] if i < len(ref.congresses) else ("", "")
        s = ref.stations[i] if i < len(ref.stations) else ("", "")
        a = ref.areas[i] if i < len(ref.areas) else ("", "")
        g = ref.groups[i] if i < len(ref.groups) else ""
        ws.append([c[0], c[1], "", s[0], s[1], "", a[0], a[1], "", g])
    for letter, width in zip("ABCDEFGHIJ", (16, 28, 2, 14, 28, 2, 16, 20, 2, 20), strict=True):
        ws.column_dimensions[letter].width = width
        if letter in "ADG":
            ws.column_dimensions[letter].number_format = "@"
    return title


def build_workbook(sheets: list[SheetData], reference: Reference | None = None) -> bytes:
    """A workbook with one sheet per kind, the instructions and (optionally) the codes."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    ref_title = sheet_title("codes") if reference is not None else None
    for data in sheets:
        _add_data_sheet(wb, data, ref_title)
    _add_instructions(wb, [d.kind for d in sheets])
    if reference is not None:
        _add_reference(wb, reference)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
