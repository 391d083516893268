"""What figures are of: a period (two local dates, both inclusive) and a target (an area with
everything below it, or one station). lianluo.insights.figures counts over them."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import CharField, F, Func, Q
from django.db.models.lookups import GreaterThanOrEqual, LessThan
from django.utils import timezone

from lianluo.core.models import Area
from lianluo.stations.models import Station


@dataclass(frozen=True)
class Period:
    """Two local dates, both inclusive."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("period ends before it starts")

    @property
    def since(self) -> datetime:
        """The first instant of the period (local midnight of its first day)."""
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:
        """The first instant after the period (local midnight after its last day)."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period before this one: the year, quarter or month before when this is a whole
        one, else as many days just before."""
        if self.is_whole_months:
            months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
            first = _add_months(self.start, -months)
            return Period(first, self.start - timedelta(days=1))
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    @property
    def is_whole_months(self) -> bool:
        last = calendar.monthrange(self.end.year, self.end.month)[1]
        return self.start.day == 1 and self.end.day == last

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))

    @classmethod
    def year_to_date(cls, today: date | None = None) -> Period:
        today = today or timezone.localdate()
        return cls(date(today.year, 1, 1), today)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Target:
    """What the figures are of: an area with everything below it, or one station."""

    area: Area | None = None
    station: Station | None = None

    def __post_init__(self) -> None:
        if (self.area is None) == (self.station is None):
            raise ValueError("a target is an area or a station")

    @property
    def code(self) -> str:
        return self.station.code if self.station else self.area.code  # type: ignore[union-attr]

    @property
    def name(self) -> str:
        return self.station.name if self.station else self.area.name  # type: ignore[union-attr]

    @property
    def path(self) -> str:
        """The area path the target lies in (a station's is its area's)."""
        return self.station.area.path if self.station else self.area.path  # type: ignore[union-attr]

    def cases(self, prefix: str = "", *, scan: bool = False) -> Q:
        """Cases (reached through `prefix`, e.g. "case__") of the target; `scan`: see
        path_below."""
        if self.station is not None:
            return Q(**{f"{prefix}station": self.station})
        assert self.area is not None
        return path_below(f"{prefix}scope_path", self.area.path, scan=scan)

    def stations(self, prefix: str = "") -> Q:
        """Rows of a model reaching a station through `prefix` (e.g. "reception_day__")."""
        if self.station is not None:
            return Q(**{f"{prefix}station": self.station})
        assert self.area is not None
        return path_below(f"{prefix}station__area__path", self.area.path)


class _Unindexed(Func):
    """`+field` (SQLite): the same value, but no index of the column serves the condition."""

    template = "+%(expressions)s"
    output_field = CharField()


def path_below(field: str, path: str, *, scan: bool = False) -> Q:
    """`field` starts with the area path "/…/". On SQLite, written as a range, which its index
    serves (its LIKE uses none): every path below "/a/b/" sorts, byte by byte, from "/a/b/" up to,
    not including, "/a/b0" ("0" follows "/"). Elsewhere a prefix match: a database's collation
    (zh_CN, en_US) may not sort "/" before "0", and a range would then miss or add areas.

    `scan` (SQLite): the same range, kept from the path's index, for an area holding most of
    the rows (a county's): SQLite's planner, without the distribution of paths, would look up
    nearly every row through the index, several times slower than reading the table, and would
    drive a join from the cases rather than from the period's events."""
    if connection.vendor == "sqlite":
        if scan:
            value = _Unindexed(F(field))
            return Q(GreaterThanOrEqual(value, path)) & Q(LessThan(value, path[:-1] + "0"))
        return Q(**{f"{field}__gte": path, f"{field}__lt": path[:-1] + "0"})
    return Q(**{f"{field}__startswith": path})
