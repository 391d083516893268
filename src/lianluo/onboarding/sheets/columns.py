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
    aliases: tuple[str, ...] = ()  # other headers ledgers use for the column (read only)

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

# ---- past years: the county's ledgers ---------------------------------------------------------

_STATION_HELP = gettext_lazy("Station code or the station's exact name.")
# The station of a past ledger's row, the same in both past-years sheets.
_PAST_STATION = Column(
    "station",
    "联络站",
    "Station",
    _STATION_HELP,
    True,
    text=True,
    width=20,
    aliases=("站点", "站点编码", "联络站名称"),
)

CASE_COLUMNS = [
    Column(
        "date",
        "日期",
        "Date received",
        gettext_lazy("The day the matter was received, e.g. 2023-05-06."),
        True,
        text=True,
        width=12,
        aliases=("登记日期", "受理日期", "接待日期", "来访日期", "Date"),
    ),
    _PAST_STATION,
    Column(
        "channel",
        "渠道",
        "Channel",
        gettext_lazy("How the matter came in."),
        True,
        vocab="channel",
        width=12,
        aliases=("来源", "反映渠道"),
    ),
    Column(
        "name",
        "群众姓名",
        "Citizen's name",
        gettext_lazy("Optional; kept as in the ledger, masked in lists."),
        width=10,
        aliases=("姓名", "来访人", "反映人"),
    ),
    Column(
        "phone",
        "联系电话",
        "Phone",
        gettext_lazy("Optional; kept as in the ledger, masked in lists."),
        text=True,
        width=14,
        aliases=("电话", "手机号码"),
    ),
    Column(
        "text",
        "反映事项",
        "Matter",
        gettext_lazy("What the citizen raised."),
        True,
        width=40,
        aliases=("反映问题", "诉求内容", "意见建议", "主要内容"),
    ),
    Column(
        "category",
        "类别",
        "Category",
        gettext_lazy("Optional: a category of the ledger, or any text."),
        width=12,
        aliases=("分类", "问题类别"),
    ),
    Column("place", "地点", "Place", gettext_lazy("Optional."), width=16, aliases=("地址",)),
    Column(
        "answer",
        "办理结果",
        "Answer",
        gettext_lazy("Optional: the answer given, or the reason for not accepting."),
        width=40,
        aliases=("答复", "办理结果/答复", "办理情况", "答复意见"),
    ),
    Column(
        "status",
        "办理状态",
        "Status",
        gettext_lazy("Closed, in progress or not accepted."),
        True,
        vocab="case_status",
        width=10,
        aliases=("状态", "是否办结"),
    ),
    Column(
        "closed",
        "办结日期",
        "Date closed",
        gettext_lazy("The day it was closed (or not accepted); empty: the date received."),
        text=True,
        width=12,
        aliases=("办结时间", "答复日期"),
    ),
    Column(
        "rating",
        "满意度",
        "Rating",
        gettext_lazy("Optional, closed matters only."),
        vocab="rating",
        width=10,
        aliases=("群众满意度", "评价", "满意度评价"),
    ),
    Column(
        "deputy",
        "代表",
        "Deputy",
        gettext_lazy("Optional: the deputy who handled it, by name or deputy code."),
        width=12,
        aliases=("接待代表", "责任代表", "代表姓名"),
    ),
]

RECEPTION_COLUMNS = [
    Column(
        "date",
        "日期",
        "Date",
        gettext_lazy("The reception day, e.g. 2023-05-06."),
        True,
        text=True,
        width=12,
        aliases=("接待日期", "活动日期"),
    ),
    _PAST_STATION,
    Column(
        "start",
        "开始时间",
        "Start",
        gettext_lazy("Optional, e.g. 9:00; empty: the station's usual time (else 9:00)."),
        text=True,
        width=10,
    ),
    Column(
        "end",
        "结束时间",
        "End",
        gettext_lazy("Optional, e.g. 12:00; empty: the station's usual time (else 12:00)."),
        text=True,
        width=10,
    ),
    Column(
        "citizens",
        "接待群众人数",
        "Citizens received",
        gettext_lazy("A whole number, 0 or more."),
        True,
        width=10,
        aliases=("接待人数", "群众人数", "接待群众"),
    ),
    Column(
        "deputies",
        "参加代表",
        "Deputies present",
        gettext_lazy("Names or deputy codes separated by 、 or commas."),
        width=24,
        aliases=("接待代表", "进站代表", "参加接待代表"),
    ),
    Column(
        "summary",
        "情况摘要",
        "Summary",
        gettext_lazy("Optional."),
        width=40,
        aliases=("摘要", "接待情况", "主要情况"),
    ),
]

COLUMNS: dict[str, list[Column]] = {
    ImportKind.AREAS: AREA_COLUMNS,
    ImportKind.STATIONS: STATION_COLUMNS,
    ImportKind.DEPUTIES: DEPUTY_COLUMNS,
    ImportKind.CASES: CASE_COLUMNS,
    ImportKind.RECEPTIONS: RECEPTION_COLUMNS,
}
SHEET_TITLES: dict[str, tuple[str, str]] = {
    ImportKind.AREAS: ("区划", "Areas"),
    ImportKind.STATIONS: ("联络站", "Stations"),
    ImportKind.DEPUTIES: ("代表", "Deputies"),
    ImportKind.CASES: ("群众意见台账", "Cases"),
    ImportKind.RECEPTIONS: ("接待记录", "Receptions"),
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
