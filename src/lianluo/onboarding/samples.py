"""Example rows of the past years' sheets, made from the viewer's own stations and deputies: the
template's example row imports as it stands, and `export_past_years_sample` writes a ledger of
a whole year for the demo (reads only)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from lianluo.core.models import User
from lianluo.onboarding.models import ImportKind
from lianluo.onboarding.selectors import export_reference
from lianluo.onboarding.sheets import vocab_label
from lianluo.stations.models import Station, StationMembership

# Matters as county ledgers record them: (category, matter, place, answer).
MATTERS = [
    ("城乡建设", "小区门口路灯损坏，夜间出行不便", "城关镇建设路", "已协调县城管局更换路灯"),
    (
        "交通出行",
        "学校门口上下学时段交通拥堵，建议增设护学岗",
        "城关镇第一小学",
        "交警大队已增设护学岗",
    ),
    ("社会保障", "咨询城乡居民养老保险缴费档次", "", "已当面解释缴费政策并发放资料"),
    ("农业农村", "村道雨后积水严重，影响农产品运输", "河口村三组", "镇政府已安排硬化排水沟"),
    (
        "医疗卫生",
        "村卫生室药品种类少，常用药经常缺货",
        "石桥村卫生室",
        "县卫健局已调整药品配送计划",
    ),
    ("生态环境", "河道有人倾倒建筑垃圾", "清水河桥下", "已转县生态环境局查处并清理"),
    ("教育", "希望增加学校课后托管服务时长", "", "县教育局已在试点学校延长托管"),
    ("营商环境", "个体工商户办理营业执照流程复杂", "县政务服务中心", "已推行一窗通办"),
]
NAMES = ["张某", "李某某", "王女士", "刘先生", "陈某", "杨某", "赵女士", "黄先生", ""]


def _stations(viewer: User) -> list[Station]:
    codes = [code for code, _name in export_reference(viewer=viewer).stations]
    return list(Station.objects.filter(code__in=codes, active=True).order_by("code")[:50])


def _members(stations: list[Station]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    rows = StationMembership.objects.filter(station__in=stations).select_related("deputy")
    for m in rows.order_by("deputy__code"):
        names.setdefault(m.station_id, []).append(m.deputy.name)
    return names


def past_sample_rows(
    *, viewer: User, kind: str, count: int = 1, year: int | None = None, seed: int = 2023
) -> list[dict[str, str]]:
    """`count` rows of the kind for the viewer's stations in `year` (default: last year), in
    the language of the page; the first is the template's example."""
    stations = _stations(viewer)
    if not stations:
        return []
    members = _members(stations)
    year = year or timezone.localdate().year - 1
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    count = min(count, 300)  # a year's sample; also bounds the search for free days below
    used: set[tuple[int, date]] = set()  # one reception a day per station
    for i in range(count):
        station = stations[0] if i == 0 else rng.choice(stations)
        deputies = members.get(station.pk, [])
        day = date(year, 3, 15)
        while i and (day == date(year, 3, 15) or (station.pk, day) in used):
            day = date(year, 1, 1) + timedelta(days=rng.randrange(360))
        used.add((station.pk, day))
        if kind == ImportKind.RECEPTIONS:
            rows.append(_reception(station, day, deputies, rng, first=i == 0))
        else:
            rows.append(_case(station, day, deputies, rng, first=i == 0))
    return rows


def _case(
    station: Station, day: date, deputies: list[str], rng: random.Random, *, first: bool
) -> dict[str, str]:
    category, matter, place, answer = MATTERS[0] if first else rng.choice(MATTERS)
    status = "closed" if first or rng.random() < 0.8 else rng.choice(["open", "declined"])
    # Closed within 40 days, but never after today (a ledger records no future: early in
    # January, last December's cases are still open or closed by now).
    closed = min(day + timedelta(days=14 if first else rng.randrange(0, 40)), timezone.localdate())
    rating = "satisfied" if first else rng.choice(["satisfied"] * 6 + ["basically_satisfied", ""])
    channel = "reception" if first else rng.choice(["reception"] * 3 + ["station_qr", "visit"])
    return {
        "date": day.isoformat(),
        "station": station.code,
        "channel": vocab_label("channel", channel),
        "name": NAMES[0] if first else rng.choice(NAMES),
        "phone": "",
        "text": matter,
        "category": category,
        "place": place,
        "answer": answer if status != "open" else "",
        "status": vocab_label("case_status", status),
        "closed": closed.isoformat() if status != "open" else "",
        "rating": vocab_label("rating", rating) if rating and status == "closed" else "",
        "deputy": deputies[0] if deputies and (first or rng.random() < 0.6) else "",
    }


def _reception(
    station: Station, day: date, deputies: list[str], rng: random.Random, *, first: bool
) -> dict[str, str]:
    citizens = 12 if first else rng.randrange(3, 30)
    present = deputies[:2] if first else rng.sample(deputies, min(len(deputies), 2))
    return {
        "date": day.isoformat(),
        "station": station.code,
        "start": "9:00",
        "end": "12:00",
        "citizens": str(citizens),
        "deputies": "、".join(present),
        "summary": f"接待群众{citizens}人次，收集意见建议{max(citizens // 3, 1)}条",
    }
