"""The spreadsheet format of the roster: columns, vocabulary, error messages, reading, writing.

The headers and the choice values (男/女, 总站…, 是/否) are part of the file format and are
bilingual by design: an import accepts the Chinese and the English spelling (and the code)
whatever the language of the page, so a file filled in by a township in Chinese imports the
same for a colleague who reads the site in English. Templates and exports are written in the
language of the page. Everything else the user reads (instructions, error messages) goes
through gettext.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from lianluo.core.uploads import MESSAGES as UPLOAD_MESSAGES
from lianluo.core.uploads import UploadRefused, xlsx_check
from lianluo.onboarding.models import ImportKind

MAX_ROWS = 50_000
# What is read of a sheet, blank rows included: a sheet can claim a million rows of formatting,
# or one stray cell in its last row, and each row read costs time. Columns: a header row may
# have other columns besides ours; beyond these they are not looked at.
MAX_READ_ROWS = 2 * MAX_ROWS
MAX_READ_COLUMNS = 200


def is_zh() -> bool:
    return (get_language() or "zh-hans").lower().startswith("zh")


# ---- vocabulary ------------------------------------------------------------------------------

# code, Chinese, English — what a dropdown offers and an export writes.
VOCAB: dict[str, list[tuple[str, str, str]]] = {
    "gender": [("m", "男", "Male"), ("f", "女", "Female")],
    "yesno": [("1", "是", "Yes"), ("0", "否", "No")],
    "station_kind": [
        ("hub", "总站", "Hub station"),
        ("station", "联络站", "Liaison station"),
        ("sector", "片区站", "Sector station"),
        ("industry", "行业站", "Industry station"),
        ("contact", "联系点", "Contact point"),
    ],
    "mandate_level": [
        ("national", "全国", "National"),
        ("provincial", "省级", "Provincial"),
        ("city", "市级", "City"),
        ("county", "县级", "County"),
        ("township", "乡镇级", "Township"),
    ],
    "area_level": [
        ("province", "省", "Province"),
        ("city", "市", "City"),
        ("county", "县", "County"),
        ("township", "乡镇", "Township"),
        ("village", "村（社区）", "Village or community"),
    ],
}
# Other spellings people type.
ALIASES: dict[str, dict[str, str]] = {
    "gender": {"男性": "m", "女性": "f", "male": "m", "female": "f"},
    "yesno": {
        "y": "1",
        "n": "0",
        "true": "1",
        "false": "0",
        "√": "1",
        "×": "0",
        "是的": "1",
        "不是": "0",
    },
    "station_kind": {
        "数字总站": "hub",
        "中心站": "hub",
        "代表联络站": "station",
        "代表工作室": "contact",
        "代表之家": "contact",
        "联系站": "contact",
        "hub": "hub",
    },
    "mandate_level": {
        "全国人大": "national",
        "国家级": "national",
        "省": "provincial",
        "省人大": "provincial",
        "市": "city",
        "市人大": "city",
        "县": "county",
        "区": "county",
        "县（区）": "county",
        "县区": "county",
        "县人大": "county",
        "乡": "township",
        "镇": "township",
        "乡镇": "township",
        "乡级": "township",
        "镇级": "township",
    },
    "area_level": {
        "省级": "province",
        "市级": "city",
        "地级市": "city",
        "县级": "county",
        "区": "county",
        "县（区）": "county",
        "乡": "township",
        "镇": "township",
        "街道": "township",
        "村": "village",
        "社区": "village",
        "village": "village",
    },
}


def _key(value: str) -> str:
    return re.sub(r"[\s*＊]", "", value).lower()


_LOOKUP: dict[str, dict[str, str]] = {}
for _name, _items in VOCAB.items():
    table = {_key(code): code for code, _zh, _en in _items}
    table.update({_key(zh): code for code, zh, _en in _items})
    table.update({_key(en): code for code, _zh, en in _items})
    table.update({_key(k): v for k, v in ALIASES.get(_name, {}).items()})
    _LOOKUP[_name] = table


def vocab_code(vocab: str, value: str) -> str | None:
    """The code a spelling stands for, or None."""
    return _LOOKUP[vocab].get(_key(value))


def vocab_label(vocab: str, code: str) -> str:
    for c, zh, en in VOCAB[vocab]:
        if c == code:
            return zh if is_zh() else en
    return code


def vocab_labels(vocab: str) -> list[str]:
    return [zh if is_zh() else en for _c, zh, en in VOCAB[vocab]]


# ---- columns ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    help: str | Promise
    required: bool = False
    vocab: str | None = None  # a dropdown of this vocabulary in templates and exports
    text: bool = False  # cells formatted as text (codes, phones keep their leading zeros)
    width: int = 14

    def header(self) -> str:
        label = self.zh if is_zh() else self.en
        return f"{label}*" if self.required else label


AREA_COLUMNS = [
    Column(
        "code",
        "区划代码",
        "Area code",
        gettext_lazy("12-digit statistical area code."),
        True,
        text=True,
    ),
    Column("name", "名称", "Name", gettext_lazy("Name of the area."), True, width=18),
    Column("name_en", "英文名称", "English name", gettext_lazy("Optional."), width=18),
    Column(
        "level",
        "层级",
        "Level",
        gettext_lazy("Province, city, county, township or village."),
        True,
        vocab="area_level",
    ),
    Column(
        "parent",
        "上级区划代码",
        "Parent area code",
        gettext_lazy("Code of the area above; empty only for a province."),
        text=True,
        width=16,
    ),
    Column(
        "congress",
        "人大名称",
        "Congress name",
        gettext_lazy("If the area has a people's congress (township and above): its name."),
        width=22,
    ),
]

STATION_COLUMNS = [
    Column(
        "code",
        "站点编码",
        "Station code",
        gettext_lazy("Public code behind the QR code: letters, digits, - and _."),
        True,
        text=True,
    ),
    Column(
        "name", "站点名称", "Station name", gettext_lazy("Name of the station."), True, width=24
    ),
    Column(
        "kind",
        "类型",
        "Kind",
        gettext_lazy("Hub, station, sector, industry or contact point."),
        True,
        vocab="station_kind",
    ),
    Column(
        "area",
        "区划代码",
        "Area code",
        gettext_lazy("12-digit code of the station's area."),
        True,
        text=True,
        width=16,
    ),
    Column(
        "parent",
        "上级站点编码",
        "Parent station code",
        gettext_lazy('Code of the station above (the hub of a "1+5" group); may be in this file.'),
        text=True,
        width=16,
    ),
    Column(
        "congress",
        "所属人大",
        "Congress",
        gettext_lazy(
            "Area code or name of the congress that numbers the station's cases; empty: the "
            "nearest congress at or above the station's area."
        ),
        text=True,
        width=16,
    ),
    Column("address", "地址", "Address", gettext_lazy("Optional."), width=24),
    Column("hours", "开放时间", "Opening hours", gettext_lazy("Optional."), width=18),
    Column(
        "feature",
        "特色",
        "Feature",
        gettext_lazy("Optional: what the station is known for."),
        width=24,
    ),
    Column(
        "active", "启用", "Active", gettext_lazy("Yes or no; empty: yes."), vocab="yesno", width=8
    ),
]


def _mandate_columns(n: int) -> list[Column]:
    return [
        Column(
            f"level{n}",
            f"层级{n}",
            f"Mandate {n} level",
            gettext_lazy("Mandate level: national, provincial, city, county or township."),
            vocab="mandate_level",
            width=10,
        ),
        Column(
            f"congress{n}",
            f"人大{n}",
            f"Mandate {n} congress",
            gettext_lazy(
                "Area code or name of the congress of the mandate (national deputies: the "
                "province that elected them)."
            ),
            text=True,
            width=16,
        ),
        Column(
            f"term{n}",
            f"届次{n}",
            f"Mandate {n} term",
            gettext_lazy("Term number, e.g. 14."),
            width=8,
        ),
        Column(
            f"constituency{n}",
            f"选区{n}",
            f"Mandate {n} constituency",
            gettext_lazy("Optional."),
            width=14,
        ),
    ]


DEPUTY_COLUMNS = [
    Column(
        "code",
        "代表编码",
        "Deputy code",
        gettext_lazy(
            "Public code. Empty for a new deputy: one is made up (see the identity rule)."
        ),
        text=True,
    ),
    Column("name", "姓名", "Name", gettext_lazy("Full name."), True, width=10),
    Column("gender", "性别", "Gender", gettext_lazy("Male or female."), vocab="gender", width=6),
    Column("ethnicity", "民族", "Ethnicity", gettext_lazy("E.g. 汉族."), width=8),
    Column(
        "birth_year", "出生年份", "Birth year", gettext_lazy("Four digits, e.g. 1975."), width=8
    ),
    Column("party", "政治面貌", "Party", gettext_lazy("E.g. 中共党员, 群众."), width=10),
    Column("industry", "行业", "Industry", gettext_lazy("Industry or sector."), width=10),
    Column("occupation", "职业", "Occupation", gettext_lazy("Occupation and workplace."), width=20),
    Column(
        "specialties",
        "专长",
        "Specialties",
        gettext_lazy("Specialty tags, separated by commas."),
        width=16,
    ),
    Column(
        "is_official",
        "职务代表",
        "Official deputy",
        gettext_lazy("Yes or no."),
        vocab="yesno",
        width=8,
    ),
    Column(
        "phone",
        "手机号码",
        "Phone",
        gettext_lazy("Mobile number; kept private."),
        text=True,
        width=14,
    ),
    Column(
        "stations",
        "所在联络站",
        "Stations",
        gettext_lazy("Station codes separated by semicolons; the first is the primary station."),
        True,
        text=True,
        width=18,
    ),
    Column(
        "grid_area",
        "联系网格",
        "Grid area",
        gettext_lazy("Area code of the grid area they answer for."),
        text=True,
        width=16,
    ),
    Column(
        "group", "代表小组", "Deputy group", gettext_lazy("Name of the deputy group."), width=14
    ),
    *_mandate_columns(1),
    *_mandate_columns(2),
]

COLUMNS: dict[str, list[Column]] = {
    ImportKind.AREAS: AREA_COLUMNS,
    ImportKind.STATIONS: STATION_COLUMNS,
    ImportKind.DEPUTIES: DEPUTY_COLUMNS,
}
SHEET_TITLES: dict[str, tuple[str, str]] = {
    ImportKind.AREAS: ("区划", "Areas"),
    ImportKind.STATIONS: ("联络站", "Stations"),
    ImportKind.DEPUTIES: ("代表", "Deputies"),
    "instructions": ("填写说明", "Instructions"),
    "codes": ("参考代码", "Codes"),
}


def sheet_title(name: str) -> str:
    zh, en = SHEET_TITLES[name]
    return zh if is_zh() else en


def column(kind: str, key: str) -> Column:
    return next(c for c in COLUMNS[kind] if c.key == key)


def column_header(kind: str, key: str) -> str:
    """The column's header as the current language writes it (without the required mark)."""
    for c in COLUMNS[kind]:
        if c.key == key:
            return c.zh if is_zh() else c.en
    return key


