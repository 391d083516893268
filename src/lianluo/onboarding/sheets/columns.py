"""The columns of each roster sheet: key, bilingual header, help, dropdown, width."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from lianluo.onboarding.models import ImportKind
from lianluo.onboarding.sheets.vocab import is_zh

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
