"""Working days: China's national calendar under each congress's own days.

A day is a working day, in this order:
1. by the congress's own calendar: a `core.Holiday` row of the congress, or of a congress above
   it (a county's days apply to its townships too; the nearest congress wins), says so —
   `workday=True` a make-up workday (调休上班), `workday=False` a holiday;
2. by the national calendar of the `holidays` library: a public holiday or a day off given for
   one is not, a make-up weekend workday (调休) is;
3. otherwise Monday to Friday.

The library knows the 调休 arrangement of a year once the State Council has published it and a
release carries it; for a later year it still knows the statutory holidays (with the weekday off
the law gives for one on a weekend), and for a year outside its data (before 1950) it knows
nothing and step 3 answers. Staff enter an arrangement the library does not know yet as their
congress's own days. docs/dependencies.md says why this library.

Each function loads a congress's own days once, for the stretch of dates it walks (one query),
never one query per day."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta

from lianluo.core.models import Congress, Holiday
from lianluo.core.scope import ancestor_paths

if TYPE_CHECKING:
    import holidays

# How far past the last day asked for a stretch of a congress's days is loaded: enough for the
# longest run of days off (春节, 9 days) plus a weekend, so that one query answers a call.
_SLACK = timedelta(days=31)


@lru_cache(maxsize=32)
def _national(year: int) -> holidays.HolidayBase | None:
    """The national calendar of one year (read only: `expand=False` keeps it from growing when
    asked about another year), or None where the library has no calendar for it at all."""
    import holidays  # some 11 MB: loaded by the first deadline counted, not by every process

    try:
        return holidays.country_holidays("CN", years=year, expand=False)
    except (NotImplementedError, ValueError):
        return None


def national_working_day(day: date) -> bool:
    """Whether `day` is a working day in China's national calendar (no congress's own days)."""
    calendar = _national(day.year)
    if calendar is None:
        return day.weekday() < 5
    return bool(calendar.is_working_day(day))


def congress_days(*, congress: Congress, start: date, end: date) -> dict[date, Holiday]:
    """The days in [start, end] that the congress lists in its own calendar, or that a congress
    above it lists (a county's holiday is its townships' too); where both list a day, the
    nearest congress's row wins. One query."""
    rows = (
        Holiday.objects.filter(
            congress__area__path__in=ancestor_paths(congress.area.path),
            date__range=(start, end),
        )
        .select_related("congress__area")
        .order_by("date")
    )
    found: dict[date, Holiday] = {}
    for row in rows:
        kept = found.get(row.date)
        if kept is None or len(row.congress.area.path) > len(kept.congress.area.path):
            found[row.date] = row
    return found


class _Calendar:
    """Working days for one call: the congress's own days, loaded once per stretch walked."""

    def __init__(self, congress: Congress | None, start: date, end: date) -> None:
        self.congress = congress
        self.lo, self.hi = start, end
        self.own = self._load(start, end)

    def _load(self, start: date, end: date) -> dict[date, bool]:
        if self.congress is None:
            return {}
        days = congress_days(congress=self.congress, start=start, end=end)
        return {day: row.workday for day, row in days.items()}

    def working(self, day: date) -> bool:
        if day > self.hi:
            self.own |= self._load(self.hi + timedelta(days=1), day + _SLACK)
            self.hi = day + _SLACK
        elif day < self.lo:
            self.own |= self._load(day, self.lo - timedelta(days=1))
            self.lo = day
        listed = self.own.get(day)
        return national_working_day(day) if listed is None else listed


def is_working_day(day: date, *, congress: Congress | None = None) -> bool:
    """Whether `day` is a working day for the congress (its own days, then the national
    calendar, then Monday to Friday)."""
    return _Calendar(congress, day, day).working(day)


def add_working_days(start: date, n: int, *, congress: Congress | None = None) -> date:
    """The n-th working day after `start` (`start` itself is not counted; n=0 gives `start`)."""
    if n < 0:
        raise ValueError("n must be 0 or more")
    calendar = _Calendar(congress, start, start + timedelta(days=n * 2) + _SLACK)
    day = start
    while n:
        day += timedelta(days=1)
        if calendar.working(day):
            n -= 1
    return day


def working_days_between(start: date, end: date, *, congress: Congress | None = None) -> int:
    """How many working days lie in (start, end]: 0 when `end` is not after `start`."""
    if end <= start:
        return 0
    calendar = _Calendar(congress, start + timedelta(days=1), end)
    days = (start + timedelta(days=i) for i in range(1, (end - start).days + 1))
    return sum(1 for day in days if calendar.working(day))


def add_months(start: date, months: int) -> date:
    """`start` plus calendar months, clamped to the month's end (Jan 31 + 1 month = Feb 28/29)."""
    result: date = start + relativedelta(months=months)
    return result


def next_working_day(day: date, *, congress: Congress | None = None) -> date:
    """`day` itself if it is a working day, else the first working day after it."""
    calendar = _Calendar(congress, day, day + _SLACK)
    while not calendar.working(day):
        day += timedelta(days=1)
    return day


def deadline_in_months(start: date, months: int, *, congress: Congress | None = None) -> date:
    """A deadline of whole months from `start` (a suggestion's answer: 3 months, 6 when
    difficult, 代表法 Art. 51), moved to the next working day when it falls on a day off."""
    return next_working_day(add_months(start, months), congress=congress)
