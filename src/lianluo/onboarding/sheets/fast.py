"""Reading a workbook with calamine (Rust, `python-calamine`): ten times openpyxl's speed, for
the workbooks where it reads exactly what openpyxl reads.

Two things keep a workbook on openpyxl (`fits()` says no, and the caller reads with openpyxl):

- calamine builds each sheet as a dense grid of its bounding box in native memory before Python
  sees a cell, and a failed allocation aborts the process (no exception): one stray cell at
  XFD1048576 asks for 512 GB. So every part of the zip is scanned first (byte counts and
  anchored searches, no XML parsing) and the box its cell references can span must stay within
  `MAX_CELLS`. A part too large to scan in memory, a cell without its reference first or under a
  namespace prefix, and the sheet is not given to calamine.
- values calamine reads differently: an error cell (`#N/A`, a VLOOKUP that found nothing) is
  empty for calamine and its text for openpyxl (the row is refused with the value shown); an
  escaped character (`_x000D_`, a carriage return) calamine unescapes and openpyxl's read-only
  mode keeps as written; and a whole number of 16 digits or more written without an exponent
  (only programs write them; Excel keeps 15 digits) is exact for openpyxl and a float for
  calamine.

What remains reads alike once through `cell_text` (dates as dates, whole numbers without .0,
empty cells empty): tests/onboarding/test_sheet_readers.py reads the same workbooks with both.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Sequence
from typing import IO, Any

MAX_CELLS = 2_500_000  # the box calamine may allocate, at 32 bytes a cell: 80 MB
MAX_SCAN_BYTES = 40 * 1024 * 1024  # a part larger than this is left to openpyxl's streaming

# A cell element whose reference is not right after its name: calamine would place it where
# the scan does not look.
_ODD_CELL = re.compile(rb'<c(?:[\t\r\n>/]| (?!r="))')
_PREFIXED = re.compile(rb":c[\s>/]")  # cell elements under a namespace prefix
_ROW_REF = re.compile(rb'<row r="(\d{1,7})"')
_LAST_REF = re.compile(rb'<c r="[A-Z]{1,3}(\d{1,7})"')
_TWO_LETTERS = re.compile(rb'<c r="([A-Z])[A-Z]\d')
_LONG_NUMBER = re.compile(rb"<v>-?\d{16}")
_ESCAPE = re.compile(rb"_x[0-9A-Fa-f]{4}_")


def _part_fits(xml: bytes) -> bool:
    """Whether calamine may read this part: no error cell, no long whole number, no escaped
    character, and a box of
    cell references within MAX_CELLS. (Each test is one pass of a fast search over the bytes:
    the scan costs less than calamine's own read.)"""
    if b't="e"' in xml or _LONG_NUMBER.search(xml) or _ESCAPE.search(xml):
        return False
    if b"<c" not in xml:
        return True
    if _ODD_CELL.search(xml) or _PREFIXED.search(xml):
        return False
    # The last row says how far the rows go; no cell may claim a row of more digits, or of as
    # many digits and a higher first digit, nor a column of three letters.
    rows = [int(r) for r in _ROW_REF.findall(xml)]
    if not rows:
        rows = [int(r) for r in _LAST_REF.findall(xml, xml.rfind(b'<c r="'))] or [1]
    top = str(max(rows))
    digits, first = len(top), int(top[0])
    beyond = rb"\d{%d}" % (digits + 1)
    if first < 9:
        beyond += rb'|[%d-9]\d{%d}"' % (first + 1, digits - 1)
    if re.search(rb'<c r="(?:[A-Z]{3}|[A-Z]{1,2}(?:%s))' % beyond, xml):
        return False
    max_row = (first + 1) * 10 ** (digits - 1)
    seconds = set()
    if re.search(rb'<c r="[A-Z]{2}', xml):
        seconds = {letter[0] - 64 for letter in _TWO_LETTERS.findall(xml)}
    max_col = 26 * (1 + max(seconds, default=0))
    return max_row * max_col <= MAX_CELLS


def fits(fileobj: IO[bytes]) -> bool:
    """Whether calamine reads this workbook as openpyxl would, within memory (see above).

    Every part is scanned, not only those named as worksheets: calamine follows the workbook's
    relationships, which may name any part. Leaves the file at its start."""
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            for info in archive.infolist():
                if info.file_size > MAX_SCAN_BYTES:
                    return False
                if not _part_fits(archive.read(info)):
                    return False
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return False  # openpyxl says what is wrong with it
    finally:
        fileobj.seek(0)
    return True


class CalamineBook:
    """The worksheets of a workbook `fits()` accepted, each read whole on first use."""

    def __init__(self, fileobj: IO[bytes], max_rows: int) -> None:
        from python_calamine import CalamineWorkbook, SheetTypeEnum

        self._wb = CalamineWorkbook.from_filelike(fileobj)
        self._max_rows = max_rows
        self.titles = [m.name for m in self._wb.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
        self._grids: dict[int, list[list[Any]]] = {}

    def _grid(self, index: int) -> list[list[Any]]:
        if index not in self._grids:
            sheet = self._wb.get_sheet_by_name(self.titles[index])
            # From A1 (not from the first filled cell), so row numbers are the sheet's own.
            self._grids[index] = sheet.to_python(skip_empty_area=False, nrows=self._max_rows)
        return self._grids[index]

    def claimed_rows(self, index: int) -> int:
        return len(self._grid(index))

    def rows(
        self, index: int, *, min_row: int, max_row: int, max_col: int
    ) -> Iterator[Sequence[Any]]:
        for row in self._grid(index)[min_row - 1 : max_row]:
            yield row[:max_col]

    def close(self) -> None:
        self._grids.clear()
        self._wb.close()
