"""The default catalog of duty items (积分事项), drawn from the deputies' points practice of
Hunan's counties: 27 items with points, yearly caps, evidence rules and the platform event that
credits each one automatically (if any). A congress installs it for a year and edits it there;
`catalog_copy_year` starts the next year from the last one.

Names are data, not UI strings: each row carries its Chinese name and its English name, and the
pages show the one that fits the reader's language (see `item_label`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import get_language

from lianluo.duty.models import AutoEvent


@dataclass(frozen=True)
class DefaultItem:
    code: str
    name: str
    name_en: str
    points: Decimal
    yearly_cap: Decimal | None
    evidence_required: bool = False
    auto_event: str = ""


def _d(value: float | int | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _item(
    code: str,
    name: str,
    name_en: str,
    points: float,
    cap: float | None,
    evidence: bool = False,
    auto: str = "",
) -> DefaultItem:
    points_d = _d(points)
    assert points_d is not None
    return DefaultItem(code, name, name_en, points_d, _d(cap), evidence, auto)


A = AutoEvent
DEFAULT_ITEMS: list[DefaultItem] = [
    # Platform events: credited automatically, never registered by hand.
    _item(
        "reception", "进站接待选民", "Reception at the station", 3, 36, auto=A.RECEPTION_ATTENDED
    ),
    _item(
        "activity", "参加联络站活动", "Station activity attended", 2, 30, auto=A.ACTIVITY_CHECKED_IN
    ),
    _item("case_answered", "答复群众意见建议", "Case answered", 2, 40, auto=A.CASE_ANSWERED),
    _item("case_closed", "群众意见建议办结销号", "Case closed out", 1, 30, auto=A.CASE_CLOSED),
    _item(
        "case_recorded",
        "记录走访发现的问题",
        "Matter found on a visit recorded",
        1,
        20,
        auto=A.CASE_RECORDED,
    ),
    _item("suggestion", "提出代表建议", "Suggestion filed", 5, 30, auto=A.SUGGESTION_FILED),
    _item("duty_report", "向选民述职", "Reporting duty to voters", 10, 10, auto=A.REPORT_SUBMITTED),
    # Registered by a liaison officer, or self-reported by the deputy and verified.
    _item("publicity", "宣传政策法规", "Policy publicity", 2, 12, evidence=True),
    _item("visit", "走访联系选民", "Visits to constituents", 2, 24, evidence=True),
    _item("family", "结对帮扶困难家庭", "Family support pairing", 3, 18, evidence=True),
    _item("key_suggestion", "建议列为重点督办", "Suggestion chosen as a key suggestion", 5, 10),
    _item("idea", "提出金点子", "Idea (金点子)", 3, 15, evidence=True),
    _item("research_report", "撰写调研报告", "Research report", 5, 20, evidence=True),
    _item("research", "参加专题调研", "Research visit", 3, 15),
    _item("inspection", "参加视察", "Inspection", 3, 15),
    _item("law_enforcement", "参加执法检查", "Law-enforcement inspection", 3, 15),
    _item("training", "参加学习培训", "Training", 2, 10),
    _item("meeting", "列席常委会或政府会议", "Attending a meeting", 2, 10),
    _item("session", "出席人民代表大会会议", "Attending the congress session", 5, 5),
    _item("group", "参加代表小组活动", "Deputy group activity", 2, 12),
    _item(
        "project_vote",
        "参加民生实事项目票决",
        "Voting on livelihood projects",
        2,
        4,
        auto=A.VOTE_CAST,
    ),
    _item(
        "project_supervision",
        "监督民生实事项目",
        "Supervising a livelihood project",
        3,
        12,
        auto=A.PROJECT_SUPERVISED,
    ),
    _item("review", "参加工作评议", "Reviewing a department's work", 3, 9),
    _item("mediation", "调解矛盾纠纷", "Mediating a dispute", 3, 15, evidence=True),
    _item("charity", "参与公益捐助", "Charity and donations", 2, 10, evidence=True),
    _item("honour", "获得表彰奖励", "Commendation", 5, 10, evidence=True),
    _item("media", "履职事迹被宣传报道", "Duty reported in the media", 2, 10, evidence=True),
]


def item_label(item: object) -> str:
    """The item's name in the reader's language (English name under `en`, if it has one)."""
    name = str(getattr(item, "name", ""))
    name_en = str(getattr(item, "name_en", "") or "")
    return name_en if name_en and (get_language() or "").startswith("en") else name
