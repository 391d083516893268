"""What the dashboard shows, as plain data for its templates: the period presets, each figure
beside the previous period's value and the change, the links to the records behind each figure,
the breadcrumb and the drill-down rows. Every number comes from insights.figures (and
insights.breakdowns); this module only arranges them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianluo.core.models import Area, User
from lianluo.insights.figures import DEFINITIONS, RATES, Figures, Period, Target, figures_of
from lianluo.insights.selectors import may_see

PRESETS: tuple[tuple[str, Any], ...] = (
    ("this_month", gettext_lazy("This month")),
    ("last_month", gettext_lazy("Last month")),
    ("this_quarter", gettext_lazy("This quarter")),
    ("this_year", gettext_lazy("This year")),
    ("last_year", gettext_lazy("Last year")),
    ("custom", gettext_lazy("Chosen dates")),
)


def preset_period(name: str, today: date) -> Period | None:
    """The period of a preset (whole months, so the previous period is the month, quarter or
    year before); None for "custom" or an unknown name."""
    if name == "this_month":
        return Period.month(today.year, today.month)
    if name == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return Period.month(last.year, last.month)
    if name == "this_quarter":
        first = 3 * ((today.month - 1) // 3) + 1
        end = Period.month(today.year, first + 2).end
        return Period(date(today.year, first, 1), end)
    if name == "this_year":
        return Period.year(today.year)
    if name == "last_year":
        return Period.year(today.year - 1)
    return None


# The figures the dashboard shows, by section: (name, comparable with the previous period).
CASE_ROWS = (
    "received",
    "accepted",
    "answered_on_spot",
    "assigned",
    "escalated",
    "converted",
    "closed",
    "overdue",
)
CHANNEL_ROWS = tuple(n for n in DEFINITIONS if n.startswith("channel_"))
RATING_ROWS = ("rated", "satisfied", "basically_satisfied", "dissatisfied")
WORK_ROWS = ("receptions", "citizens_received", "activities", "deputies", "deputies_active")
RATE_ROWS = ("closure_rate", "on_time_rate", "satisfaction_rate", "participation_rate")
NOT_COMPARED = {"overdue", "deputies"}  # a figure of today, not of the period


def value_of(figures: Figures, name: str) -> int | float | None:
    if name.startswith("channel_"):
        return figures.by_channel.get(name.removeprefix("channel_"), 0)
    if name == "satisfied_all":
        return figures.satisfied + figures.basically_satisfied
    value: int | float | None = getattr(figures, name)
    return value


def show_rate(value: float | None) -> str:
    """A rate as the page writes it: "87.5 %", or "—" when there was nothing to divide."""
    return "—" if value is None else f"{number_format(value, 1)} %"


@dataclass
class Row:
    name: str
    label: str
    value: int | float | None
    shown: str
    previous_shown: str
    change: str  # the change in words, e.g. "up 3"
    arrow: str  # ▲ ▼ = or "" (decoration: the words say it)
    direction: str  # "up", "down", "same", "" (a CSS class)
    href: str
    definition: str
    part: str = ""  # a rate's "7 of 8"


def change_of(now: int | float | None, before: int | float | None, *, rate: bool) -> tuple:
    """(words, arrow, direction) of the change from the previous period."""
    if now is None or before is None:
        return _("no comparison"), "", ""
    diff = round(now - before, 1) if rate else now - before
    shown = number_format(abs(diff), 1 if rate else 0)
    if diff > 0:
        words = _("up %(n)s points") if rate else _("up %(n)s")
        return words % {"n": shown}, "▲", "up"
    if diff < 0:
        words = _("down %(n)s points") if rate else _("down %(n)s")
        return words % {"n": shown}, "▼", "down"
    return _("no change"), "=", "same"


class Board:
    """The figures of a target over a period and the period before, arranged for the page."""

    def __init__(self, *, target: Target, period: Period) -> None:
        self.target = target
        self.period = period
        self.previous = period.previous()
        self.now = figures_of(target=target, period=period)
        self.before = figures_of(target=target, period=self.previous)

    def records_url(self, figure: str, **more: str) -> str:
        query = {
            "figure": figure,
            "scope": self.target.code,
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            **more,
        }
        return f"{reverse('insights:records')}?{urlencode(query)}"

    def row(self, name: str) -> Row:
        if name in RATES:
            return self._rate_row(name)
        now, before = value_of(self.now, name), value_of(self.before, name)
        compared = name not in NOT_COMPARED
        change = change_of(now, before, rate=False) if compared else ("", "", "")
        d = DEFINITIONS[name]
        return Row(
            name=name,
            label=str(d.label),
            value=now,
            shown=number_format(now or 0),
            previous_shown=number_format(before or 0) if compared else "",
            change=change[0],
            arrow=change[1],
            direction=change[2],
            href=self.records_url(name),
            definition=str(d.text),
        )

    def _rate_row(self, name: str) -> Row:
        part, whole, label, text = RATES[name]
        now, before = value_of(self.now, name), value_of(self.before, name)
        words, arrow, direction = change_of(now, before, rate=True)
        return Row(
            name=name,
            label=str(label),
            value=now,
            shown=show_rate(now),  # type: ignore[arg-type]
            previous_shown=show_rate(before),  # type: ignore[arg-type]
            change=words,
            arrow=arrow,
            direction=direction,
            href=self.records_url(whole),
            definition=str(text),
            part=_("%(part)s of %(whole)s")
            % {"part": value_of(self.now, part), "whole": value_of(self.now, whole)},
        )

    def rows(self, names: tuple[str, ...]) -> list[Row]:
        return [self.row(n) for n in names]


def breadcrumb(viewer: User, target: Target) -> list[Target]:
    """The areas above the target the viewer may see, from their top down (the target last)."""
    chain: list[Target] = []
    area: Area | None = target.station.area if target.station else target.area
    if target.station is None and area is not None:
        area = area.parent
    while area is not None and may_see(viewer, Target(area=area)):
        chain.append(Target(area=area))
        area = area.parent
    return [*reversed(chain), target]


def dashboard_url(target: Target, period: Period, preset: str = "") -> str:
    query = {"scope": target.code}
    if preset and preset != "custom":
        query["period"] = preset
    else:
        query.update(from_=period.start.isoformat(), to=period.end.isoformat())
        query["from"] = query.pop("from_")
    return f"{reverse('insights:dashboard')}?{urlencode(query)}"
