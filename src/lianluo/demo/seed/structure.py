"""The county's structure: areas, congresses (each with the default categories and decline
reasons), departments, the "1+5" stations of each township, 64 deputies over all five levels,
the demo logins and one officer per station; then the reception schedule."""

from __future__ import annotations

import random
from datetime import date

from django.db import transaction
from django.utils import timezone

from lianluo.core.models import Area, Congress, Department, Role
from lianluo.demo.seed.base import SURNAMES, demo_grant, demo_user
from lianluo.demo.seed.reception import seed_reception
from lianluo.deputies.models import Deputy, Mandate
from lianluo.stations.models import Station, StationMembership

GIVEN = [
    "建国",
    "秀英",
    "桂兰",
    "志强",
    "海燕",
    "红梅",
    "国平",
    "丽华",
    "春生",
    "德明",
    "淑芬",
    "永红",
    "玉兰",
    "新华",
    "卫东",
    "晓燕",
    "立新",
    "金凤",
    "振华",
    "雪梅",
    "文杰",
    "美玲",
    "建军",
    "小红",
    "国庆",
    "云霞",
    "明亮",
    "秋菊",
    "长青",
    "慧敏",
    "宏伟",
    "彩霞",
    "学军",
    "爱华",
    "子豪",
    "静怡",
    "思远",
    "欣怡",
    "浩然",
    "雨涵",
]  # noqa: E501

TOWNSHIPS = [
    ("430399100000", "城关镇", "Chengguan Town"),
    ("430399101000", "河口镇", "Hekou Town"),
    ("430399102000", "石桥乡", "Shiqiao Township"),
    ("430399103000", "白云镇", "Baiyun Town"),
]
DEPARTMENTS = [
    ("qx-housing", "青溪县住房和城乡建设局", "County Housing and Construction Bureau"),
    ("qx-transport", "青溪县交通运输局", "County Transport Bureau"),
    ("qx-hrss", "青溪县人力资源和社会保障局", "County Human Resources and Social Security Bureau"),
    ("qx-agri", "青溪县农业农村局", "County Agriculture and Rural Affairs Bureau"),
]


def _area(code: str, name: str, name_en: str, level: str, parent: Area | None) -> Area:
    return Area.objects.get_or_create(
        code=code, defaults={"name": name, "name_en": name_en, "level": level, "parent": parent}
    )[0]


def _congress(area: Area, name: str) -> Congress:
    return Congress.objects.get_or_create(area=area, defaults={"name": name})[0]


