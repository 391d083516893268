"""Hot topics of a target and period, computed in the background and kept (insights.models).

The cases received in the period and the one before it are grouped together by
lianluo.analysis.hot_topics (the number of topics comes from the data); a topic is kept when at
least two of its cases are of the period. Its size is its cases of the period, its growth the
difference with the period before, its places the sub-areas (for an area) or stations where its
cases of the period were received. One run per target and period: a new run replaces the old.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from lianluo.core.models import Area, Congress
from lianluo.insights.briefing.build import TopicLine
from lianluo.insights.figures import case_records
from lianluo.insights.models import Topic, TopicRun
from lianluo.insights.period import Period, Target

# The most messages one run reads (the most recent ones): the analysis is linear, its memory too.
MAX_MESSAGES = 100_000
MIN_IN_PERIOD = 2


def _place_names(target: Target, paths: set[str]) -> dict[str, str]:
    """For an area target: each case path → the name of the area just below the target (or
    the target's own name for cases of the target's own level)."""
    if target.area is None:
        return {}
    depth = len([c for c in target.area.path.split("/") if c])
    codes = {p: [c for c in p.split("/") if c] for p in paths}
    below = {c[depth] for c in codes.values() if len(c) > depth}
    names = dict(Area.objects.filter(code__in=below).values_list("code", "name"))
    return {
        p: names.get(c[depth], target.area.name) if len(c) > depth else target.area.name
        for p, c in codes.items()
    }


def topics_compute(*, target: Target, period: Period, now: datetime | None = None) -> TopicRun:
    """Analyse the target's cases of the period (and of the one before, for growth)."""
    now = now or timezone.now()
    before = period.previous()
    rows = list(
        case_records(name="received", target=target, period=Period(before.start, period.end))
        .order_by("-created_at")
        .values_list("pk", "title", "text", "created_at", "scope_path", "station__name")[
            :MAX_MESSAGES
        ]
    )
    current = {pk for pk, _t, _x, at, _p, _s in rows if at >= period.since}
    places = _place_names(target, {path for *_r, path, _s in rows})
    where = {
        pk: (station or "") if target.area is None else places.get(path, "")
        for pk, _t, _x, _a, path, station in rows
    }
    # numpy and scikit-learn load here, in the nightly job, not in every web process.
    from lianluo.analysis.topics import hot_topics

    found = hot_topics([(pk, f"{title} {text}".strip()) for pk, title, text, *_r in rows])
    kept = []
    for topic in found:
        ids = [i for i in topic.ids if i in current]
        if len(ids) >= MIN_IN_PERIOD:
            kept.append((topic, ids, len(topic.ids) - len(ids)))
    kept.sort(key=lambda k: (-len(k[1]), k[0].label))
    with transaction.atomic():
        TopicRun.objects.filter(scope=target.code, start=period.start, end=period.end).delete()
        run = TopicRun.objects.create(
            scope=target.code,
            start=period.start,
            end=period.end,
            computed_at=now,
            messages=len(current),
        )
        for rank, (topic, ids, previous) in enumerate(kept, start=1):
            counts = Counter(where[i] for i in ids if where.get(i))
            row = Topic.objects.create(
                run=run,
                rank=rank,
                label=topic.label[:200],
                keywords=list(topic.keywords),
                size=len(ids),
                previous=previous,
                places=[[name, n] for name, n in counts.most_common(5)],
            )
            row.cases.set(ids)
    return run


def topics_latest(*, target: Target, period: Period) -> TopicRun | None:
    """The kept analysis of the target and period, with its topics; None before the first run."""
    return (
        TopicRun.objects.filter(scope=target.code, start=period.start, end=period.end)
        .prefetch_related("topics")
        .first()
    )


def topics_refresh(*, today: date | None = None) -> int:
    """The nightly run: this month and this year to date, for every congress's area. Returns
    the number of runs."""
    today = today or timezone.localdate()
    periods = [Period(today.replace(day=1), today), Period(date(today.year, 1, 1), today)]
    runs = 0
    for congress in Congress.objects.select_related("area"):
        for period in periods:
            topics_compute(target=Target(area=congress.area), period=period)
            runs += 1
    return runs


def topic_lines(run: TopicRun | None, *, limit: int = 8) -> list[TopicLine]:
    """A run's topics as the briefing prints them (growth in percent; None when new)."""
    if run is None:
        return []
    return [
        TopicLine(
            label=t.label,
            keywords=list(t.keywords),
            size=t.size,
            growth=round(100 * (t.size - t.previous) / t.previous, 1) if t.previous else None,
        )
        for t in list(run.topics.all())[:limit]
    ]
