"""Cases in every state, built through the case services, then moved into the past."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from lianluo.cases.intake import intake_congress
from lianluo.cases.models import Case, CaseEvent, Category
from lianluo.cases.services import case_submit, case_transition
from lianluo.demo.seed.base import SURNAMES

CASE_TEXTS = [
    (
        "urban",
        "小区路灯坏了两个月",
        "幸福里小区东门到菜市场一段路灯坏了两个月，晚上老人小孩出行很不安全，希望尽快修复。",
        "幸福里小区东门",
    ),  # noqa: E501
    (
        "transport",
        "公交班次太少",
        "河口到县城的公交车一小时才一班，早上上班上学的人挤不上，建议高峰期加密班次。",
        "河口镇汽车站",
    ),  # noqa: E501
    (
        "education",
        "学校门口交通拥堵",
        "城关二小放学时门口车辆乱停，孩子过马路很危险，建议设置接送区和护学岗。",
        "城关二小",
    ),  # noqa: E501
    (
        "health",
        "村卫生室缺药",
        "石桥村卫生室常用的降压药经常断货，老年人要跑到镇上去买，希望保障供应。",
        "石桥村卫生室",
    ),  # noqa: E501
    (
        "social",
        "养老金认证不会操作",
        "家里老人不会用手机做养老金资格认证，希望社区能上门帮忙。",
        "白云社区",
    ),  # noqa: E501
    (
        "agriculture",
        "灌溉渠道堵塞",
        "红旗组的灌溉渠被垃圾和淤泥堵住了，春耕前必须清理，否则几十亩田放不了水。",
        "红旗组",
    ),  # noqa: E501
    (
        "environment",
        "河边有人倾倒建筑垃圾",
        "青溪河大桥下游经常有人夜里倒建筑垃圾，污染河道，请有关部门查处。",
        "青溪河大桥下游",
    ),  # noqa: E501
    (
        "governance",
        "广场舞噪音扰民",
        "人民广场晚上十点后还在放音乐，影响周边居民休息，希望规定时间和音量。",
        "人民广场",
    ),  # noqa: E501
    (
        "urban",
        "老旧小区加装电梯",
        "纺织厂宿舍都是六层楼，住了很多老人，希望纳入老旧小区改造加装电梯。",
        "纺织厂宿舍",
    ),  # noqa: E501
    (
        "transport",
        "乡道坑洼严重",
        "石桥乡到白云镇的乡道坑洼多，下雨天积水，摩托车容易摔倒。",
        "石桥—白云乡道",
    ),  # noqa: E501
    (
        "agriculture",
        "农产品销售难",
        "今年柑橘丰收但收购价低，希望帮助联系电商和收购商。",
        "河口镇柑橘基地",
    ),  # noqa: E501
    (
        "social",
        "低保申请进度",
        "邻居家去年因病致贫，申请低保三个月没有结果，想了解进度。",
        "城关镇南街",
    ),  # noqa: E501
]
ANSWERS = [
    "已联系供电所和城管部门现场查看，线路已修复，路灯恢复照明。",
    "经协调，主管部门已制定整改方案，预计本月内完成。",
    "已向群众当面解释相关政策，并留下联系方式以便后续跟进。",
]


# Each plan: the actions that bring a case to its final state.
PLANS: list[list[tuple[str, dict[str, Any]]]] = [
    [],
    [("accept", {"triage": "general"})],
    [("accept", {"triage": "major"})],
    [("decline", {"reason": "litigation"})],
    [("decline", {"reason": "petition"})],
    [("accept", {"triage": "simple"}), ("answer_on_spot", {"text": ANSWERS[2]})],
    [("accept", {"triage": "general"}), ("assign", {"department": 0})],
    [("accept", {"triage": "major"}), ("escalate", {"reason": "需县级统筹解决"})],
    [("accept", {"triage": "general"}), ("convert", {})],
    [
        ("accept", {"triage": "general"}),
        ("assign", {"department": 1}),
        ("answer", {"text": ANSWERS[1]}),
    ],  # noqa: E501
    [
        ("accept", {"triage": "general"}),
        ("answer", {"text": ANSWERS[0]}),
        ("follow_up", {"method": "phone", "note": "群众表示问题已解决"}),
    ],  # noqa: E501
    [
        ("accept", {"triage": "simple"}),
        ("answer_on_spot", {"text": ANSWERS[2]}),
        ("follow_up", {"method": "visit", "note": "满意"}),
        ("rate", {"rating": "satisfied"}),
    ],  # noqa: E501
    [
        ("accept", {"triage": "general"}),
        ("answer", {"text": ANSWERS[1]}),
        ("follow_up", {"method": "phone", "note": "不满意"}),
        ("rate", {"rating": "dissatisfied"}),
    ],  # noqa: E501
    [
        ("accept", {"triage": "general"}),
        ("assign", {"department": 0}),
        ("answer", {"text": ANSWERS[0]}),
        ("follow_up", {"method": "online", "note": "认可"}),
        ("rate", {"rating": "basically_satisfied"}),
        ("close", {}),
    ],  # noqa: E501
    [
        ("accept", {"triage": "simple"}),
        ("answer_on_spot", {"text": ANSWERS[2]}),
        ("follow_up", {"method": "phone", "note": "满意"}),
        ("rate", {"rating": "satisfied"}),
        ("close", {}),
    ],  # noqa: E501
]


def seed_cases(ctx: dict, rng: random.Random, count: int = 45) -> int:
    """Cases in every state, built through the services, then spread over the past months."""
    made = 0
    staff = ctx["staff"]
    for i in range(count):
        plan = PLANS[i % len(PLANS)]
        cat_code, title, text, place = CASE_TEXTS[i % len(CASE_TEXTS)]
        township = ctx["townships"][i % len(ctx["townships"])]
        group = ctx["stations"][township.code]
        station = ctx["cg_hub"] if i % 3 == 0 else group[i % len(group)]
        use_deputy = i % 4 == 1
        deputy = ctx["deputy"] if use_deputy and station == ctx["cg_hub"] else None
        if use_deputy and deputy is None:
            deputy = next(iter(station.deputies.all()), None)
        case, _created = case_submit(
            station=None if deputy else station,
            deputy=deputy,
            title=title,
            text=text,
            category=Category.objects.filter(
                congress=intake_congress(station=None if deputy else station, deputy=deputy),
                code=cat_code,
            ).first(),
            place=place,
            name=SURNAMES[(i * 3) % len(SURNAMES)] + "女士" if i % 2 else "",
            phone=f"138{rng.randint(10000000, 99999999)}" if i % 3 else "",
            consent_publish=i % 2 == 0,
            idempotency_key=f"demo-{i}",
        )
        for action, fields in plan:
            kw = dict(fields)
            if "department" in kw:
                kw["department"] = ctx["departments"][kw["department"]]
            case = case_transition(case=case, actor=staff, action=action, **kw)
        # Spread history over the past 100 days; some deadlines land in the past (overdue).
        shift = timedelta(days=rng.randint(0, 100), hours=rng.randint(0, 8))
        if i % 7 == 2:
            shift = timedelta(days=45)  # a general case accepted 45 days ago: overdue
        if i % 11 == 1:
            shift = timedelta(days=28)  # due soon
        _shift_case(case, shift)
        made += 1
    return made


def _shift_case(case: Case, shift: timedelta) -> None:
    """Move a demo case's timestamps into the past (demo history only)."""
    fields = {}
    for name in ("created_at", "accepted_at", "answered_at", "closed_at", "deadline"):
        value = getattr(case, name)
        if value is not None:
            fields[name] = value - shift
    Case.objects.filter(pk=case.pk).update(**fields)
    for linked in Case.objects.filter(escalated_from=case):
        _shift_case(linked, shift)
    for event in CaseEvent.objects.filter(case=case):
        CaseEvent.objects.filter(pk=event.pk).update(at=event.at - shift)
