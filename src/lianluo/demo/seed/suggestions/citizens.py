"""The township congress's suggestions, and two county suggestions formed from citizens'
cases, which the citizens follow by their tracking code."""

from __future__ import annotations

import random

from lianluo.cases.models import Case, CaseEvent
from lianluo.cases.models import Category as CaseCategory
from lianluo.cases.services import case_submit, case_transition
from lianluo.core.models import Congress, Department
from lianluo.demo.seed.base import SURNAMES
from lianluo.demo.seed.cases import CASE_TEXTS
from lianluo.demo.seed.suggestions.story import KEY_LEADERS, Story, handled, tell
from lianluo.deputies.models import Deputy
from lianluo.suggestions.states import Period


def township_suggestions(story: Story, congress: Congress, seats: list[Deputy]) -> None:
    """The 城关镇 congress's items: one closed, one under handling, one just filed."""
    housing, transport = (Department.objects.get(code=c) for c in ("qx-housing", "qx-transport"))
    reply = "已利用原城关三小校舍改建日间照料中心，下月投入使用。"
    tell(
        story,
        congress,
        seats[0],
        100,
        [*handled(housing, 97, 95, 40, reply=reply), ("rate", 35, {"rating": "satisfied"})]
        + [("close", 33, {})],
        title="关于城关社区增设老年人日间照料中心的建议",
        text="城关社区60岁以上老人占三成，建议利用闲置校舍建设日间照料中心。",
        category="health",
    )
    tell(
        story,
        congress,
        seats[1],
        30,
        [*handled(transport, 27, 25), ("contact", 10, {})],
        title="关于城关镇南街增设公交站点的建议",
        text="南街居民到县医院需步行二十分钟，建议在南街口增设公交站点。",
        category="transport",
    )
    tell(
        story,
        congress,
        seats[2],
        2,
        [],
        period=Period.SESSION,
        title="关于加强城关镇集贸市场食品安全监管的建议",
        text="集贸市场散装食品多，建议增加快检频次并公示结果。",
        category="health",
    )


def _case(
    story: Story,
    ctx: dict,
    n: int,
    days: int,
    station_code: str,
    rng: random.Random,
    deputy: Deputy,
) -> Case:
    """A citizen's case at a station, accepted by staff `days` ago with `deputy` responsible."""
    cat_code, title, text, place = CASE_TEXTS[n]
    station = next(s for s in ctx["all_stations"] if s.code == station_code)
    with story.at(days) as moment:
        case, _created = case_submit(
            station=station,
            title=title,
            text=text,
            category=CaseCategory.objects.filter(congress=station.congress, code=cat_code).first(),
            place=place,
            name=SURNAMES[n * 5 % len(SURNAMES)] + "先生",
            phone=f"137{rng.randint(10000000, 99999999)}",
            idempotency_key=f"demo-suggestion-{n}",
        )
        case = case_transition(
            case=case, actor=story.staff, action="accept", triage="general", deputy=deputy
        )
    CaseEvent.objects.filter(case=case, at__gt=moment).update(at=moment)
    return case


def suggestions_from_cases(
    story: Story, ctx: dict, congress: Congress, own: Deputy, other: Deputy
) -> None:
    """Two county suggestions formed from citizens' cases: one replied and closed (its cases
    answered with the reply's public part), one assigned to the transport bureau."""
    rng = random.Random(2026)
    housing, transport = (Department.objects.get(code=c) for c in ("qx-housing", "qx-transport"))
    cases = [
        _case(story, ctx, 0, 52, "cg-hub", rng, own),
        _case(story, ctx, 8, 50, "cg-sector-1", rng, own),
    ]
    leader, committee = KEY_LEADERS[2]
    tell(
        story,
        congress,
        own,
        45,
        [
            *handled(housing, 43, 40),
            ("mark_key", 39, {"leader": leader, "committee": committee}),
            ("contact", 30, {"method": "face"}),
            (
                "reply",
                6,
                {
                    "code": "A",
                    "text": "已完成幸福里小区路灯更换，纺织厂宿舍两部电梯已开工。",
                    "public_text": "幸福里小区路灯已全部更换；纺织厂宿舍加装电梯已开工，"
                    "预计三个月内完工。",
                },
            ),
            ("rate", 3, {"rating": "satisfied"}),
            ("close", 2, {}),
        ],
        cases=cases,
        title="关于城区老旧路灯和老旧小区设施更新改造的建议",
        text="群众反映幸福里小区路灯长期损坏、纺织厂宿舍缺少电梯，建议统筹实施城区老旧设施"
        "更新改造。",
        category="urban_rural",
    )
    case = _case(story, ctx, 1, 35, "hk-hub", rng, other)
    tell(
        story,
        congress,
        other,
        30,
        handled(transport, 28, 26),
        cases=[case],
        title="关于加密河口至县城公交班次的建议",
        text="河口到县城的公交一小时一班，早高峰挤不上车，建议高峰期加密班次。",
        category="transport",
    )
