"""Reading a roster workbook: the sheet of a kind, its headers matched in either language, its
rows as text, within the row and column limits.

The workbook is read by calamine where it reads the same values as openpyxl (`sheets.fast`),
by openpyxl's streaming reader otherwise; both through the same `Book` interface."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any, Protocol

from lianluo.core.uploads import UploadRefused, xlsx_check
from lianluo.onboarding.sheets import fast
from lianluo.onboarding.sheets.columns import COLUMNS, SHEET_TITLES
from lianluo.onboarding.sheets.messages import RowError, render_message
from lianluo.onboarding.sheets.vocab import MAX_READ_COLUMNS, MAX_READ_ROWS, MAX_ROWS, _key

# ---- reading ---------------------------------------------------------------------------------


class UnreadableFile(Exception):
    """A file that is not read: `code` and `params` name why, as a RowError would."""

    def __init__(
        self, detail: str = "", *, code: str = "unreadable", params: dict[str, Any] | None = None
    ):
        super().__init__(detail or code)
        self.code = code
        self.params: dict[str, Any] = params or {}

    @property
    def message(self) -> str:
        return render_message(self.code, self.params)


@dataclass
class SheetRow:
    number: int
    values: dict[str, str]


@dataclass
class Sheet:
    headers: dict[str, str]  # column key → header as written in the file
    rows: list[SheetRow]
    errors: list[RowError]


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a trailing .0, dates as ISO dates, text stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).replace("\u3000", " ").strip()


def _header_lookup(kind: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for c in COLUMNS[kind]:
        for spelling in (c.key, c.zh, c.en, *c.aliases):
            table.setdefault(_key(spelling), c.key)
    return table


def _xlsx_check(fileobj: IO[bytes]) -> None:
    try:
        xlsx_check(fileobj)
    except UploadRefused as exc:
        if exc.code == "workbook_unreadable":
            raise UnreadableFile(str(exc)) from exc
        raise UnreadableFile(str(exc), code=exc.code, params=exc.params) from exc


def open_workbook(fileobj: IO[bytes]) -> Any:
    """The workbook, read-only, once its zip directory has passed the size checks (nothing is
    inflated before): `UnreadableFile` with the reason otherwise."""
    from openpyxl import load_workbook

    _xlsx_check(fileobj)
    try:
        return load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:  # zipfile/XML errors of every kind: not a workbook we can read
        raise UnreadableFile(str(exc)) from exc


class Book(Protocol):
    """The worksheets of a workbook, by index, as rows of cell values from row 1."""

    titles: list[str]

    def claimed_rows(self, index: int) -> int: ...

    def rows(
        self, index: int, *, min_row: int, max_row: int, max_col: int
    ) -> Iterator[Sequence[Any]]: ...

    def close(self) -> None: ...


class OpenpyxlBook:
    """openpyxl's read-only workbook: streams each sheet's XML, in constant memory."""

    def __init__(self, fileobj: IO[bytes]) -> None:
        self._wb = open_workbook(fileobj)
        self.titles = [ws.title for ws in self._wb.worksheets]

    def claimed_rows(self, index: int) -> int:
        # The sheet's recorded dimension: only a claim.
        return int(self._wb.worksheets[index].max_row or 1)

    def rows(
        self, index: int, *, min_row: int, max_row: int, max_col: int
    ) -> Iterator[Sequence[Any]]:
        ws = self._wb.worksheets[index]
        return ws.iter_rows(min_row=min_row, max_row=max_row, max_col=max_col, values_only=True)

    def close(self) -> None:
        self._wb.close()


def open_book(fileobj: IO[bytes]) -> Book:
    """The workbook for reading: calamine where it reads as openpyxl would (`fast.fits`),
    openpyxl otherwise. `UnreadableFile` with the reason if neither can."""
    _xlsx_check(fileobj)
    if fast.fits(fileobj):
        try:
            return fast.CalamineBook(fileobj, MAX_READ_ROWS + 1)
        except Exception:  # openpyxl reads it, or says why it cannot
            fileobj.seek(0)
    return OpenpyxlBook(fileobj)


def _pick_sheet(book: Book, kind: str) -> int:
    names = {_key(n) for n in (*SHEET_TITLES[kind], kind)}
    for index, title in enumerate(book.titles):
        if _key(title) in names:
            return index
    lookup = _header_lookup(kind)
    required = {c.key for c in COLUMNS[kind] if c.required}
    for index in range(len(book.titles)):
        first = next(book.rows(index, min_row=1, max_row=1, max_col=MAX_READ_COLUMNS), ())
        keys = {lookup.get(_key(cell_text(v))) for v in first}
        if required <= keys:
            return index
    return 0


def read_sheet(
    fileobj: IO[bytes], kind: str, progress: Callable[[int, int], None] | None = None
) -> Sheet:
    """The rows of the kind's sheet, keyed by column; missing required columns are errors.

    `progress(rows_read, rows_expected)` is called every 500 rows (the expected count is the
    sheet's recorded dimension, an estimate)."""
    book = open_book(fileobj)
    try:
        if not book.titles:
            raise UnreadableFile("no worksheet")
        index = _pick_sheet(book, kind)
        # The sheet's recorded dimension is only a claim: it sizes the progress bar, no more.
        expected = min(max(book.claimed_rows(index) - 1, 1), MAX_READ_ROWS)
        lookup = _header_lookup(kind)
        header = book.rows(index, min_row=1, max_row=1, max_col=MAX_READ_COLUMNS)
        first = next(header, None) or ()
        positions: dict[int, str] = {}
        headers: dict[str, str] = {}
        for i, value in enumerate(first):
            text = cell_text(value)
            key = lookup.get(_key(text)) if text else None
            if key and key not in headers:
                positions[i] = key
                headers[key] = text.rstrip("*＊").strip()
        # The missing header is named when the page is read, in the reader's language.
        errors = [
            RowError(1, c.key, "", "missing_column")
            for c in COLUMNS[kind]
            if c.required and c.key not in headers
        ]
        rows: list[SheetRow] = []
        # Only the columns we use are read, and rows as far as the limit.
        last_column = max(positions, default=0) + 1
        rows_iter = book.rows(index, min_row=2, max_row=MAX_READ_ROWS + 1, max_col=last_column)
        for number, raw in enumerate(rows_iter, start=2):
            if number > MAX_READ_ROWS:
                errors.append(RowError(number, "", "", "too_many_rows", {"max": MAX_ROWS}))
                break
            if progress is not None and number % 500 == 0:
                progress(number - 1, expected)
            values = {key: cell_text(raw[i]) for i, key in positions.items() if i < len(raw)}
            if any(values.values()):
                rows.append(SheetRow(number, values))
                if len(rows) > MAX_ROWS:
                    errors.append(RowError(number, "", "", "too_many_rows", {"max": MAX_ROWS}))
                    break
        if not rows and not errors:
            errors.append(RowError(2, "", "", "no_rows"))
        return Sheet(headers, rows, errors)
    finally:
        book.close()
