"""The lists a briefing prints, each drawn from the records a figure counts (insights.figures):
exemplary cases from the cases closed in the period, deputies' activities from the activities
held, reception days from the days held.

An exemplary case is closed out in the period, its citizen consented to publication and rated
it satisfied. It is printed as the public board prints a case (its public title, the public text
of its last answer, long digit runs hidden) and, beyond that, without the citizen's name, phone
or the place given: a briefing is handed round.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from lianluo.cases.models import Case, CaseEvent
from lianluo.cases.selectors import event_public_text, public_title, scrub
from lianluo.cases.states import Action, Rating
from lianluo.insights.figures import Period, Target, activities_held, case_records, receptions_held

EXEMPLARY_CASES = 3
ANSWER_CHARS = 120
LINES = 12  # activities or reception days listed at most


@dataclass(frozen=True)
class CaseStory:
    title: str
    category: str
    answer: str
    station: str
    closed_on: str


def redact(text: str, case: Case) -> str:
    """The text without the citizen's name, phone or place, long digit runs hidden."""
    for secret in (case.citizen_name, case.citizen_phone, case.place):
        secret = (secret or "").strip()
        if len(secret) >= 2:
            text = text.replace(secret, "某某" if secret != case.place else "某处")
    return scrub(text)


_CLAUSES = re.compile(r"[，,。；;！!？?\n]")
TITLE_CHARS = 30


def story_title(case: Case) -> str:
    """The case's title, else the clauses of its text that say nothing about the citizen (no
    name, phone or place: those clauses are left out, not starred), cut to a line."""
    if case.title.strip():
        return redact(public_title(case), case)
    clauses = [c.strip() for c in _CLAUSES.split(redact(case.text, case))]
    kept = [c for c in clauses if c and "某某" not in c and "****" not in c]
    return _cut("，".join(kept), TITLE_CHARS) or redact(public_title(case), case)


def _cut(text: str, chars: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= chars else text[:chars] + "…"


def exemplary_cases(
    *, target: Target, period: Period, limit: int = EXEMPLARY_CASES
) -> list[CaseStory]:
    answers = CaseEvent.objects.filter(action__in=[Action.ANSWER, Action.ANSWER_ON_SPOT]).order_by(
        "at", "id"
    )
    rows = (
        case_records(name="closed", target=target, period=period)
        .filter(consent_publish=True, rating=Rating.SATISFIED)
        .select_related("category", "station")
        .prefetch_related(Prefetch("events", queryset=answers, to_attr="answer_events"))
        .order_by("-closed_at", "-id")[:limit]
    )
    stories = []
    for case in rows:
        events = case.answer_events  # type: ignore[attr-defined]
        answer = redact(event_public_text(events[-1]), case) if events else ""
        category = case.category.label if case.category else redact(case.category_text, case)
        stories.append(
            CaseStory(
                title=story_title(case),
                category=category,
                answer=_cut(answer, ANSWER_CHARS),
                station=case.station.name if case.station else "",
                closed_on=_day(timezone.localdate(case.closed_at)) if case.closed_at else "",
            )
        )
    return stories


def _day(value: date) -> str:
    return f"{value.month}月{value.day}日"


def activity_lines(*, target: Target, period: Period, limit: int = LINES) -> list[str]:
    """'3月20日，城关镇中心联络站开展调研“饮水安全”，代表5人参加。'"""
    rows = (
        activities_held(target=target, period=period)
        .select_related("station")
        .annotate(present=Count("signups", filter=Q(signups__checked_in_at__isnull=False)))
        .order_by("start", "id")[:limit]
    )
    return [
        f"{_day(timezone.localtime(a.start))}，{a.station.name}开展{a.get_type_display()}"
        f"“{a.title}”，代表{a.present}人参加。"  # type: ignore[attr-defined]
        for a in rows
    ]


def reception_lines(*, target: Target, period: Period, limit: int = LINES) -> list[str]:
    """'3月16日，城关镇中心联络站代表接待日，代表2人进站，接待群众12人次。'"""
    rows = (
        receptions_held(target=target, period=period)
        .select_related("station", "record")
        .annotate(present=Count("record__deputies_present"))
        .order_by("date", "id")[:limit]
    )
    return [
        f"{_day(d.date)}，{d.station.name}代表接待日，代表{d.present}人进站，"  # type: ignore[attr-defined]
        f"接待群众{d.record.citizens_received}人次。"
        for d in rows
    ]