# ---- messages --------------------------------------------------------------------------------

# Stable codes → translated messages. Jobs store the code and its parameters, so the page shows
# each problem in the language of whoever reads it, not of whoever uploaded the file.
MESSAGES: dict[str, str | Promise] = {
    "required": gettext_lazy("This field is required."),
    "too_long": gettext_lazy("At most %(max)d characters (this has %(length)d)."),
    "bad_choice": gettext_lazy("“%(value)s” is not one of: %(allowed)s."),
    "bad_area_code": gettext_lazy("“%(value)s” is not a 12-digit area code."),
    "unknown_area": gettext_lazy("No area has the code “%(value)s”."),
    "area_out_of_scope": gettext_lazy("The area “%(value)s” is outside your area."),
    "unknown_parent_area": gettext_lazy(
        "No area has the code “%(value)s”, neither saved nor in this file."
    ),
    "area_code_level": gettext_lazy("The code “%(value)s” is not the code of a %(level)s."),
    "area_code_parent": gettext_lazy(
        "The code “%(value)s” does not begin with the digits of its parent area %(parent)s."
    ),
    "area_level_parent": gettext_lazy("A %(level)s cannot be placed under a %(parent_level)s."),
    "area_move": gettext_lazy(
        "The area “%(value)s” already exists under another parent area; an import "
        "does not move areas."
    ),
    "village_congress": gettext_lazy("A village or community has no people's congress."),
    "bad_code": gettext_lazy(
        "“%(value)s” is not a valid code: use letters, digits, - and _ (at most 32)."
    ),
    "unknown_station": gettext_lazy("No station has the code “%(value)s”."),
    "station_out_of_scope": gettext_lazy("The station “%(value)s” is outside your area."),
    "unknown_parent_station": gettext_lazy(
        "No station has the code “%(value)s”, neither saved nor in this file."
    ),
    "parent_self": gettext_lazy("A station cannot be its own parent."),
    "parent_cycle": gettext_lazy("The parent stations go round in a circle: %(value)s."),
    "parent_area": gettext_lazy(
        "The parent station “%(value)s” is neither in this station's area nor above it."
    ),
    "unknown_congress": gettext_lazy("No people's congress is known as “%(value)s”."),
    "congress_not_above": gettext_lazy(
        "The congress “%(value)s” is neither of this station's area nor above it."
    ),
    "no_congress": gettext_lazy("No people's congress exists at or above this area: name one."),
    "bad_year": gettext_lazy("“%(value)s” is not a year between %(min)d and %(max)d."),
    "bad_phone": gettext_lazy("Enter a phone number such as 13812345678."),
    "bad_term": gettext_lazy("“%(value)s” is not a term number such as 14."),
    "duplicate_code": gettext_lazy(
        "The code “%(value)s” is already on row %(first)d of this file."
    ),
    "duplicate_phone": gettext_lazy(
        "The phone number %(value)s is already on row %(first)d of this file."
    ),
    "duplicate_person": gettext_lazy(
        "The same name and birth year are already on row %(first)d of this file."
    ),
    "duplicate_deputy": gettext_lazy(
        "Row %(first)d of this file already refers to the same deputy."
    ),
    "phone_taken": gettext_lazy("This phone number belongs to another deputy (code %(value)s)."),
    "ambiguous_phone": gettext_lazy(
        "Several deputies have the phone number %(value)s: give the code."
    ),
    "ambiguous_person": gettext_lazy(
        "Several deputies have this name and birth year: give the code."
    ),
    "deputy_out_of_scope": gettext_lazy(
        "The deputy “%(value)s” belongs only to stations outside your area."
    ),
    "not_identifiable": gettext_lazy(
        "Give a code, a phone number or a birth year, so that a later "
        "import finds this deputy again."
    ),
    "unknown_group": gettext_lazy("No deputy group in your area is named “%(value)s”."),
    "ambiguous_group": gettext_lazy(
        "Several deputy groups are named “%(value)s”: rename one of them."
    ),
    "mandate_incomplete": gettext_lazy("A mandate needs a level, a congress and a term."),
    "mandate_level": gettext_lazy("The congress “%(value)s” does not elect %(level)s deputies."),
    "mandate_twice": gettext_lazy("The second mandate repeats the first (same congress and term)."),
    "missing_column": gettext_lazy("The column “%(value)s” is missing from the first row."),
    "no_rows": gettext_lazy("The sheet has no rows to import."),
    "too_many_rows": gettext_lazy("At most %(max)d rows can be imported at once."),
    "unreadable": gettext_lazy("The file could not be read as an Excel workbook (.xlsx)."),
    "expired": gettext_lazy("The uploaded file is no longer kept: upload it again."),
    "internal": gettext_lazy("The import stopped on an unexpected error; nothing was written."),
}


