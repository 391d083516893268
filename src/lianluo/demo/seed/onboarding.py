"""Onboarding: deputies' particulars, deputy groups, the 七有 checklist, station masters and
the demo roster file."""

from __future__ import annotations

import random
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from lianluo.core.models import Congress
from lianluo.demo.seed.base import DEMO_DEPUTY_CODES, demo_today
from lianluo.deputies.models import Deputy, DeputyGroup
from lianluo.onboarding.selectors import master_candidates
from lianluo.onboarding.services import (
    checklist_update,
    master_rotation_generate,
    master_set_fixed,
)
from lianluo.stations.models import ChecklistItem, Station, StationChecklist, StationMaster

ETHNICITIES = ["汉族"] * 8 + ["土家族", "苗族"]
PARTIES = ["中共党员", "中共党员", "中共党员", "群众", "群众", "民盟盟员", "九三学社社员"]
OCCUPATIONS = {
    "农业": ("种植专业合作社理事长", "农业技术,乡村振兴"),
    "制造业": ("机械厂车间主任", "安全生产,企业用工"),
    "教育": ("小学教师", "义务教育,未成年人保护"),
    "医疗卫生": ("乡镇卫生院医生", "基层医疗,养老服务"),
    "商贸": ("超市经营者", "营商环境,市场监管"),
    "建筑": ("建筑公司项目经理", "城乡建设,质量安全"),
    "社区工作": ("社区居委会主任", "基层治理,矛盾调解"),
    "交通运输": ("客运公司驾驶员", "道路交通,公共出行"),
}
CHECKLIST_NOTES = {
    "place": "独立办公用房约60平方米",
    "facilities": "桌椅、电脑、投影仪齐全",
    "notice": "公示栏设在一楼大厅",
    "rules": "接待、学习、活动制度上墙",
    "ledgers": "接待台账、活动台账按月归档",
    "funding": "县财政按每站每年2万元保障",
    "staff": "乡镇人大专职副主席兼任联络员",
}


def seed_onboarding(ctx: dict, *, roster_file: bool = False) -> None:
    """Fill in what station set-up adds: deputies' particulars (ethnicity, birth year, party,
    occupation, specialties) where blank, a deputy group per township, the 七有 checklist of
    every station (most items in place, a few missing) and a fixed master and a six-month
    rotation at each hub station. Checklist and masters go through the services, once.
    With `roster_file`, also write var/demo-roster.xlsx when it is not there yet: the county's
    roster as the staff exports it, ready to import back (every row an update)."""
    rng = random.Random(7)
    # Particulars are filled in where blank on the demo's own deputies, never on a user's.
    blank = Deputy.objects.filter(code__in=DEMO_DEPUTY_CODES, birth_year__isnull=True)
    for i, d in enumerate(blank.order_by("code")):
        occupation, tags = OCCUPATIONS.get(d.industry, ("", ""))
        Deputy.objects.filter(pk=d.pk).update(
            ethnicity=d.ethnicity or ETHNICITIES[i % len(ETHNICITIES)],
            birth_year=1962 + (i * 7) % 30,
            party=d.party or PARTIES[i % len(PARTIES)],
            occupation=d.occupation or occupation,
            specialties=d.specialties or tags,
        )
    for township in ctx["townships"]:
        group, created = DeputyGroup.objects.get_or_create(
            congress=Congress.objects.get(area=township), name=f"{township.name[:2]}代表小组"
        )
        if not created:
            continue  # its members and leader are as the user left them
        members = Deputy.objects.filter(
            code__in=DEMO_DEPUTY_CODES,
            memberships__primary=True,
            memberships__station__area=township,
            group__isnull=True,
        )
        members.update(group=group)
        group.leader = Deputy.objects.filter(group=group).order_by("code").first()
        group.save(update_fields=["leader"])

    staff = ctx["staff"]
    stations = [Station.objects.get(code="qx-hub"), *ctx["all_stations"]]
    if not StationChecklist.objects.exists():
        for n, station in enumerate(stations):
            for item in ChecklistItem.values:
                # Hubs have everything; every third small station still lacks funding or staff.
                missing = station.kind != "hub" and (
                    (n % 3 == 0 and item in ("funding", "staff")) or rng.random() < 0.08
                )
                checklist_update(
                    station=station,
                    item=item,
                    done=not missing,
                    note="" if missing else CHECKLIST_NOTES[item],
                    actor=staff,
                )
    if not StationMaster.objects.exists():
        today = demo_today(ctx)
        for hub in [s for s in stations if s.kind == "hub"]:
            candidates = master_candidates(station=hub)
            if not candidates:
                continue
            master_set_fixed(
                station=hub, deputy=candidates[0], start=today.replace(day=1), actor=staff
            )
            master_rotation_generate(
                station=hub,
                deputies=candidates[1:4] or candidates[:1],
                start=today.replace(day=1),
                months=6,
                actor=staff,
            )
    roster = Path(settings.DATA_DIR) / "demo-roster.xlsx"
    if roster_file and not roster.exists():  # a roster someone is editing is theirs
        call_command("export_demo_roster", user=staff.username, output=str(roster))
