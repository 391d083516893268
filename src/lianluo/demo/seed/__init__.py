"""Demo data: one fictional county with its congress, townships in the "1+5" station shape,
60+ deputies over all five levels, departments, staff, and cases in every state.

Everything after the structure is built through the services, as a user would. Fictional
people, realistic structure. Used by `make demo` and by the browser tests.
"""

from __future__ import annotations

import random
from datetime import date, time, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lianluo.cases.models import Case, CaseEvent, Category, DeclineReason
from lianluo.cases.services import case_submit, case_transition
from lianluo.core.models import Area, Congress, Department, Role, RoleAssignment, User
from lianluo.deputies.models import Deputy, Mandate
from lianluo.stations.models import ReceptionDay, Station, StationMembership

DEMO_PASSWORD = "lianluo-demo"
DEMO_DEPUTY_CODES = [f"dep-{n:03d}" for n in range(1, 65)]

SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"  # noqa: E501
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
CATEGORIES = [
    ("urban", "城乡建设", "Urban and rural construction"),
    ("transport", "交通出行", "Transport"),
    ("education", "教育", "Education"),
    ("health", "医疗卫生", "Health"),
    ("social", "社会保障", "Social security"),
    ("agriculture", "农业农村", "Agriculture and villages"),
    ("environment", "生态环境", "Environment"),
    ("governance", "社会治理", "Community governance"),
    ("other", "其他", "Other"),
]
DECLINE_REASONS = [
    (
        "litigation",
        "涉法涉诉",
        "Matter in litigation",
        "该事项涉及诉讼、行政复议或仲裁，请依法向人民法院、复议机关或仲裁机构等有权机关提出。",
        "This matter is in litigation, administrative review or arbitration: please take it to "
        "the court, review body or arbitration commission that is competent.",
    ),
    (
        "petition",
        "信访事项",
        "Petition",
        "该事项属于信访事项，请向县信访局（人民来访接待中心）反映。",
        "This is a petition: please bring it to the county petition office.",
    ),
    (
        "out_of_scope",
        "不属于人大工作职责",
        "Not a matter for the congress",
        "该事项不属于人大代表联络站受理范围，请向相关主管部门反映。",
        "This is outside what the liaison station handles: please contact the competent "
        "department.",
    ),
    (
        "duplicate",
        "重复反映",
        "Already reported",
        "该问题已有他人反映并正在办理，您可以在原事项上关注进展。",
        "Someone already reported this and it is being handled.",
    ),
    (
        "insufficient",
        "信息不全",
        "Not enough information",
        "所反映情况不够具体，无法核实，欢迎补充后重新提交。",
        "We could not verify the report as given; please add details and submit again.",
    ),
]
DEPARTMENTS = [
    ("qx-housing", "青溪县住房和城乡建设局", "County Housing and Construction Bureau"),
    ("qx-transport", "青溪县交通运输局", "County Transport Bureau"),
    ("qx-hrss", "青溪县人力资源和社会保障局", "County Human Resources and Social Security Bureau"),
    ("qx-agri", "青溪县农业农村局", "County Agriculture and Rural Affairs Bureau"),
]
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


def _area(code: str, name: str, name_en: str, level: str, parent: Area | None) -> Area:
    return Area.objects.get_or_create(
        code=code, defaults={"name": name, "name_en": name_en, "level": level, "parent": parent}
    )[0]


def _congress(area: Area, name: str) -> Congress:
    return Congress.objects.get_or_create(area=area, defaults={"name": name})[0]