@dataclass
class RowError:
    row: int  # the spreadsheet's own row number (the header is row 1)
    column: str  # column key, "" for the whole row
    header: str  # the column's header as written in the file
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "header": self.header,
            "code": self.code,
            "params": self.params,
            "message": render_message(self.code, self.params),
        }


def render_message(code: str, params: dict[str, Any]) -> str:
    """The message of an error code in the current language."""
    template = MESSAGES.get(code) or UPLOAD_MESSAGES.get(code)
    if template is None:
        return str(params.get("message", code))
    p = dict(params)
    if "vocab" in p:
        p["allowed"] = (
            "、".join(vocab_labels(p["vocab"])) if is_zh() else ", ".join(vocab_labels(p["vocab"]))
        )
    vocab = "mandate_level" if code == "mandate_level" else "area_level"
    for name in ("level", "parent_level"):
        if name in p:
            label = vocab_label(vocab, str(p[name]))
            p[name] = label if is_zh() else label.lower()
    try:
        return str(template) % p
    except (KeyError, TypeError, ValueError):
        return str(template)


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
        for spelling in (c.key, c.zh, c.en):
            table[_key(spelling)] = c.key
    return table


def open_workbook(fileobj: IO[bytes]) -> Any:
    """The workbook, read-only, once its zip directory has passed the size checks (nothing is
    inflated before): `UnreadableFile` with the reason otherwise."""
    try:
        xlsx_check(fileobj)
    except UploadRefused as exc:
        if exc.code == "workbook_unreadable":
            raise UnreadableFile(str(exc)) from exc
        raise UnreadableFile(str(exc), code=exc.code, params=exc.params) from exc
    try:
        return load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:  # zipfile/XML errors of every kind: not a workbook we can read
        raise UnreadableFile(str(exc)) from exc


