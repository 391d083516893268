"""The county congress's suggestions: one in every state, and the usual variants (joint,
merged, key with a progress log, overdue, due soon, re-handled, separate handling, a change
asked for), ideas adopted (one with its outcome) and a research report not adopted."""

from __future__ import annotations

from typing import Any

from lianluo.core.models import Congress, Department
from lianluo.demo.seed.suggestions.story import KEY_LEADERS, Steps, Story, handled, tell
from lianluo.deputies.models import Deputy
from lianluo.suggestions.states import Kind


def county_suggestions(story: Story, congress: Congress, own: Deputy, lead: list[Deputy]) -> None:
    """`own` is the demo deputy; `lead` the other authors (18 places, deputies may repeat)."""
    housing, transport, hrss, agri = (
        Department.objects.get(code=c) for c in ("qx-housing", "qx-transport", "qx-hrss", "qx-agri")
    )
    n = 0

    def item(days: int, steps: Steps, title: str, text: str, category: str, **more: Any) -> None:
        """The next author's item (the authors take turns)."""
        nonlocal n
        deputy, n = lead[n % len(lead)], n + 1
        tell(
            story, congress, deputy, days, steps, title=title, text=text, category=category, **more
        )

    # A draft the demo deputy is still writing; a joint item, one co-signer still to confirm.
    tell(
        story,
        congress,
        own,
        1,
        [],
        file=False,
        title="关于在城关农贸市场增设公共厕所的建议",
        text="城关农贸市场日均客流三千余人，周边仅有一处公厕且距离较远，建议在市场东侧增设。",
        category="urban_rural",
    )
    tell(
        story,
        congress,
        own,
        3,
        [("cosign", 2, {"by": lead[0]})],
        co_signers=[lead[0], lead[1]],
        title="关于加强农村饮用水水源保护的建议",
        text="部分村组饮用水水源地周边有养殖场，存在污染隐患，建议划定保护范围并定期检测水质。",
        category="environment",
    )
    # Registered, waiting for assignment; not registered, handled as a deputy letter.
    item(
        15,
        [("register", 8, {})],
        "关于提高城乡居民医保门诊报销比例的建议",
        "基层群众反映门诊慢性病报销比例偏低，建议提高报销比例并扩大病种范围。",
        "health",
    )
    item(
        20,
        [
            (
                "decline",
                14,
                {
                    "reason": "outside_powers",
                    "outcome": "letter",
                    "note": "高速公路收费标准由省级确定，不属于本级职权范围，转为代表来信。",
                },
            )
        ],
        "关于调整全省高速公路收费标准的建议",
        "建议降低货车高速通行费，减轻物流企业负担。",
        "transport",
    )

    # A key suggestion under handling (a co-department, a contact, a progress log), and a
    # similar one merged into it: its author is answered through it.
    leader, committee = KEY_LEADERS[0]
    key = tell(
        story,
        congress,
        own,
        40,
        [
            ("cosign", 39, {"by": lead[2]}),
            ("register", 35, {}),
            ("assign", 30, {"lead": housing, "co": [hrss]}),
            ("mark_key", 28, {"leader": leader, "committee": committee}),
            ("contact", 20, {"method": "face", "note": "到代表所在小区面商。"}),
            (
                "progress",
                10,
                {"text": "已完成全县老旧小区摸底，共42栋具备加装条件。", "public": True},
            ),
            ("progress", 3, {"text": "加装电梯补助办法已提交县政府常务会审议。", "public": True}),
        ],
        co_signers=[lead[2]],
        title="关于加快老旧小区加装电梯的建议",
        text="纺织厂宿舍等老旧小区多为六层楼，老人上下楼困难，建议简化审批、加大补助，"
        "加快加装电梯进度。",
        category="urban_rural",
    )
    item(
        38,
        [("merge", 34, {"into": key.number, "note": "与加装电梯建议内容相同，并案办理"})],
        "关于老旧小区加装电梯资金补助的建议",
        "建议县财政设立老旧小区加装电梯专项补助资金。",
        "urban_rural",
    )

    # Overdue, nobody has contacted the deputy; due soon, contacted.
    item(
        110,
        handled(transport, 106, 100),
        "关于维修石桥至白云乡道的建议",
        "石桥乡到白云镇的乡道坑洼多，雨天积水，建议列入年度农村公路养护计划。",
        "transport",
    )
    item(
        90,
        [*handled(agri, 88, 82), ("contact", 60, {})],
        "关于扶持柑橘产业电商销售的建议",
        "河口镇柑橘丰收但销路不畅，建议组织电商培训，对接收购商和冷链物流。",
        "agriculture",
    )
    # Replied with the co-department's opinion: the rating is due.
    item(
        75,
        [
            ("register", 72, {}),
            ("assign", 70, {"lead": transport, "co": [housing]}),
            ("opinion", 45, {"by": housing, "text": "可利用学校东侧空地设接送区。"}),
            ("contact", 40, {"method": "meeting", "note": "邀请代表、学校和交警座谈。"}),
            ("reply", 2, {"code": "A", "text": "已设置临时接送区，施划停车位30个，安排交警值守。"}),
        ],
        "关于规范校园周边交通秩序的建议",
        "城关二小放学时门口车辆乱停，建议设置接送区、施划停车位并安排护学岗。",
        "transport",
    )
    # Rated, waiting for staff to close it.
    reply = "已将12条背街小巷纳入今年城市更新项目，目前已完成8条。"
    item(
        88,
        [
            *handled(housing, 85, 50, 20, reply=reply),
            ("rate", 12, {"rating": "basically_satisfied"}),
        ],
        "关于整治城区背街小巷环境的建议",
        "城区部分背街小巷路面破损、垃圾堆放，建议纳入城市更新统一整治。",
        "urban_rural",
    )
    # Handled again after a dissatisfied rating: round 2, contacted again.
    item(
        130,
        [
            *handled(agri, 126, 90, 35, code="C", reply="因资金限制，拟列入明年水利项目统筹解决。"),
            ("rate", 27, {"rating": "dissatisfied", "comment": "春耕在即，等到明年来不及。"}),
            ("rehandle", 25, {"note": "请县农业农村局重新研究，先行组织清淤。"}),
            ("contact", 15, {"method": "face", "note": "与代表一起到红旗组现场查看。"}),
        ],
        "关于清理红旗组灌溉渠道的建议",
        "红旗组灌溉渠被垃圾和淤泥堵塞，春耕前必须清理，否则几十亩田无法放水。",
        "agriculture",
    )
    # Closed with A, rated satisfied; a key, difficult one closed with B, under tracking.
    reply = "已更换损坏路灯16盏，并纳入日常巡查维护。"
    item(
        150,
        [*handled(housing, 146, 120, 95, reply=reply), ("rate", 90, {"rating": "satisfied"})]
        + [("close", 85, {})],
        "关于修复幸福里小区路灯的建议",
        "幸福里小区东门到菜市场一段路灯损坏，夜间出行不安全，建议尽快修复。",
        "urban_rural",
    )
    leader, committee = KEY_LEADERS[1]
    item(
        160,
        [
            ("register", 155, {}),
            ("assign", 150, {"lead": transport, "co": [housing], "difficult": True}),
            ("mark_key", 148, {"leader": leader, "committee": committee}),
            ("opinion", 120, {"by": housing, "text": "建议与城区控制性规划衔接。"}),
            ("contact", 100, {"method": "meeting"}),
            ("progress", 60, {"text": "二桥工程可行性研究报告已完成评审。", "public": True}),
            ("reply", 30, {"code": "B", "text": "二桥已列入县“十五五”交通规划，预计明年开工。"}),
            ("rate", 25, {"rating": "basically_satisfied"}),
            ("close", 20, {}),
        ],
        "关于新建青溪河二桥的建议",
        "青溪河大桥车流量大、桥面老化，建议规划新建二桥，缓解城区交通压力。",
        "transport",
    )
    # Withdrawn by its author.
    item(
        50,
        [
            ("register", 46, {}),
            ("withdraw", 44, {"reason": "社区已与广场舞队约定时间和音量，问题已解决。"}),
        ],
        "关于人民广场夜间噪音管理的建议",
        "人民广场晚上十点后仍有音响扰民，建议规定时段和音量。",
        "law",
    )
    # Ideas adopted (one with its outcome, one still to come); a report not adopted.
    item(
        60,
        [
            ("register", 57, {}),
            ("adopt", 50, {"note": "县人大常委会采纳，在四个乡镇试行。"}),
            ("outcome", 20, {"text": "四个乡镇试行两个月，共接待群众160余人次，拟全县推广。"}),
        ],
        "在赶集日设立代表流动接待点",
        "建议在各乡镇赶集日设立代表流动接待点，方便群众就近反映问题。",
        "other",
        kind=Kind.IDEA,
    )
    item(
        25,
        [("register", 22, {}), ("adopt", 15, {"note": "主任会议同意，列入明年工作要点。"})],
        "建立代表建议办理“回头看”制度",
        "建议每年对上年度B、C类答复的建议开展一次“回头看”，督促承诺事项落实。",
        "law",
        kind=Kind.IDEA,
    )
    item(
        70,
        [
            ("register", 66, {}),
            ("not_adopt", 55, {"reason": "相关内容已在县农村公路养护办法中作出规定。"}),
        ],
        "关于农村公路养护情况的调研报告",
        "调研了全县12条农村公路的养护情况，提出建立县乡村三级养护责任制等建议。",
        "transport",
        kind=Kind.RESEARCH,
    )
    # Separate handling: each department replies for its part; one has, one has not.
    item(
        45,
        [
            ("register", 42, {}),
            ("assign", 40, {"lead": transport, "co": [agri], "separate": True}),
            ("contact", 12, {}),
            ("reply", 5, {"code": "B", "text": "河口至县城道路拓宽已列入明年计划。"}),
        ],
        "关于改善河口镇农产品运输条件的建议",
        "河口镇农产品外运道路狭窄、缺少冷链，建议拓宽道路并建设冷链集散点。",
        "agriculture",
    )
    # Just assigned; the department asks to have it changed (staff decide).
    item(
        10,
        [
            *handled(agri, 7, 5),
            ("request_change", 3, {"reason": "低保审批属县民政局职责，请改交民政局办理。"}),
        ],
        "关于解决城关镇南街低保申请进度慢的建议",
        "部分群众申请低保三个月无结果，建议公开办理进度、压缩审批时限。",
        "health",
    )