@transaction.atomic
def seed_structure(rng: random.Random, *, today: date | None = None) -> dict:
    """The county's structure, each row created when its natural key (code, username, …) is
    missing and otherwise left as a user made it; then the reception schedule (see
    `seed_reception`). `today` is the date the demo is built around (default: the clock's)."""
    today = today or timezone.localdate()
    province = _area("430000000000", "湖南省", "Hunan Province", "province", None)
    city = _area("430300000000", "湘潭市", "Xiangtan City", "city", province)
    county = _area("430399000000", "青溪县", "Qingxi County", "county", city)
    congresses = {a.code: _congress(a, f"{a.name}人民代表大会") for a in (province, city, county)}
    townships = []
    for code, name, name_en in TOWNSHIPS:
        t = _area(code, name, name_en, "township", county)
        for i, village in enumerate(["社区", "村"]):
            _area(f"{code[:9]}{200 + i:03d}", f"{name[:2]}{village}", "", "village", t)
        congresses[code] = _congress(t, f"{name}人民代表大会")
        townships.append(t)
    # Each congress got the default categories and decline reasons when it was created
    # (cases.services.catalogs): the demo uses those, as a real county does.
    departments = [
        Department.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "area": county}
        )[0]
        for code, name, name_en in DEPARTMENTS
    ]
    county_congress = congresses[county.code]

    # Stations: a county hub, and per township the "1+5": hub, 2 sector, 1 industry, 2 contact.
    county_hub, _ = Station.objects.get_or_create(
        code="qx-hub",
        defaults={
            "name": "青溪县人大代表联络总站",
            "kind": "hub",
            "area": county,
            "congress": county_congress,
            "address": "青溪县人民路1号",
            "hours": "工作日 8:30–17:30",
            "feature": "数字总站：全县代表联络站统一受理、交办、督办。",
        },
    )
    stations: dict[str, list[Station]] = {}
    letters = ["cg", "hk", "sq", "by"]
    for t, prefix in zip(townships, letters, strict=True):
        short = t.name[:2]
        tc = congresses[t.code]
        hub, _ = Station.objects.get_or_create(
            code=f"{prefix}-hub",
            defaults={
                "name": f"{t.name}人大代表联络总站",
                "kind": "hub",
                "area": t,
                "congress": tc,
                "parent": county_hub,
                "address": f"{t.name}政府大院一楼",
                "hours": "每月逢6日 9:00–12:00",
                "feature": f"{short}“1+5”联络站体系的中心站。",
            },
        )
        # 城关 has one chain 站—室—家: its studio under its east sector station, its home under
        # the studio (lianluo.stations.hierarchy); the other townships' are contact points.
        chain = prefix == "cg"
        subs = [
            ("sector-1", "sector", f"{short}东片区联络站", ""),
            ("sector-2", "sector", f"{short}西片区联络站", ""),
            ("industry", "industry", f"{short}经济发展行业联络站", ""),
            ("contact-1", "studio" if chain else "contact", f"{short}社区代表工作室", "sector-1"),
            ("contact-2", "home" if chain else "contact", f"{short}村代表之家", "contact-1"),
        ]
        group = [hub]
        for suffix, kind, name, under in subs:
            parent = next((g for g in group if chain and g.code == f"{prefix}-{under}"), hub)
            s, _ = Station.objects.get_or_create(
                code=f"{prefix}-{suffix}",
                defaults={
                    "name": name,
                    "kind": kind,
                    "area": t,
                    "congress": tc,
                    "parent": parent,
                    "address": f"{t.name}{name[-5:]}",
                    "hours": "每周三 9:00–11:30",
                },
            )
            group.append(s)
        stations[t.code] = group

    # Deputies: 64 people; county and township mandates, a few city/provincial/national.
    deputies: list[Deputy] = []
    all_stations = [s for group in stations.values() for s in group]
    industries = ["农业", "制造业", "教育", "医疗卫生", "商贸", "建筑", "社区工作", "交通运输"]
    for i in range(64):
        code = f"dep-{i + 1:03d}"
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)]
        # Drawn on every run, so that the random sequence (and all that follows) stays the same.
        phone = f"139{rng.randint(10000000, 99999999)}"
        d, created = Deputy.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "gender": "f" if i % 3 == 0 else "m",
                "industry": industries[i % len(industries)],
                "is_official": i % 5 == 0,
                "phone": phone,
            },
        )
        deputies.append(d)
        if not created:
            continue  # its mandates, home station and grid are as the user left them
        t = townships[i % len(townships)]
        home = stations[t.code][(i // len(townships)) % 6]
        levels: list[tuple[str, Area | None]]
        if i < 1:
            levels = [("national", None), ("county", county)]
        elif i < 4:
            levels = [("provincial", province), ("county", county)]
        elif i < 10:
            levels = [("city", city)]
        elif i < 34:
            levels = [("county", county), *([("township", t)] if i % 4 == 0 else [])]
        else:
            levels = [("township", t)]
        for level, area in levels:
            congress = (
                congresses[(area or province).code]
                if level != "national"
                else congresses[province.code]
            )  # noqa: E501
            Mandate.objects.get_or_create(
                deputy=d,
                congress=congress,
                term=14 if level != "township" else 19,
                defaults={"level": level, "constituency": f"{t.name}选区", "active": True},
            )
        StationMembership.objects.create(station=home, deputy=d, primary=True)
        d.grid_area = t.children.first()
        d.save(update_fields=["grid_area"])

    # Users. The named demo logins, then one officer per remaining station.
    demo_user("admin", "系统管理员", superuser=True)
    staff = demo_user("staff", "县人大代表工委 刘明")
    demo_grant(staff, Role.STAFF, area=county)
    cg_hub = stations[townships[0].code][0]
    hk_hub = stations[townships[1].code][0]
    liaison = demo_user("liaison", "城关联络员 周敏")
    demo_grant(liaison, Role.LIAISON, station=cg_hub)
    other = demo_user("other", "河口联络员 孙磊")
    demo_grant(other, Role.LIAISON, station=hk_hub)
    dept = demo_user("dept", "县住建局 承办员 吴芳")
    demo_grant(dept, Role.DEPARTMENT, department=departments[0])
    # More department handlers, so that suggestions are handled by several departments.
    dept2 = demo_user("dept2", "县交通运输局 承办员 马骏")
    demo_grant(dept2, Role.DEPARTMENT, department=departments[1])
    dept3 = demo_user("dept3", "县农业农村局 承办员 邓丽")
    demo_grant(dept3, Role.DEPARTMENT, department=departments[3])
    leader = demo_user("leader", "县人大常委会 领导")
    demo_grant(leader, Role.LEADER, area=county)
    deputy = _demo_deputy(deputies, cg_hub)
    if deputy.user is not None:
        deputy_user = deputy.user
    else:
        deputy_user = demo_user("deputy", f"代表 {deputy.name}")
        deputy.user = deputy_user
        deputy.save(update_fields=["user"])
    demo_grant(deputy_user, Role.DEPUTY, deputy=deputy)
    for s in all_stations + [county_hub]:
        if s in (cg_hub, hk_hub):
            continue
        u = demo_user(f"officer-{s.code}", f"{s.name} 联络员")
        demo_grant(u, Role.LIAISON, station=s)

    # Reception rules, holidays, the next 30 days generated and published, a past record.
    seed_reception(
        stations=stations,
        county_congress=county_congress,
        departments=departments,
        actor=staff,
        today=today,
    )
    return {
        "today": today,
        "county": county,
        "county_congress": county_congress,
        "stations": stations,
        "deputies": deputies,
        "departments": departments,
        "staff": staff,
        "liaison": liaison,
        "deputy": deputy,
        "dept": dept,
        "cg_hub": cg_hub,
        "townships": townships,
        "all_stations": all_stations,
    }


def _demo_deputy(deputies: list[Deputy], cg_hub: Station) -> Deputy:
    """The deputy behind the `deputy` login: the one it is linked to, else the first deputy of
    the 城关 hub without a login (else of any station), to be linked to it. A deputy who has
    a login of their own is never taken over."""
    linked = Deputy.objects.filter(user__username="deputy").first()
    if linked is not None:
        return linked
    free = [d for d in deputies if d.user_id is None]
    return next((d for d in free if cg_hub in d.stations.all()), None) or (
        free[0] if free else deputies[0]
    )
