"""Points: the catalog, credits from the demo's own events, registered and reported records."""

from __future__ import annotations

import io
from datetime import date, timedelta

from PIL import Image, ImageDraw

from lianluo.activities.models import Activity
from lianluo.board.replay import points_replay
from lianluo.core.models import Congress, Role, RoleAssignment
from lianluo.demo.seed.base import demo_today
from lianluo.deputies.models import Deputy
from lianluo.duty.models import DutyItem, EntrySource, PointEntry
from lianluo.duty.services import (
    EvidenceFile,
    catalog_install_default,
    points_register,
    points_reverse,
    points_self_report,
    points_verify,
)
from lianluo.stations.models import Station
from lianluo.suggestions.services import suggestion_file

POINT_NOTES = {
    "publicity": "在村民小组会上宣讲新修订的村民委员会组织法",
    "visit": "走访联系选民8户，收集道路和饮水方面的意见",
    "family": "走访结对帮扶家庭，了解就医和子女上学困难",
    "idea": "建议在赶集日设流动接待点，方便群众就近反映问题",
    "research_report": "撰写《关于农村公路养护的调研报告》",
    "research": "参加县人大常委会农村饮水安全专题调研",
    "inspection": "参加县人大常委会义务教育工作视察",
    "law_enforcement": "参加食品安全法执法检查",
    "training": "参加县人大代表履职能力培训班",
    "meeting": "列席县人大常委会第二十次会议",
    "session": "出席县人民代表大会第四次会议",
    "group": "参加代表小组学习活动",
    "review": "参加对县交通运输局的工作评议",
    "mediation": "调解邻里宅基地纠纷一起",
}


def _demo_evidence() -> EvidenceFile:
    """A small photo made on the spot (demo evidence: a sign-in sheet)."""
    img = Image.new("RGB", (480, 320), (250, 246, 240))
    draw = ImageDraw.Draw(img)
    draw.rectangle([20, 20, 460, 300], outline=(179, 38, 30), width=4)
    for y in range(70, 290, 30):
        draw.line([40, y, 440, y], fill=(200, 200, 200), width=2)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return EvidenceFile(content=buf.getvalue(), extension="png")


def seed_points(ctx: dict) -> None:
    """The default catalog (27 items) for this year at the county's and every township's
    congress; points credited from the demo's own events through the same crediting as the
    live hooks (reception records, activity attendance, cases answered or closed out by their
    responsible deputy, and the research visit's suggestion, filed here); then,
    once, one or two records registered by the officer of every deputy's station (some with a
    photo as evidence), self-reports of the demo deputy (one approved, one pending), a rejected
    one and a correction, so every deputy's archive shows something."""
    today = demo_today(ctx)
    year = today.year
    staff = ctx["staff"]
    stations = [Station.objects.get(code="qx-hub"), *ctx["all_stations"]]
    for congress in Congress.objects.filter(stations__in=stations).distinct():
        # A year's catalog is installed where that year has none: items a congress removed,
        # renamed or added since are its own.
        if not DutyItem.objects.filter(congress=congress, year=year).exists():
            catalog_install_default(congress=congress, year=year, actor=staff)
    # The research visit's suggestion is filed (the converted cases' drafts stay drafts), when
    # the seed has just held it: a user's drafts are theirs to file.
    research: Activity | None = ctx.get("research")
    if research is not None:
        for draft in research.suggestions.filter(
            status="draft", deputy__user__isnull=False
        ).select_related("deputy__user"):
            # Filed by its deputy: a draft is its authors' alone (staff get a 404 for it).
            suggestion_file(actor=draft.deputy.user, suggestion=draft)  # type: ignore[union-attr,arg-type]
    points_replay(year=year)
    if PointEntry.objects.exclude(source=EntrySource.AUTO).exists():
        return

    def day(n: int) -> date:
        return max(date(year, 1, 1), today - timedelta(days=n))

    officers = {
        ra.station_id: ra.user
        for ra in RoleAssignment.objects.filter(role=Role.LIAISON).select_related("user")
    }
    evidence = _demo_evidence()
    deputies = Deputy.objects.order_by("code").prefetch_related("memberships__station")
    for i, deputy in enumerate(deputies):
        membership = next((m for m in deputy.memberships.all() if m.primary), None)
        if membership is None:
            continue
        station = membership.station
        officer = officers.get(station.pk, staff)
        items = list(
            DutyItem.objects.filter(congress_id=station.congress_id, year=year, auto_event="")
            .exclude(code__in=["key_suggestion", "project_vote", "charity", "honour", "media"])
            .order_by("order")
        )
        if not items:
            continue
        picks = [items[i % len(items)]] + ([items[(i * 3 + 5) % len(items)]] if i % 2 else [])
        for n, item in enumerate(picks):
            if PointEntry.objects.filter(deputy=deputy, item=item).exists():
                continue
            points_register(
                actor=officer,
                deputy=deputy,
                item=item,
                occurred_on=day(10 + (i * 7 + n * 13) % 200),
                note=POINT_NOTES.get(item.code, item.name),
                evidence=evidence if item.evidence_required else None,
            )

    demo_deputy = ctx["deputy"]
    liaison = ctx["liaison"]
    catalog = {
        i.code: i
        for i in DutyItem.objects.filter(
            congress_id=ctx["cg_hub"].congress_id, year=year, auto_event=""
        )
    }
    if demo_deputy.user is None or not {"visit", "idea", "training", "meeting"} <= set(catalog):
        return  # the 城关 catalog or the demo login was changed: its records are not the demo's
    approved = points_self_report(
        actor=demo_deputy.user,
        item=catalog["visit"],
        occurred_on=day(20),
        note="走访城关社区独居老人5户，反映的用水问题已转交社区",
        evidence=evidence,
    )
    points_verify(actor=liaison, entry=approved, approve=True, reason="走访记录和照片齐全")
    points_self_report(
        actor=demo_deputy.user,
        item=catalog["idea"],
        occurred_on=day(3),
        note="建议在城关农贸市场设置代表意见箱，每周由值班代表开箱",
        evidence=evidence,
    )
    other = (
        Deputy.objects.filter(memberships__station=ctx["cg_hub"], user__isnull=False)
        .exclude(pk=demo_deputy.pk)
        .order_by("code")
        .first()
    )
    if other is not None:
        rejected = points_self_report(
            actor=other.user,  # type: ignore[arg-type]
            item=catalog["training"],
            occurred_on=day(30),
            note="参加镇里组织的业务学习",
        )
        points_verify(
            actor=liaison,
            entry=rejected,
            approve=False,
            reason="该次学习为机关内部会议，不属于代表履职培训",
        )
    duplicate = points_register(
        actor=liaison,
        deputy=demo_deputy,
        item=catalog["meeting"],
        occurred_on=day(40),
        note="列席镇人大主席团会议",
    )
    points_reverse(actor=liaison, entry=duplicate, reason="登记错误：该代表当天请假，未列席会议")
