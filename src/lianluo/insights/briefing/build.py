"""What a briefing (联络动态) says: one model built from the figures, laid out by pdf and docx.

Every number comes from `lianluo.insights.figures` (figures_of, receptions_held,
activities_held, case_records) for the same target and period the dashboard shows, so the
briefing prints the dashboard's figures. The text is Chinese, in the style of the congress
bulletins; a rate with nothing to divide prints "—".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone, translation

from lianluo.insights.breakdowns import received_and_closed
from lianluo.insights.briefing.selectors import (
    CaseStory,
    activity_lines,
    exemplary_cases,
    reception_lines,
)
from lianluo.insights.figures import Figures, Period, Target, figures_of, figures_of_targets
from lianluo.insights.selectors import children_of

DASH = "—"
# A child needs this many rated cases before its satisfaction rate may single it out.
MIN_RATED = 3
EXEMPLARY_STATIONS = 3

CHANNEL_LABELS = {
    "station_qr": "联络站二维码",
    "deputy_qr": "代表二维码",
    "reception": "接待日",
    "visit": "走访",
    "staff": "工作人员录入",
}

NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class TopicLine:
    """A hot topic as the briefing prints it (filled from the hot-topics run)."""

    label: str
    keywords: list[str]
    size: int
    growth: float | None = None  # against the previous period, in percent; None: new or unknown


@dataclass(frozen=True)
class Headline:
    key: str  # the Figures field it prints
    label: str
    value: str
    previous: str
    change: str


@dataclass(frozen=True)
class StationLine:
    name: str
    closed: int
    rated: int
    satisfaction: str
    reason: str


@dataclass(frozen=True)
class Chart:
    title: str
    categories: list[str]
    series: list[tuple[str, list[int]]]  # (name, one value per category)


@dataclass
class Briefing:
    title: str
    target_name: str
    issuer: str  # 青溪县人大常委会代表工作机构 (the area's, a station's area's)
    period: Period
    period_label: str
    issued: date
    figures: Figures
    previous: Figures
    headlines: list[Headline]
    summary: str
    topics: list[TopicLine] = field(default_factory=list)
    cases: list[CaseStory] = field(default_factory=list)
    stations: list[StationLine] = field(default_factory=list)
    activities: list[str] = field(default_factory=list)
    receptions: list[str] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    filename: str = "briefing"

    @property
    def empty(self) -> bool:
        return not self.figures.active and not self.figures.closed


# ---- wording -------------------------------------------------------------------------------------


def pct(value: float | None) -> str:
    return DASH if value is None else f"{value:.1f}%"


def _change(now: int | float | None, before: int | float | None, *, rate: bool = False) -> str:
    if now is None or before is None:
        return DASH
    diff = now - before
    if rate:
        return f"{diff:+.1f}个百分点" if diff else "持平"
    return f"{diff:+d}" if diff else "持平"


def period_label(period: Period) -> str:
    s, e = period.start, period.end
    if period.is_whole_months and s.year == e.year:
        if s.month == 1 and e.month == 12:
            return f"{s.year}年"
        if s.month == e.month:
            return f"{s.year}年{s.month}月"
        if e.month - s.month == 2 and s.month % 3 == 1:
            return f"{s.year}年第{NUMERALS[s.month // 3]}季度"
        return f"{s.year}年{s.month}月至{e.month}月"
    if s == e:
        return f"{s.year}年{s.month}月{s.day}日"
    end = f"{e.month}月{e.day}日" if e.year == s.year else f"{e.year}年{e.month}月{e.day}日"
    return f"{s.year}年{s.month}月{s.day}日至{end}"


def _period_word(period: Period) -> str:
    label = period_label(period)
    if label.endswith("季度"):
        return "本季度"
    if period.is_whole_months and period.start.month == period.end.month:
        return "本月"
    if label.endswith("年"):
        return "本年度"
    return label


def _who(target: Target) -> str:
    """全县各代表联络站 / 城关镇各代表联络站 / 城关镇中心联络站."""
    if target.station is not None:
        return target.station.name
    name = target.name
    for suffix in ("街道", "省", "市", "县", "区", "镇", "乡"):
        if name.endswith(suffix):
            return f"全{suffix}各代表联络站"
    return f"{name}各代表联络站"


def _area_name(target: Target) -> str:
    return target.station.area.name if target.station is not None else target.name


def _title(target: Target, label: str) -> str:
    if target.station is not None:
        return f"{target.station.name}联络动态（{label}）"
    return f"{target.name}人大代表联络站联络动态（{label}）"


def _summary(target: Target, period: Period, f: Figures) -> str:
    when, who = _period_word(period), _who(target)
    if not f.active and not f.closed:
        return f"{when}，{who}未登记群众意见建议、接待日和代表活动。"
    text = (
        f"{when}，{who}共开展代表接待日{f.receptions}次，接待群众{f.citizens_received}人次，"
        f"收集意见建议{f.received}件，办结{f.closed}件，办结率{pct(f.closure_rate)}，"
        f"群众满意率{pct(f.satisfaction_rate)}；"
        f"推动形成代表建议{f.suggestions_formed}件，组织代表活动{f.activities}次。"
    )
    if f.deputies:
        text += f"{f.deputies_active}名代表参加接待或活动，参与率{pct(f.participation_rate)}。"
    return text


HEADLINES: tuple[tuple[str, str, bool], ...] = (
    # (Figures field, label, is a rate)
    ("citizens_received", "接待群众（人次）", False),
    ("received", "收集意见建议（件）", False),
    ("closed", "办结问题（件）", False),
    ("suggestions_formed", "形成代表建议（件）", False),
    ("closure_rate", "办结率", True),
    ("satisfaction_rate", "群众满意率", True),
    ("receptions", "代表接待日（次）", False),
    ("activities", "代表活动（次）", False),
)


def _headlines(now: Figures, before: Figures) -> list[Headline]:
    rows = []
    for key, label, is_rate in HEADLINES:
        a, b = getattr(now, key), getattr(before, key)
        rows.append(
            Headline(
                key=key,
                label=label,
                value=pct(a) if is_rate else str(a),
                previous=pct(b) if is_rate else str(b),
                change=_change(a, b, rate=is_rate),
            )
        )
    return rows


# ---- the parts -----------------------------------------------------------------------------------


def _stations(target: Target, period: Period) -> list[StationLine]:
    """The children that closed most, and the one with the best satisfaction among those with
    enough rated cases."""
    children = children_of(target)
    rows = list(zip(children, figures_of_targets(targets=children, period=period), strict=True))
    chosen: list[tuple[Target, Figures, str]] = []
    for child, f in sorted(rows, key=lambda r: (-r[1].closed, r[0].code)):
        if f.closed and len(chosen) < EXEMPLARY_STATIONS:
            chosen.append((child, f, "办结最多"))
    rated = [r for r in rows if r[1].rated >= MIN_RATED and r[1].satisfaction_rate is not None]
    if rated:
        child, f = max(rated, key=lambda r: (r[1].satisfaction_rate, r[1].rated))
        for n, (c, g, reason) in enumerate(chosen):
            if c.code == child.code:
                chosen[n] = (c, g, reason + "、满意率最高")
                break
        else:
            chosen.append((child, f, "满意率最高"))
    return [
        StationLine(
            name=c.name,
            closed=f.closed,
            rated=f.rated,
            satisfaction=pct(f.satisfaction_rate),
            reason=reason,
        )
        for c, f, reason in chosen
    ]


def buckets(period: Period) -> list[tuple[str, Period]]:
    """The chart's steps: months for a period over two months, else weeks (the last one cut)."""
    out: list[tuple[str, Period]] = []
    if period.days > 62:
        start = period.start
        while start <= period.end:
            month = Period.month(start.year, start.month)
            end = min(month.end, period.end)
            out.append(
                (
                    f"{start.month}月"
                    if start.year == period.end.year
                    else f"{start.year % 100}年{start.month}月",
                    Period(start, end),
                )
            )
            start = end + timedelta(days=1)
        return out
    start = period.start
    while start <= period.end:
        end = min(start + timedelta(days=6), period.end)
        out.append((f"{start.month}.{start.day}", Period(start, end)))
        start = end + timedelta(days=1)
    return out


