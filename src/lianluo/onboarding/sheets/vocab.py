"""The vocabulary of the roster sheets (codes and their bilingual labels) and the sheet's
limits."""

from __future__ import annotations

import re
from functools import lru_cache

from django.utils.translation import get_language

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
        ("studio", "代表工作室", "Deputy studio"),
        ("home", "代表之家", "Deputy home"),
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
    # Past years' ledgers: the case's channel, its outcome, the citizen's rating.
    "channel": [
        ("reception", "进站接待", "Reception at the station"),
        ("station_qr", "扫码", "Station QR code"),
        ("deputy_qr", "代表二维码", "Deputy QR code"),
        ("visit", "走访", "Deputy visit"),
        ("staff", "工作人员录入", "Staff entry"),
    ],
    "case_status": [
        ("closed", "已办结", "Closed"),
        ("open", "办理中", "In progress"),
        ("declined", "不予受理", "Not accepted"),
    ],
    "rating": [
        ("satisfied", "满意", "Satisfied"),
        ("basically_satisfied", "基本满意", "Basically satisfied"),
        ("dissatisfied", "不满意", "Dissatisfied"),
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
        "工作室": "studio",
        "之家": "home",
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
    "channel": {
        "接待": "reception",
        "来访": "reception",
        "进站": "reception",
        "接待日": "reception",
        "扫码留言": "station_qr",
        "二维码": "station_qr",
        "联络站二维码": "station_qr",
        "代表码": "deputy_qr",
        "扫代表码": "deputy_qr",
        "代表走访": "visit",
        "入户走访": "visit",
        "录入": "staff",
        "工作人员": "staff",
        "电话": "staff",
    },
    "case_status": {
        "办结": "closed",
        "已结": "closed",
        "已销号": "closed",
        "销号": "closed",
        "办理完毕": "closed",
        "处理中": "open",
        "在办": "open",
        "已受理": "open",
        "未办结": "open",
        "未受理": "declined",
        "不受理": "declined",
    },
    "rating": {"非常满意": "satisfied", "比较满意": "basically_satisfied"},
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


@lru_cache(maxsize=4096)  # asked for every cell of a choice column: a handful of spellings
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
