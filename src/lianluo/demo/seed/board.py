"""The board: published rankings with an open objection window, families, targets, votes."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from lianluo.board.families import family_create, family_pair, support_record_add
from lianluo.board.publications import objection_file, publication_publish
from lianluo.board.station_of_year import vote_cast
from lianluo.board.targets import campaign_save, target_sets_install_default
from lianluo.cases.models import Case
from lianluo.core.errors import DomainError
from lianluo.demo.seed.base import demo_today
from lianluo.deputies.models import Deputy
from lianluo.duty.models import Campaign, Family, PointEntry, Publication, TargetSet
from lianluo.voting.models import Kind, Voter


def seed_board(ctx: dict) -> None:
    """Each part once: published rankings, families, targets and campaigns, votes."""
    _seed_board_publications(ctx)
    _seed_board_families(ctx)
    _seed_board_targets(ctx)
    _seed_board_votes(ctx)


def _seed_board_publications(ctx: dict) -> None:
    """The county congress's ranking (published by staff) and the 城关 hub's (by its
    officer) for this year so far, both with the objection window open for 7 more days, and one
    objection filed by the demo deputy."""
    if Publication.objects.exists():
        return
    today = demo_today(ctx)
    start = today.replace(month=1, day=1)
    window: dict[str, Any] = {
        "period_start": start,
        "period_end": today,
        "visible_days": 15,
        "objection_days": 7,
    }
    county, cg_hub = ctx["county_congress"], ctx["cg_hub"]
    title = "{}代表" + f"{today.year}年度履职积分公示"
    publication_publish(
        actor=ctx["staff"], congress=county, title=title.format(county.name), **window
    )
    hub = publication_publish(
        actor=ctx["liaison"], station=cg_hub, title=title.format(cg_hub.name), **window
    )
    deputy = ctx["deputy"]
    entry = (
        PointEntry.objects.filter(deputy=deputy, status="approved", occurred_on__gte=start)
        .order_by("-occurred_on")
        .first()
    )
    if deputy.user is None:
        return
    objection_file(
        actor=deputy.user,
        publication=hub,
        entry=entry,
        text="这条积分的日期登记有误，请核实更正。",
    )


def _seed_board_families(ctx: dict) -> None:
    """Two families of 城关 paired with deputies, with visits and support in money and kind."""
    if Family.objects.exists():
        return
    today = demo_today(ctx)
    liaison, deputy = ctx["liaison"], ctx["deputy"]
    villages = list(ctx["townships"][0].children.order_by("code"))
    other = (
        Deputy.objects.filter(memberships__station=ctx["cg_hub"])
        .exclude(pk=deputy.pk)
        .order_by("code")
        .first()
    )
    plans = [
        (
            "张某某家",
            3,
            "户主因病失去劳动能力，子女在读",
            "13807321234",
            "每月走访；协助申请医疗救助和助学金",
        ),
        ("李某某家", 2, "独居老人与孙子同住，房屋漏雨", "13907325678", "协调危房改造；节日慰问"),
    ]
    for n, (label, members, situation, phone, plan) in enumerate(plans):
        family = family_create(
            actor=liaison,
            area=villages[n % len(villages)],
            label=label,
            members=members,
            situation=situation,
            contact_phone=phone,
            plan=plan,
        )
        paired = deputy if n == 0 or other is None else other
        family_pair(
            actor=liaison, family=family, deputy=paired, start=today.replace(month=1, day=1)
        )
        records = [
            (40, "visit", 0, "入户走访，了解就医情况"),
            (25, "money", 2000, "送去慰问金"),
            (10, "in_kind", 680, "米、油、棉被"),
        ]
        for days, kind, value, note in records[: 3 - n]:
            support_record_add(
                actor=liaison,
                family=family,
                deputy=paired,
                on=max(today.replace(month=1, day=1), today - timedelta(days=days)),
                kind=kind,
                value_yuan=Decimal(value),
                note=note,
            )


def _seed_board_targets(ctx: dict) -> None:
    """The default 五个一 target sets of this year for the county and every township congress,
    and the campaign 我爱湘潭我的家 人大代表献力量 over the county's deputies."""
    today = demo_today(ctx)
    staff = ctx["staff"]
    county = ctx["county_congress"]
    # Installed where the year has no target set yet (names are not unique in the database:
    # the service's get_or_create would fail on a set a user copied under the same name).
    for congress in [county, *(t.congress for t in ctx["townships"])]:
        if not TargetSet.objects.filter(congress=congress, year=today.year).exists():
            target_sets_install_default(actor=staff, congress=congress, year=today.year)
    sets = list(TargetSet.objects.filter(congress=county, year=today.year).order_by("pk"))
    if sets and not Campaign.objects.exists():
        campaign_save(
            actor=staff,
            name="我爱湘潭我的家 人大代表献力量",
            start=today.replace(month=1, day=1),
            end=today.replace(month=12, day=31),
            congresses=[county, ctx["cg_hub"].congress],
            target_set=sets[0],
        )


def _seed_board_votes(ctx: dict) -> None:
    """A few station-of-the-year votes: the demo deputy's, and citizens' with the tracking codes
    of their cases (one vote per phone); the result is not published, so voting stays open."""
    if Voter.objects.filter(vote__kind=Kind.STATION_YEAR).exists():
        return
    vote_cast(station=ctx["cg_hub"], user=ctx["deputy"].user)
    for case in Case.objects.exclude(station=None).select_related("station").order_by("pk")[:8]:
        if case.station is None:
            continue
        try:
            vote_cast(station=case.station, tracking_code=case.tracking_code)
        except DomainError:
            continue  # the same phone already voted
