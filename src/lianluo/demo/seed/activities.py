"""Activities: monthly themes, published activities with sign-ups, one held."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from lianluo.activities.models import Activity, MonthlyTheme
from lianluo.activities.services import (
    SuggestionDraft,
    activity_create,
    activity_publish,
    activity_record,
    month_start,
    signup_create,
    theme_set,
)
from lianluo.core.models import Role, RoleAssignment, User
from lianluo.demo.seed.base import demo_deputy_login, demo_today
from lianluo.deputies.models import Deputy

ACTIVITY_THEMES = [
    ("聚焦民生实事 倾听群众心声", "围绕年度民生实事项目，走访群众、收集意见建议。"),
    ("优化营商环境", "走访园区企业，了解用工、融资和审批中的难点。"),
    ("乡村振兴 产业兴旺", "调研特色种养殖和农产品销路。"),
    ("平安建设 基层治理", "关注矛盾纠纷化解和网格化管理。"),
]


def seed_activities(ctx: dict) -> None:
    """This month's theme at every township hub; at the 城关 hub a symposium open for sign-up
    (5 places, 2 taken), a training the demo deputy signed up for, a draft, and a research
    visit held ten days ago with its attendance, summary and a suggestion it produced; a
    published inspection at the 河口 hub. Built through the services, once."""
    if Activity.objects.exists():
        return
    today = demo_today(ctx)

    def at(days: int, hour: int, minute: int = 0) -> datetime:
        return timezone.make_aware(
            datetime.combine(today + timedelta(days=days), time(hour, minute))
        )

    hubs = [group[0] for group in ctx["stations"].values()]
    officers: dict[int, User] = {}
    for ra in (
        RoleAssignment.objects.filter(role=Role.LIAISON, station__in=hubs)
        .select_related("user")
        .order_by("id")
    ):
        if ra.station_id is not None:
            officers.setdefault(ra.station_id, ra.user)  # the first: the demo's own officer
    themes = {}
    for hub, (title, description) in zip(hubs, ACTIVITY_THEMES, strict=False):
        # Setting a theme replaces the month's: one a user set stays.
        themes[hub.pk] = MonthlyTheme.objects.filter(
            station=hub, month=month_start(today)
        ).first() or theme_set(
            actor=officers[hub.pk], station=hub, month=today, title=title, description=description
        )

    cg, liaison = ctx["cg_hub"], ctx["liaison"]
    members = list(Deputy.objects.filter(memberships__station=cg).order_by("code"))
    # The hub's other deputies get logins too (deputy-dep-025 …), so they sign up as a user would.
    others: list[User] = []  # their logins
    for d in members:
        login = demo_deputy_login(d)
        if d.pk != ctx["deputy"].pk and login is not None:
            others.append(login)

    symposium = activity_create(
        actor=liaison,
        station=cg,
        type="symposium",
        title="民生实事项目征集座谈会",
        place="城关镇政府大院一楼会议室",
        start=at(3, 14, 30),
        end=at(3, 16, 30),
        capacity=5,
        theme=themes.get(cg.pk),
        description="邀请辖区代表和群众代表座谈，征集明年民生实事候选项目。请带上走访中收集的意见。",
    )
    activity_publish(actor=liaison, activity=symposium)
    for user in others[:2]:
        signup_create(actor=user, activity=symposium)

    training = activity_create(
        actor=liaison,
        station=cg,
        type="training",
        title="代表履职能力培训：如何写好代表建议",
        place="县人大常委会机关三楼培训室",
        start=at(8, 9),
        end=at(8, 11, 30),
        description="县人大代表工委主讲，结合优秀建议案例。",
    )
    activity_publish(actor=liaison, activity=training)
    if ctx["deputy"].user is not None:
        signup_create(actor=ctx["deputy"].user, activity=training)

    activity_create(
        actor=liaison,
        station=cg,
        type="publicity",
        title="宪法宣传进社区",
        place="城关社区文化广场",
        start=at(20, 9),
        end=at(20, 11),
        capacity=10,
    )

    research = activity_create(
        actor=liaison,
        station=cg,
        type="research",
        title="老旧小区改造专题调研",
        place="纺织厂宿舍、幸福里小区",
        start=at(-10, 9),
        end=at(-10, 12),
        capacity=8,
        theme=themes.get(cg.pk),
    )
    activity_publish(actor=liaison, activity=research)
    ctx["research"] = research  # its suggestion is filed in seed_points
    activity_record(
        actor=liaison,
        activity=research,
        attended=members,
        summary="代表们实地查看了纺织厂宿舍和幸福里小区，听取了居民对加装电梯、雨污分流和停车难的"
        "意见，形成调研报告一份，并提出加装电梯资金补助的建议。",
        new_suggestions=[
            SuggestionDraft(
                title="关于加大老旧小区加装电梯补助力度的建议",
                text="建议县财政对老旧小区加装电梯给予每台不低于15万元的补助，并简化审批流程。",
                deputy=members[0] if members else None,
            )
        ],
    )

    hk = ctx["stations"][ctx["townships"][1].code][0]
    inspection = activity_create(
        actor=officers[hk.pk],
        station=hk,
        type="inspection",
        title="河口镇农村公路养护视察",
        place="河口镇汽车站集合",
        start=at(5, 8, 30),
        end=at(5, 12),
        capacity=12,
        theme=themes.get(hk.pk),
    )
    activity_publish(actor=officers[hk.pk], activity=inspection)