def _user(username: str, display: str, *, superuser: bool = False) -> User:
    """The demo login `username`, created with the public demo password when it is missing. A
    login that exists is left exactly as it is: its password, name and rights are its owner's
    (a re-run never resets a password someone changed)."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, display_name=display)
        user.is_superuser = user.is_staff = superuser
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _grant(user: User, role: str, **binding: object) -> None:
    """Give `user` the role unless it has it already. Role assignments are not unique in the
    database (an admin may grant the same one twice), so this never .get()s one."""
    if not RoleAssignment.objects.filter(user=user, role=role, **binding).exists():
        RoleAssignment.objects.create(user=user, role=role, **binding)


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
    # The county-wide lists have no congress: NULL is not unique in the database, so these
    # are looked up with exists(), never get().
    for code, name, name_en in CATEGORIES:
        if not Category.objects.filter(congress=None, code=code).exists():
            Category.objects.create(congress=None, code=code, name=name, name_en=name_en)
    for code, name, name_en, guidance, guidance_en in DECLINE_REASONS:
        if not DeclineReason.objects.filter(congress=None, code=code).exists():
            DeclineReason.objects.create(
                congress=None,
                code=code,
                name=name,
                name_en=name_en,
                guidance=guidance,
                guidance_en=guidance_en,
            )
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
        subs = [
            ("sector-1", "sector", f"{short}东片区联络站"),
            ("sector-2", "sector", f"{short}西片区联络站"),
            ("industry", "industry", f"{short}经济发展行业联络站"),
            ("contact-1", "contact", f"{short}社区代表工作室"),
            ("contact-2", "contact", f"{short}村代表之家"),
        ]
        group = [hub]
        for suffix, kind, name in subs:
            s, _ = Station.objects.get_or_create(
                code=f"{prefix}-{suffix}",
                defaults={
                    "name": name,
                    "kind": kind,
                    "area": t,
                    "congress": tc,
                    "parent": hub,
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
        if i < 1:
            levels = [("national", None), ("county", county)]
        elif i < 4:
            levels = [("provincial", province), ("county", county)]
        elif i < 10:
            levels = [("city", city)]
        elif i < 34:
            levels = [("county", county)] + ([("township", t)] if i % 4 == 0 else [])
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
    _user("admin", "系统管理员", superuser=True)
    staff = _user("staff", "县人大代表工委 刘明")
    _grant(staff, Role.STAFF, area=county)
    cg_hub = stations[townships[0].code][0]
    hk_hub = stations[townships[1].code][0]
    liaison = _user("liaison", "城关联络员 周敏")
    _grant(liaison, Role.LIAISON, station=cg_hub)
    other = _user("other", "河口联络员 孙磊")
    _grant(other, Role.LIAISON, station=hk_hub)
    dept = _user("dept", "县住建局 承办员 吴芳")
    _grant(dept, Role.DEPARTMENT, department=departments[0])
    leader = _user("leader", "县人大常委会 领导")
    _grant(leader, Role.LEADER, area=county)
    deputy = _demo_deputy(deputies, cg_hub)
    if deputy.user_id is not None:
        deputy_user = deputy.user
    else:
        deputy_user = _user("deputy", f"代表 {deputy.name}")
        deputy.user = deputy_user
        deputy.save(update_fields=["user"])
    _grant(deputy_user, Role.DEPUTY, deputy=deputy)
    for s in all_stations + [county_hub]:
        if s in (cg_hub, hk_hub):
            continue
        u = _user(f"officer-{s.code}", f"{s.name} 联络员")
        _grant(u, Role.LIAISON, station=s)

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


def _today(ctx: dict) -> date:
    """The date the demo is built around (see `seed_structure`)."""
    return ctx.get("today") or timezone.localdate()


# Each plan: the actions that bring a case to its final state.
PLANS = [
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
            category=Category.objects.filter(congress=None, code=cat_code).order_by("pk").first(),
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


@transaction.atomic
def seed_demo(*, cases: int = 45, seed: int = 2026, today: date | None = None) -> dict:
    """The whole demo, safe to run again over anything users made since (`make demo` runs it
    on every start). The rules a re-run follows:

    - a row is created only when its natural key (code, username, station and kind, …) is
      missing; a row that exists is never changed, whoever made it, so nothing a user edited
      is overwritten and nothing is deleted (a demo row a user deleted comes back);
    - nothing assumes a uniqueness the database does not enforce (reception rules, role
      assignments, the county-wide categories): those are checked with exists(), never get();
    - each part built through the services (cases, activities, checklist, masters, points,
      board) runs once, when its kind of record does not exist yet;
    - what keeps the demo current runs each time but only adds: the next 30 days of reception
      days are generated where missing, and the days of the demo's own rules published;
    - logins get the public demo password only when the seed creates them.

    One transaction: a seed that fails leaves nothing half-made. `today` is the date the demo
    is built around (the command passes the clock's)."""
    rng = random.Random(seed)
    ctx = seed_structure(rng, today=today)
    if not Case.objects.exists():
        ctx["cases"] = seed_cases(ctx, rng, cases)
    seed_activities(ctx)
    seed_onboarding(ctx, roster_file=True)
    seed_points(ctx)
    seed_board(ctx)
    return ctx


# ---- reception: rules, holidays, the published schedule and a past record -------------------

HOLIDAYS = [
    ("2027-01-01", "元旦"),
    ("2027-02-06", "春节"),
    ("2027-02-16", "春节"),
    ("2027-04-05", "清明节"),
    ("2027-05-01", "劳动节"),
    ("2027-10-01", "国庆节"),
]


def seed_reception(
    *,
    stations: dict,
    county_congress: Congress,
    departments: list[Department],
    actor: User,
    today: date | None = None,
) -> None:
    """Each township hub receives on 逢6 (9:00–12:00, two deputies by rotation), its
    substations weekly on Wednesdays (one deputy); the 城关 hub also lists market days (赶集日)
    on which deputies sign up. The county lists its holidays. The next 30 days are generated
    and published through the services; days already inside the lead time are published as
    they would have been a week ago (demo history), and so is a past day with its record.

    Again over a used demo: a station gets a demo rule only when it has no rule of that kind
    (a second monthly rule, a switched-off rule are the user's); generation only adds missing
    days, and only the new days of the demo's own rules are published — drafts a user keeps,
    and the days of the user's own rules, stay drafts. The past record is written once per
    hub, on a day the seed creates itself."""
    from lianluo.core.models import Holiday
    from lianluo.stations.models import Duty, ReceptionRecord, ReceptionRule
    from lianluo.stations.rules import rule_dates
    from lianluo.stations.services import (
        OfficialIn,
        reception_days_generate,
        reception_days_publish,
        reception_record_save,
    )

    for iso, name in HOLIDAYS:
        Holiday.objects.get_or_create(
            congress=county_congress, date=date.fromisoformat(iso), defaults={"name": name}
        )
    today = today or timezone.localdate()
    horizon = today + timedelta(days=30)
    week_ago = timezone.now() - timedelta(days=7)
    market = [(today + timedelta(days=n)).isoformat() for n in range(5, 60, 5)]

    # The demo's rules as (kind, start, end) per station: how its own rules are told apart.
    demo_rules: dict[int, set[tuple[str, time, time]]] = {}

    def rule(station: Station, kind: str, values: list, start: time, end: time, **kw) -> None:
        demo_rules.setdefault(station.pk, set()).add((kind, start, end))
        # Not unique in the database: a station may have two monthly rules. Never get() one.
        if not station.rules.filter(kind=kind).exists():
            ReceptionRule.objects.create(
                station=station, kind=kind, values=values, start=start, end=end, **kw
            )

    for group in stations.values():
        hub = group[0]
        rule(hub, "month_days", [6, 16, 26], time(9), time(12), deputies_per_day=2)
        for sub in group[1:]:
            rule(sub, "weekdays", [2], time(9), time(11, 30), deputies_per_day=1)
    cg_hub = next(iter(stations.values()))[0]
    rule(cg_hub, "market_days", market, time(8), time(11), deputies_per_day=1, assignment="signup")

    for group in stations.values():
        for station in group:
            if not _days_missing(station, today, horizon):
                continue  # nothing to add (the service would still audit an empty run)
            created = reception_days_generate(
                actor=actor, station=station, start=today, end=horizon
            ).created
            ours = demo_rules.get(station.pk, set())
            drafts = list(
                ReceptionDay.objects.filter(pk__in=[d.pk for d in created])
                .select_related("station__congress", "rule")
                .order_by("date", "start")
            )
            drafts = [d for d in drafts if d.rule and (d.rule.kind, d.start, d.end) in ours]
            refused = reception_days_publish(actor=actor, days=drafts).refused
            ReceptionDay.objects.filter(pk__in=[d.pk for d, _reason in refused]).update(
                status="published", published_at=week_ago
            )

    # A past 逢6 day at each township hub, held and recorded (one with an official visit).
    for i, group in enumerate(stations.values()):
        hub = group[0]
        if ReceptionRecord.objects.filter(reception_day__station=hub).exists():
            continue
        held = max(
            rule_dates(
                kind="month_days",
                values=[6, 16, 26],
                start=today - timedelta(days=31),
                end=today - timedelta(days=1),
            )
        )
        day, created = ReceptionDay.objects.get_or_create(
            station=hub,
            date=held,
            start=time(9),
            defaults={"end": time(12), "status": "published", "published_at": week_ago},
        )
        members = list(Deputy.objects.filter(memberships__station=hub).order_by("code")[:2])
        if not created or not members:
            continue  # a day someone else made is theirs to record
        Duty.objects.bulk_create(
            [Duty(reception_day=day, deputy=d, source="rotation") for d in members]
        )
        reception_record_save(
            actor=actor,
            day=day,
            deputies_present=members,
            citizens_received=12 - 3 * i,
            summary="接待群众反映道路、供水、养老等问题，现场答复简单问题，其余登记交办。",
            officials=(
                [OfficialIn(name="王立军", title="副局长", department=departments[0])]
                if i == 0
                else []
            ),
        )


def _days_missing(station: Station, start: date, end: date) -> bool:
    """Whether generating the station's days for [start, end] would add one: a date one of its
    active rules names, not a holiday, without a day at that start time yet."""
    from lianluo.core.calendar import holidays_between
    from lianluo.stations.rules import rule_dates

    holidays = holidays_between(congress=station.congress, start=start, end=end)
    taken = set(
        ReceptionDay.objects.filter(station=station, date__range=(start, end)).values_list(
            "date", "start"
        )
    )
    for r in station.rules.filter(active=True):
        named = rule_dates(
            kind=r.kind,
            values=r.values,
            start=start,
            end=end,
            valid_from=r.valid_from,
            valid_until=r.valid_until,
        )
        if any(d not in holidays and (d, r.start) not in taken for d in named):
            return True
    return False


# ---- activities: monthly themes, published activities with sign-ups, one held -------------

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
    from datetime import datetime

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

    if Activity.objects.exists():
        return
    today = _today(ctx)

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
    others = []
    for d in members:
        if d.user_id is None:
            user = _user(f"deputy-{d.code}", f"代表 {d.name}")
            if not Deputy.objects.filter(user=user).exists():  # a login is one deputy's
                d.user = user
                d.save(update_fields=["user"])
                _grant(user, Role.DEPUTY, deputy=d)
        if d.pk != ctx["deputy"].pk and d.user_id is not None:
            others.append(d)

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
    for d in others[:2]:
        signup_create(actor=d.user, activity=symposium)

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


# ---- onboarding: deputies' particulars, deputy groups, the 七有 checklist, station masters ----

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
    from lianluo.deputies.models import DeputyGroup
    from lianluo.onboarding.selectors import master_candidates
    from lianluo.onboarding.services import (
        checklist_update,
        master_rotation_generate,
        master_set_fixed,
    )
    from lianluo.stations.models import ChecklistItem, StationChecklist, StationMaster

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
        today = _today(ctx)
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
        from django.core.management import call_command

        call_command("export_demo_roster", user=staff.username, output=str(roster))


# ---- points: the catalog, credits from the demo's own events, registered and reported records --

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


def _demo_evidence() -> object:
    """A small photo made on the spot (demo evidence: a sign-in sheet)."""
    import io

    from PIL import Image, ImageDraw

    from lianluo.duty.services import EvidenceFile

    img = Image.new("RGB", (480, 320), (250, 246, 240))
    draw = ImageDraw.Draw(img)
    draw.rectangle([20, 20, 460, 300], outline=(179, 38, 30), width=4)
    for y in range(70, 290, 30):
        draw.line([40, y, 440, y], fill=(200, 200, 200), width=2)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return EvidenceFile(content=buf.getvalue(), extension="png")


def seed_points(ctx: dict) -> None:
    """The default catalog (26 items) for this year at the county's and every township's
    congress; points credited from the demo's own events through the same crediting as the
    live hooks (reception records, activity attendance, cases answered or closed out by their
    responsible deputy, and the research visit's suggestion, filed here); then,
    once, one or two records registered by the officer of every deputy's station (some with a
    photo as evidence), self-reports of the demo deputy (one approved, one pending), a rejected
    one and a correction, so every deputy's archive shows something."""
    from datetime import date

    from lianluo.activities.models import Activity
    from lianluo.duty.models import DutyItem, EntrySource, PointEntry
    from lianluo.duty.services import (
        catalog_install_default,
        points_register,
        points_replay,
        points_reverse,
        points_self_report,
        points_verify,
    )
    from lianluo.suggestions.services import suggestion_file

    today = _today(ctx)
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
        for draft in research.suggestions.filter(status="draft", deputy__isnull=False):
            suggestion_file(actor=staff, suggestion=draft)
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


# ---- board: published rankings with an open objection window, families, targets, votes ------


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
    from lianluo.duty.board import objection_file, publication_publish
    from lianluo.duty.models import PointEntry, Publication

    if Publication.objects.exists():
        return
    today = _today(ctx)
    start = today.replace(month=1, day=1)
    publication_publish(
        actor=ctx["staff"],
        congress=ctx["county_congress"],
        title=f"{ctx['county_congress'].name}代表{today.year}年度履职积分公示",
        period_start=start,
        period_end=today,
        visible_days=15,
        objection_days=7,
    )
    hub = publication_publish(
        actor=ctx["liaison"],
        station=ctx["cg_hub"],
        title=f"{ctx['cg_hub'].name}代表{today.year}年度履职积分公示",
        period_start=start,
        period_end=today,
        visible_days=15,
        objection_days=7,
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
    from decimal import Decimal

    from lianluo.duty.families import family_create, family_pair, support_record_add
    from lianluo.duty.models import Family

    if Family.objects.exists():
        return
    today = _today(ctx)
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
    from lianluo.duty.models import Campaign, TargetSet
    from lianluo.duty.targets import campaign_save, target_sets_install_default

    today = _today(ctx)
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
    from lianluo.core.errors import DomainError
    from lianluo.duty.models import StationVote
    from lianluo.duty.station_of_year import vote_cast

    if StationVote.objects.exists():
        return
    vote_cast(station=ctx["cg_hub"], user=ctx["deputy"].user)
    for case in Case.objects.exclude(station=None).order_by("pk")[:8]:
        try:
            vote_cast(station=case.station, tracking_code=case.tracking_code)
        except DomainError:
            continue  # the same phone already voted
