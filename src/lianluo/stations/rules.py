"""Pure functions of reception rules: which dates a rule gives, and who is on duty by rotation.

No database here (the translation of `rule_text` aside): the services load rules, holidays,
history and unavailability, and pass them in, so the calendar arithmetic and the fairness of
the rotation are tested on their own.

A day of the month that a month does not have (the 31st in November, the 29th–31st in a
February) is skipped, not moved to the month's last day: a citizen who reads "逢6" or "每月
31日" should never find deputies on a day the rule does not name.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

if TYPE_CHECKING:
    from lianluo.stations.models import ReceptionRule

MONTH_DAYS = "month_days"
WEEKDAYS = "weekdays"
MARKET_DAYS = "market_days"


class RuleValueError(ValueError):
    """The rule's values cannot be read; `args[0]` says which value and why (English)."""


def _months(start: date, end: date) -> Iterable[tuple[int, int]]:
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def rule_dates(
    *,
    kind: str,
    values: Sequence[int | str],
    start: date,
    end: date,
    valid_from: date | None = None,
    valid_until: date | None = None,
    skip: Iterable[date] = (),
) -> list[date]:
    """The dates in [start, end] that a rule names, in order, without those in `skip`
    (holidays) and outside the rule's validity."""
    lo = max(start, valid_from) if valid_from else start
    hi = min(end, valid_until) if valid_until else end
    if hi < lo:
        return []
    found: set[date] = set()
    if kind == MONTH_DAYS:
        days = {int(v) for v in values}
        for year, month in _months(lo, hi):
            last = calendar.monthrange(year, month)[1]
            # A day the month does not have is skipped (see the module docstring).
            found.update(date(year, month, d) for d in days if 1 <= d <= last)
    elif kind == WEEKDAYS:
        weekdays = {int(v) for v in values}
        day = lo
        while day <= hi:
            if day.weekday() in weekdays:
                found.add(day)
            day += timedelta(days=1)
    elif kind == MARKET_DAYS:
        found.update(date.fromisoformat(str(v)) for v in values)
    else:
        raise RuleValueError(f"unknown rule kind {kind!r}")
    excluded = set(skip)
    return sorted(d for d in found if lo <= d <= hi and d not in excluded)


def dates_of(
    rule: ReceptionRule, *, start: date, end: date, skip: Iterable[date] = ()
) -> list[date]:
    """The dates in [start, end] that a stored rule names: `rule_dates` with the rule's own kind,
    values and validity (the caller loads the rule)."""
    return rule_dates(
        kind=rule.kind,
        values=rule.values,
        start=start,
        end=end,
        valid_from=rule.valid_from,
        valid_until=rule.valid_until,
        skip=skip,
    )


def parse_month_days(text: str) -> list[int]:
    """Text like "6, 16, 26" or "6、16、26" -> [6, 16, 26]; each a day of the month 1–31."""
    days: set[int] = set()
    for part in _split(text):
        if not part.isdigit() or not 1 <= int(part) <= 31:
            raise RuleValueError(part)
        days.add(int(part))
    if not days:
        raise RuleValueError("")
    return sorted(days)


def parse_market_days(text: str) -> list[str]:
    """Dates as YYYY-MM-DD separated by commas, spaces or new lines -> sorted ISO strings."""
    dates: set[date] = set()
    for part in _split(text):
        try:
            dates.add(date.fromisoformat(part))
        except ValueError as exc:
            raise RuleValueError(part) from exc
    if not dates:
        raise RuleValueError("")
    return [d.isoformat() for d in sorted(dates)]


def _split(text: str) -> list[str]:
    for sep in ("，", "、", "；", ";", "\n", "\r", "\t", " "):
        text = text.replace(sep, ",")
    return [p.strip() for p in text.split(",") if p.strip()]


# ---- a rule in words ----------------------------------------------------------------------------

# Translators: the weekday of a weekly reception rule, after "every" (每周三): 周一 … 周日
_WEEKDAY_NAMES = (
    pgettext_lazy("weekly rule", "Monday"),
    pgettext_lazy("weekly rule", "Tuesday"),
    pgettext_lazy("weekly rule", "Wednesday"),
    pgettext_lazy("weekly rule", "Thursday"),
    pgettext_lazy("weekly rule", "Friday"),
    pgettext_lazy("weekly rule", "Saturday"),
    pgettext_lazy("weekly rule", "Sunday"),
)


def rule_text(rule: ReceptionRule) -> str:
    """The rule itself in words, never a date: 逢6, 每月28日, 每周三, 逢集日 (in English: days
    ending in 6 each month, day 28 of each month, every Wednesday, on market days). What a
    printed notice says: it stays true as long as the rule does (the dates are online)."""
    sep = pgettext("list separator", ", ")
    values = list(rule.values or [])
    if rule.kind == MONTH_DAYS:
        days = sorted({int(v) for v in values})
        if len(days) == 3 and days[0] < 10 and days == [days[0], days[0] + 10, days[0] + 20]:
            # Translators: a reception rule on the 6th, 16th and 26th: 逢%(digit)s
            return _("days ending in %(digit)s each month") % {"digit": days[0]}
        # Translators: a reception rule on fixed days of the month: 每月%(days)s日
        return _("day %(days)s of each month") % {"days": sep.join(str(d) for d in days)}
    if rule.kind == WEEKDAYS:
        names = [str(_WEEKDAY_NAMES[d]) for d in sorted({int(v) for v in values}) if 0 <= d < 7]
        # Translators: a weekly reception rule: 每%(weekdays)s (每周三)
        return pgettext("weekly rule", "every %(weekdays)s") % {"weekdays": sep.join(names)}
    # Translators: 逢集日 (market days), when no date is listed ahead
    return _("on market days")


@dataclass(frozen=True)
class Slot:
    """One reception day to staff: `key` identifies it to the caller."""

    key: Hashable
    day: date
    needed: int


def rotate(
    *,
    slots: Sequence[Slot],
    deputies: Sequence[int],
    counts: dict[int, int] | None = None,
    last: dict[int, date] | None = None,
    unavailable: Callable[[int, date], bool] = lambda _deputy, _day: False,
) -> dict[Hashable, list[int]]:
    """Fair round-robin: each slot, in date order, gets the available deputies who have had the
    fewest duties so far (`counts`: the whole history), then the longest since their last duty,
    then the order of `deputies`. Counts never differ by more than one among deputies who were
    always available. A slot with too few available deputies gets those there are."""
    counts = {d: (counts or {}).get(d, 0) for d in deputies}
    last = dict(last or {})
    position = {d: i for i, d in enumerate(deputies)}
    result: dict[Hashable, list[int]] = {}
    for slot in sorted(slots, key=lambda s: s.day):
        free = [d for d in deputies if not unavailable(d, slot.day)]
        free.sort(key=lambda d: (counts[d], last.get(d, date.min), position[d]))
        chosen = free[: slot.needed]
        for d in chosen:
            counts[d] += 1
            last[d] = slot.day
        result[slot.key] = chosen
    return result