def _pick_sheet(wb: Any, kind: str) -> Any:
    names = {_key(n) for n in (*SHEET_TITLES[kind], kind)}
    for ws in wb.worksheets:
        if _key(ws.title) in names:
            return ws
    lookup = _header_lookup(kind)
    required = {c.key for c in COLUMNS[kind] if c.required}
    for ws in wb.worksheets:
        first = next(
            ws.iter_rows(min_row=1, max_row=1, max_col=MAX_READ_COLUMNS, values_only=True), ()
        )
        keys = {lookup.get(_key(cell_text(v))) for v in first}
        if required <= keys:
            return ws
    return wb.worksheets[0]


def read_sheet(
    fileobj: IO[bytes], kind: str, progress: Callable[[int, int], None] | None = None
) -> Sheet:
    """The rows of the kind's sheet, keyed by column; missing required columns are errors.

    `progress(rows_read, rows_expected)` is called every 500 rows (the expected count is the
    sheet's recorded dimension, an estimate)."""
    wb = open_workbook(fileobj)
    try:
        ws = _pick_sheet(wb, kind)
        # The sheet's recorded dimension is only a claim: it sizes the progress bar, no more.
        expected = min(max((ws.max_row or 1) - 1, 1), MAX_READ_ROWS)
        lookup = _header_lookup(kind)
        header = ws.iter_rows(min_row=1, max_row=1, max_col=MAX_READ_COLUMNS, values_only=True)
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
        rows_iter = ws.iter_rows(
            min_row=2, max_row=MAX_READ_ROWS + 1, max_col=last_column, values_only=True
        )
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
        wb.close()


