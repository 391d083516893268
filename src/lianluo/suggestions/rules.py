"""A congress's rules for suggestions: time limits, reply classifications, numbering."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from lianluo.core.models import Congress
from lianluo.suggestions.models import Counter, ReplyClass, Rules, Suggestion
from lianluo.suggestions.states import DEFAULT_REPLY_CLASSES, Kind, Period


def rules_for(congress: Congress) -> Rules:
    """The congress's time limits; the national defaults when it has set none (not saved)."""
    found = Rules.objects.filter(congress=congress).first()
    return found if found is not None else Rules(congress=congress)


def reply_classes(congress: Congress) -> dict[str, bool]:
    """code -> tracked until solved: the congress's own list, else the default list (rows with
    no congress), else the national practice (A–D)."""
    rows = list(ReplyClass.objects.filter(congress=congress).values_list("code", "tracked"))
    if not rows:
        rows = list(ReplyClass.objects.filter(congress=None).values_list("code", "tracked"))
    if not rows:
        rows = [(code, tracked) for code, _label, tracked in DEFAULT_REPLY_CLASSES]
    return dict(sorted(rows))


def reply_class_labels(congress: Congress) -> list[tuple[str, str]]:
    """(code, "A 所提问题已经解决…") for choices, in the congress's list."""
    rows = list(ReplyClass.objects.filter(congress=congress).values_list("code", "label"))
    if not rows:
        rows = list(ReplyClass.objects.filter(congress=None).values_list("code", "label"))
    if not rows:
        rows = [(code, label) for code, label, _t in DEFAULT_REPLY_CLASSES]
    return [(code, f"{code} {label}") for code, label in sorted(rows)]


def series_of(item: Suggestion) -> str:
    if item.kind == Kind.IDEA:
        return "I"
    if item.kind == Kind.RESEARCH:
        return "Y"
    return "S" if item.period == Period.SESSION else "R"


def number_issue(item: Suggestion, *, when: datetime | None = None) -> str:
    """Give a filed item its number, gapless per congress, year and series (S session, R recess,
    I ideas, Y research reports): 430321-2026-R007. Call inside the filing transaction."""
    assert transaction.get_connection().in_atomic_block, "needs the caller's transaction"
    year = timezone.localdate(when or timezone.now()).year
    series = series_of(item)
    Counter.objects.bulk_create(
        [Counter(congress=item.congress, year=year, series=series, last=0)],
        ignore_conflicts=True,
    )
    counter = Counter.objects.filter(congress=item.congress, year=year, series=series)
    counter.update(last=F("last") + 1)  # takes the row lock until the transaction ends
    last = counter.values_list("last", flat=True).get()
    item.year = year
    item.number = f"{item.congress.number_prefix}-{year}-{series}{last:03d}"
    return item.number