def _charts(target: Target, period: Period, f: Figures) -> list[Chart]:
    steps = buckets(period)
    counts = received_and_closed(target=target, period=period, spans=[p for _l, p in steps])
    trend = Chart(
        title="收集与办结（按月）" if period.days > 62 else "收集与办结（按周）",
        categories=[label for label, _p in steps],
        series=[
            ("收集意见建议", [received for received, _c in counts]),
            ("办结", [closed for _r, closed in counts]),
        ],
    )
    channels = Chart(
        title="意见建议来源渠道",
        categories=[CHANNEL_LABELS[c] for c in CHANNEL_LABELS],
        series=[("件数", [f.by_channel.get(c, 0) for c in CHANNEL_LABELS])],
    )
    return [trend, channels]


def last_month() -> Period:
    """What a briefing is about when nothing is asked: the last whole month."""
    first = timezone.localdate().replace(day=1)
    before = first - timedelta(days=1)
    return Period.month(before.year, before.month)


def briefing_for(
    *, target: Target, period: Period, topics: list[TopicLine] | None = None
) -> Briefing:
    """The briefing of a target over a period (figures as of now, like the dashboard), in
    Chinese whatever the reader's language (labels of channels and activity types too)."""
    with translation.override("zh-hans"):
        return _briefing(target=target, period=period, topics=topics)


def _briefing(*, target: Target, period: Period, topics: list[TopicLine] | None) -> Briefing:
    now = timezone.now()
    f = figures_of(target=target, period=period, now=now)
    before = figures_of(target=target, period=period.previous(), now=now)
    label = period_label(period)
    briefing = Briefing(
        title=_title(target, label),
        target_name=target.name,
        issuer=f"{_area_name(target)}人大常委会代表工作机构",
        period=period,
        period_label=label,
        issued=timezone.localdate(),
        figures=f,
        previous=before,
        headlines=_headlines(f, before),
        summary=_summary(target, period, f),
        topics=list(topics or []),
        filename=f"briefing-{target.code}-{period.start:%Y%m%d}-{period.end:%Y%m%d}",
    )
    if briefing.empty:
        return briefing
    briefing.cases = exemplary_cases(target=target, period=period)
    briefing.stations = _stations(target, period)
    briefing.activities = activity_lines(target=target, period=period)
    briefing.receptions = reception_lines(target=target, period=period)
    briefing.charts = _charts(target, period, f)
    return briefing
