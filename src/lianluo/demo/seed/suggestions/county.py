"""The county congress's suggestions: one in every state, and the usual variants (joint,
merged, key with a progress log, overdue, due soon, re-handled, separate handling, a change
asked for), ideas adopted (one with its outcome) and a research report not adopted."""

from __future__ import annotations

from datetime import timedelta

from lianluo.core.models import Congress, Department
from lianluo.demo.seed.suggestions.story import KEY_LEADERS, Story, replied, user_of
from lianluo.deputies.models import Deputy
from lianluo.suggestions.states import Kind


def county_suggestions(story: Story, congress: Congress, own: Deputy, lead: list[Deputy]) -> None:
    """The county congress's items, one per state (and the usual variants)."""
    housing, transport, hrss, agri = (
        Department.objects.get(code=c) for c in ("qx-housing", "qx-transport", "qx-hrss", "qx-agri")
    )
    me = user_of(own)
    base = {"congress": congress}

    # A draft the demo deputy is still writing.
    story.new(
        1,
        actor=me,
        deputy=own,
        file=False,
        title="关于在城关农贸市场增设公共厕所的建议",
        text="城关农贸市场日均客流三千余人，周边仅有一处公厕且距离较远，建议在市场东侧增设。",
        category="urban_rural",
        **base,
    )
    # Filed jointly: one co-signer confirmed, one still to confirm.
    item = story.new(
        3,
        actor=me,
        deputy=own,
        co_signers=[lead[0], lead[1]],
        title="关于加强农村饮用水水源保护的建议",
        text="部分村组饮用水水源地周边有养殖场，存在污染隐患，建议划定保护范围并定期检测水质。",
        category="environment",
        **base,
    )
    story.step(item, "cosign", 2, actor=user_of(lead[0]))

    # Registered, waiting for assignment.
    item = story.new(
        15,
        actor=user_of(lead[0]),
        deputy=lead[0],
        title="关于提高城乡居民医保门诊报销比例的建议",
        text="基层群众反映门诊慢性病报销比例偏低，建议提高报销比例并扩大病种范围。",
        category="health",
        **base,
    )
    story.step(item, "register", 8)

    # Not registered: outside the county's powers, handled as a deputy letter.
    item = story.new(
        20,
        actor=user_of(lead[1]),
        deputy=lead[1],
        title="关于调整全省高速公路收费标准的建议",
        text="建议降低货车高速通行费，减轻物流企业负担。",
        category="transport",
        **base,
    )
    story.step(
        item,
        "decline",
        14,
        reason="outside_powers",
        outcome="letter",
        note="高速公路收费标准由省级确定，不属于本级职权范围，转为代表来信向上级反映。",
    )

    # A key suggestion under handling, with a co-department, a contact and a progress log;
    # a similar suggestion merged into it (its author is answered through it).
    key = story.new(
        40,
        actor=me,
        deputy=own,
        co_signers=[lead[2]],
        title="关于加快老旧小区加装电梯的建议",
        text="纺织厂宿舍等老旧小区多为六层楼，老人上下楼困难，建议简化审批、加大补助，"
        "加快加装电梯进度。",
        category="urban_rural",
        **base,
    )
    story.step(key, "cosign", 39, actor=user_of(lead[2]))
    similar = story.new(
        38,
        actor=user_of(lead[3]),
        deputy=lead[3],
        title="关于老旧小区加装电梯资金补助的建议",
        text="建议县财政设立老旧小区加装电梯专项补助资金。",
        category="urban_rural",
        **base,
    )
    story.step(key, "register", 35)
    story.step(similar, "merge", 34, into=key.number, note="与加装电梯建议内容相同，并案办理")
    story.step(key, "assign", 30, lead=housing, co=[hrss])
    leader, committee = KEY_LEADERS[0]
    story.step(key, "mark_key", 28, leader=leader, committee=committee)
    story.step(
        key,
        "contact",
        20,
        actor=story.dept(housing),
        method="face",
        date=story.today - timedelta(days=20),
        note="到代表所在小区面商，听取居民意见。",
    )
    story.step(
        key, "progress", 10, text="已完成全县老旧小区摸底，共42栋具备加装条件。", public=True
    )
    story.step(key, "progress", 3, text="加装电梯补助办法已提交县政府常务会审议。", public=True)

    # Assigned long ago, nobody has contacted the deputy: overdue.
    item = story.new(
        110,
        actor=user_of(lead[4]),
        deputy=lead[4],
        title="关于维修石桥至白云乡道的建议",
        text="石桥乡到白云镇的乡道坑洼多，雨天积水，建议列入年度农村公路养护计划。",
        category="transport",
        **base,
    )
    story.step(item, "register", 106)
    story.step(item, "assign", 100, lead=transport)

    # Due soon: contacted, the reply still to come.
    item = story.new(
        90,
        actor=user_of(lead[5]),
        deputy=lead[5],
        title="关于扶持柑橘产业电商销售的建议",
        text="河口镇柑橘丰收但销路不畅，建议组织电商培训，对接收购商和冷链物流。",
        category="agriculture",
        **base,
    )
    story.step(item, "register", 88)
    story.step(item, "assign", 82, lead=agri)
    story.step(
        item,
        "contact",
        60,
        actor=story.dept(agri),
        method="phone",
        date=story.today - timedelta(days=60),
    )

    # Replied by the lead department (with the co-department's opinion): the rating is due.
    item = story.new(
        75,
        actor=user_of(lead[6]),
        deputy=lead[6],
        title="关于规范校园周边交通秩序的建议",
        text="城关二小放学时门口车辆乱停，建议设置接送区、施划停车位并安排护学岗。",
        category="transport",
        **base,
    )
    story.step(item, "register", 72)
    story.step(item, "assign", 70, lead=transport, co=[housing])
    story.step(item, "opinion", 45, actor=story.dept(housing), text="可利用学校东侧空地设接送区。")
    story.step(
        item,
        "contact",
        40,
        actor=story.dept(transport),
        method="meeting",
        date=story.today - timedelta(days=40),
        note="邀请代表、学校和交警座谈。",
    )
    story.step(
        item,
        "reply",
        2,
        actor=story.dept(transport),
        code="A",
        text="已在城关二小东侧设置临时接送区，施划停车位30个，上下学时段安排交警值守。",
    )

    # Rated, waiting for staff to close it.
    item = replied(
        story,
        lead[7],
        housing,
        title="关于整治城区背街小巷环境的建议",
        text="城区部分背街小巷路面破损、垃圾堆放，建议纳入城市更新统一整治。",
        category="urban_rural",
        days=(88, 85, 50, 20),
        code="A",
        reply="已将12条背街小巷纳入今年城市更新项目，目前已完成8条。",
        congress=congress,
    )
    story.step(item, "rate", 12, actor=user_of(lead[7]), rating="basically_satisfied")

    # Handled again after a dissatisfied rating: round 2, contacted again.
    item = replied(
        story,
        lead[8],
        agri,
        title="关于清理红旗组灌溉渠道的建议",
        text="红旗组灌溉渠被垃圾和淤泥堵塞，春耕前必须清理，否则几十亩田无法放水。",
        category="agriculture",
        days=(130, 126, 90, 35),
        code="C",
        reply="因资金限制，拟列入明年水利项目统筹解决。",
        congress=congress,
    )
    story.step(
        item,
        "rate",
        27,
        actor=user_of(lead[8]),
        rating="dissatisfied",
        comment="春耕在即，等到明年来不及，群众意见很大。",
    )
    story.step(item, "rehandle", 25, note="请县农业农村局重新研究，先行组织清淤。")
    story.step(
        item,
        "contact",
        15,
        actor=story.dept(agri),
        method="face",
        date=story.today - timedelta(days=15),
        note="与代表一起到红旗组现场查看。",
    )

    # Closed with A, rated satisfied.
    item = replied(
        story,
        lead[9],
        housing,
        title="关于修复幸福里小区路灯的建议",
        text="幸福里小区东门到菜市场一段路灯损坏，夜间出行不安全，建议尽快修复。",
        category="urban_rural",
        days=(150, 146, 120, 95),
        code="A",
        reply="已更换损坏路灯16盏，并纳入日常巡查维护。",
        congress=congress,
    )
    story.step(item, "rate", 90, actor=user_of(lead[9]), rating="satisfied")
    story.step(item, "close", 85)

    # A key, difficult item closed with B: under tracking until solved.
    item = story.new(
        160,
        actor=user_of(lead[10]),
        deputy=lead[10],
        title="关于新建青溪河二桥的建议",
        text="青溪河大桥车流量大、桥面老化，建议规划新建二桥，缓解城区交通压力。",
        category="transport",
        **base,
    )
    story.step(item, "register", 155)
    story.step(item, "assign", 150, lead=transport, co=[housing], difficult=True)
    leader, committee = KEY_LEADERS[1]
    story.step(item, "mark_key", 148, leader=leader, committee=committee)
    story.step(item, "opinion", 120, actor=story.dept(housing), text="建议与城区控制性规划衔接。")
    story.step(
        item,
        "contact",
        100,
        actor=story.dept(transport),
        method="meeting",
        date=story.today - timedelta(days=100),
    )
    story.step(item, "progress", 60, text="二桥工程可行性研究报告已完成评审。", public=True)
    story.step(
        item,
        "reply",
        30,
        actor=story.dept(transport),
        code="B",
        text="二桥工程已列入县“十五五”交通规划，正在开展前期工作，预计明年开工。",
    )
    story.step(item, "rate", 25, actor=user_of(lead[10]), rating="basically_satisfied")
    story.step(item, "close", 20)

    # Withdrawn by its author.
    item = story.new(
        50,
        actor=user_of(lead[11]),
        deputy=lead[11],
        title="关于人民广场夜间噪音管理的建议",
        text="人民广场晚上十点后仍有音响扰民，建议规定时段和音量。",
        category="law",
        **base,
    )
    story.step(item, "register", 46)
    story.step(
        item,
        "withdraw",
        44,
        actor=user_of(lead[11]),
        reason="社区已与广场舞队约定时间和音量，问题已解决，书面申请撤回。",
    )

    # An idea adopted, with its outcome; a research report not adopted.
    item = story.new(
        60,
        actor=user_of(lead[12]),
        deputy=lead[12],
        kind=Kind.IDEA,
        title="在赶集日设立代表流动接待点",
        text="建议在各乡镇赶集日设立代表流动接待点，方便群众就近反映问题。",
        category="other",
        **base,
    )
    story.step(item, "register", 57)
    story.step(item, "adopt", 50, note="县人大常委会采纳，在四个乡镇试行。")
    story.step(item, "outcome", 20, text="四个乡镇试行两个月，共接待群众160余人次，拟全县推广。")
    item = story.new(
        70,
        actor=user_of(lead[13]),
        deputy=lead[13],
        kind=Kind.RESEARCH,
        title="关于农村公路养护情况的调研报告",
        text="调研了全县12条农村公路的养护情况，提出建立县乡村三级养护责任制等建议。",
        category="transport",
        **base,
    )
    story.step(item, "register", 66)
    story.step(item, "not_adopt", 55, reason="相关内容已在县农村公路养护办法中作出规定。")
    # An idea adopted lately, its outcome still to come.
    item = story.new(
        25,
        actor=user_of(lead[16]),
        deputy=lead[16],
        kind=Kind.IDEA,
        title="建立代表建议办理“回头看”制度",
        text="建议每年对上年度B、C类答复的建议开展一次“回头看”，督促承诺事项落实。",
        category="law",
        **base,
    )
    story.step(item, "register", 22)
    story.step(item, "adopt", 15, note="主任会议同意，列入明年工作要点。")

    # Separate handling: each department replies for its part; one has, one has not.
    item = story.new(
        45,
        actor=user_of(lead[14]),
        deputy=lead[14],
        title="关于改善河口镇农产品运输条件的建议",
        text="河口镇农产品外运道路狭窄、缺少冷链，建议拓宽道路并建设冷链集散点。",
        category="agriculture",
        **base,
    )
    story.step(item, "register", 42)
    story.step(item, "assign", 40, lead=transport, co=[agri], separate=True)
    story.step(
        item,
        "contact",
        12,
        actor=story.dept(transport),
        method="phone",
        date=story.today - timedelta(days=12),
    )
    story.step(
        item,
        "reply",
        5,
        actor=story.dept(transport),
        code="B",
        text="河口至县城道路拓宽已列入明年计划。",
    )

    # Just assigned; the department asks to have it changed (staff decide).
    item = story.new(
        10,
        actor=user_of(lead[15]),
        deputy=lead[15],
        title="关于解决城关镇南街低保申请进度慢的建议",
        text="部分群众申请低保三个月无结果，建议公开办理进度、压缩审批时限。",
        category="health",
        **base,
    )
    story.step(item, "register", 7)
    story.step(item, "assign", 5, lead=agri)
    story.step(
        item,
        "request_change",
        3,
        actor=story.dept(agri),
        reason="低保审批属县民政局职责，请改交民政局或人社局办理。",
    )
