"""The supervision cadence (一月一视察、一季一调度、半年一报告、一年一测评) as periods and steps.

Each step of the cadence has one period per month ("2027-03"), quarter ("2027-Q1"), half-year
("2027-H1") or year ("2027"). A project's plan runs from `starts_on` to `ends_on`: every period
that overlaps it is expected once (one `Record` per project, step and period). A period not
recorded is *due* from its first day, and *missed* once it has ended and `GRACE_DAYS` more have
passed (the group needs a few days to write the record of the last meeting).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from lianluo.projects.models import Cadence, Project, Record

GRACE_DAYS = 10  # a step is missed this many days after its period ends without a record

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_HALF = re.compile(r"^(\d{4})-H([12])$")
_YEAR = re.compile(r"^(\d{4})$")

ORDER = [Cadence.INSPECTION, Cadence.DISPATCH, Cadence.REPORT, Cadence.EVALUATION]


def _month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def period_of(cadence: str, day: date) -> str:
    """The period of a step that contains `day`."""
    if cadence == Cadence.INSPECTION:
        return f"{day.year}-{day.month:02d}"
    if cadence == Cadence.DISPATCH:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if cadence == Cadence.REPORT:
        return f"{day.year}-H{1 if day.month <= 6 else 2}"
    return str(day.year)


def period_span(cadence: str, period: str) -> tuple[date, date] | None:
    """The first and last day of a period, or None when it is not a period of this step."""
    m = None
    if cadence == Cadence.INSPECTION and (m := _MONTH.match(period)):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            return None
        return date(year, month, 1), _month_end(year, month)
    if cadence == Cadence.DISPATCH and (m := _QUARTER.match(period)):
        year, q = int(m[1]), int(m[2])
        return date(year, 3 * q - 2, 1), _month_end(year, 3 * q)
    if cadence == Cadence.REPORT and (m := _HALF.match(period)):
        year, h = int(m[1]), int(m[2])
        return date(year, 6 * h - 5, 1), _month_end(year, 6 * h)
    if cadence == Cadence.EVALUATION and (m := _YEAR.match(period)):
        year = int(m[1])
        return date(year, 1, 1), date(year, 12, 31)
    return None


def periods_between(cadence: str, start: date, end: date) -> list[str]:
    """Every period of a step that overlaps [start, end], in order."""
    out: list[str] = []
    day = start
    while day <= end:
        period = period_of(cadence, day)
        out.append(period)
        span = period_span(cadence, period)
        assert span is not None
        day = span[1] + timedelta(days=1)
    return out


@dataclass(frozen=True)
class Step:
    """One expected step of a project's cadence and where it stands on a given day."""

    cadence: str
    period: str
    starts: date
    ends: date
    record: Record | None
    state: str  # "done", "upcoming" (not begun), "due" (under way or in grace), "missed"

    @property
    def missed(self) -> bool:
        return self.state == "missed"

    @property
    def due_by(self) -> date:
        return self.ends + timedelta(days=GRACE_DAYS)

    @property
    def label(self) -> str:
        return str(Cadence(self.cadence).label)


def cadence_table(project: Project, *, on: date, records: list[Record] | None = None) -> list[Step]:
    """Every step the project's plan calls for, each with its record (if any) and its state on
    `on`. Empty without a plan."""
    plan = getattr(project, "plan", None) if project.pk else None
    if plan is None:
        return []
    if records is None:
        records = list(project.records.prefetch_related("attendees"))
    done = {(r.cadence, r.period): r for r in records}
    steps: list[Step] = []
    for cadence in ORDER:
        for period in periods_between(cadence, plan.starts_on, plan.ends_on):
            span = period_span(cadence, period)
            assert span is not None
            record = done.get((cadence, period))
            if record is not None:
                state = "done"
            elif on < span[0]:
                state = "upcoming"
            elif on > span[1] + timedelta(days=GRACE_DAYS):
                state = "missed"
            else:
                state = "due"
            steps.append(Step(cadence, period, span[0], span[1], record, state))
    return steps


def steps_due(project: Project, *, on: date) -> list[Step]:
    """The periods begun by `on` and not recorded: under way, in their grace, or missed."""
    return [s for s in cadence_table(project, on=on) if s.state in ("due", "missed")]


def steps_missed(project: Project, *, on: date) -> list[Step]:
    return [s for s in cadence_table(project, on=on) if s.state == "missed"]