# ---- writing ---------------------------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="F3D9D7")
REQUIRED_FONT = Font(bold=True, color="8C1D18")
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
    ws = wb.create_sheet(sheet_title(data.kind))
    cols = COLUMNS[data.kind]
    ws.append([c.header() for c in cols])
    for i, c in enumerate(cols, start=1):
        cell = ws.cell(row=1, column=i)
        cell.fill = HEADER_FILL
        cell.font = REQUIRED_FONT if c.required else Font(bold=True)
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
        if formula:
            dv = DataValidation(type="list", formula1=formula, allow_blank=True)
            dv.error = _("Choose a value from the list.")
            dv.showErrorMessage = c.vocab is not None
            dv.add(f"{letter}2:{letter}{last}")
            ws.add_data_validation(dv)
    ws.freeze_panes = "B2" if data.kind == "deputies" else "A2"


def _add_instructions(wb: Workbook, kinds: Iterable[str]) -> None:
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
        _("Import order: areas, then stations, then deputies."),
        _(
            "Importing is a preview first: every bad row is listed with its row number and "
            "nothing is written until you confirm."
        ),
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
            cell.fill = HEADER_FILL
        for c in COLUMNS[kind]:
            allowed = f" ({' / '.join(vocab_labels(c.vocab))})" if c.vocab else ""
            ws.append(
                [c.zh if is_zh() else c.en, _("yes") if c.required else "", f"{c.help}{allowed}"]
            )
    for row in ws.iter_rows(min_col=3, max_col=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _add_reference(wb: Workbook, ref: Reference) -> str:
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
