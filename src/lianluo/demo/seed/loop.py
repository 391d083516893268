"""The citizen's end of the loop, ready to try: an answered case its citizen can rate (the SMS
of each step logged), two reports of one pothole waiting at triage to be merged, and a closed
case whose public summary staff approved (the station page shows it, with 我也遇到)."""

from __future__ import annotations

from typing import Any

from lianluo.cases.models import Case, Category
from lianluo.cases.services import case_submit, case_transition
from lianluo.cases.services.publication import case_summary_approve

ANSWERED = "demo-loop-answered"
POTHOLES = ("demo-loop-pothole-1", "demo-loop-pothole-2")
PUBLISHED = "demo-loop-published"


def seed_loop(ctx: dict[str, Any]) -> None:
    """Once (the keys below mark what it made); the codes go into ctx for the command to
    print."""
    station, staff = ctx["cg_hub"], ctx["staff"]
    if not Case.objects.filter(idempotency_key=ANSWERED).exists():
        urban = Category.objects.filter(congress=station.congress, code="urban").first()
        case, _ = case_submit(
            station=station,
            title="南门口路灯不亮",
            text="城关镇南门口到农贸市场的三盏路灯一直不亮，晚上买菜回家看不清路。",
            category=urban,
            place="城关镇南门口",
            name="周女士",
            phone="13807310001",
            consent_publish=True,
            idempotency_key=ANSWERED,
        )
        steps: tuple[tuple[str, dict[str, Any]], ...] = (
            ("accept", {"triage": "general"}),
            ("answer", {"text": "已请供电所更换灯具，三盏路灯今晚起恢复照明。"}),
        )
        for action, fields in steps:
            case = case_transition(case=case, actor=staff, action=action, **fields)
        roads = Category.objects.filter(congress=station.congress, code="transport").first()
        for key, text in zip(
            POTHOLES,
            (
                "南街菜市场门口路面塌了一个大坑，电动车经过很危险，请尽快修补。",
                "南街菜市场门口路面塌了个大坑，电动车过去很危险，希望尽快修一下。",
            ),
            strict=True,
        ):
            case_submit(
                station=station,
                text=text,
                category=roads,
                place="南街菜市场门口",
                phone="13807310002" if key == POTHOLES[0] else "13807310003",
                idempotency_key=key,
            )
        published, _ = case_submit(
            station=station,
            title="公园健身器材损坏",
            text="滨河公园的健身器材有两台坏了，扶手松动，老人锻炼不安全。",
            category=urban,
            place="滨河公园",
            name="吴先生",
            phone="13807310004",
            consent_publish=True,
            idempotency_key=PUBLISHED,
        )
        steps = (
            ("accept", {"triage": "simple"}),
            ("answer_on_spot", {"text": "已联系公园管理处，损坏器材当天停用，一周内更换。"}),
            ("follow_up", {"method": "phone"}),
            ("rate", {"rating": "satisfied"}),
            ("close", {}),
        )
        for action, fields in steps:
            published = case_transition(case=published, actor=staff, action=action, **fields)
        case_summary_approve(case=published, actor=staff, summary="滨河公园健身器材损坏，已更换")
    found = {
        c.idempotency_key: c for c in Case.objects.filter(idempotency_key__in=[ANSWERED, *POTHOLES])
    }
    if ANSWERED in found:
        ctx["rate_tracking_code"] = found[ANSWERED].tracking_code
    if POTHOLES[1] in found:
        ctx["duplicate_number"] = found[POTHOLES[1]].number
