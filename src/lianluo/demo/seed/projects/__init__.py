"""Livelihood projects (民生实事项目) in the demo, built through the projects and voting services
as the county's staff, deputies, departments and citizens would:

- the county congress's year before (Y-1): voted at its session, implemented, completed, rated
  in the year-end satisfaction vote; one graded 不满意, its rectification list written, reported
  to the standing committee and carried into year Y;
- year Y: the slate (8 candidates, 6 to approve) voted at the session, now in implementation:
  plans, milestones, progress with photos, supervision groups, the cadence kept but for one
  recent step (the red flag);
- year Y+1: the collection window open, proposals from citizens, a deputy, a department and a
  case, two merged, some filed into the pool;
- the township 城关镇's coming session: the slate and its vote prepared (the register filled,
  not opened), for a visitor to run in the browser (`township_session`).

The years follow `today` (see `demo_years`), so the story holds on any date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lianluo.core.models import Congress
from lianluo.demo.seed.base import demo_today
from lianluo.demo.seed.projects.build import (
    build_collection,
    build_past_year,
    build_township_session,
    build_year,
)
from lianluo.projects.models import Project, Slate
from lianluo.voting.models import Status, Vote
from lianluo.voting.services import entitled_deputies

# The county's congress opens its session on this day of January (the township's a few days
# before). A session's year is "current" from the day after it.
SESSION_MONTH_DAY = (1, 18)


def session_day(year: int) -> date:
    return date(year, *SESSION_MONTH_DAY)


@dataclass(frozen=True)
class Years:
    """The demo's years around `today`: `current` (Y) is the year of the latest county session
    held before today, its projects in implementation; `past` (Y-1) is rated; `next` (Y+1) is
    in collection, and its session (the township's too) is still ahead. So from 1 to 18 January
    Y is last year (this year's session has not opened yet), from the 19th on it is this year."""

    today: date

    @property
    def current(self) -> int:
        year = self.today.year
        return year if self.today > session_day(year) else year - 1

    @property
    def past(self) -> int:
        return self.current - 1

    @property
    def next(self) -> int:
        return self.current + 1


def demo_years(today: date) -> Years:
    return Years(today)


def seed_projects(ctx: dict) -> None:
    """Once, when no project exists (a re-run adds nothing)."""
    if Project.objects.exists():
        return
    today = demo_today(ctx)
    years = demo_years(today)
    county = ctx["county_congress"]
    build_past_year(ctx, county, years.past, session=session_day(years.past))
    build_year(ctx, county, years.current, session=session_day(years.current), today=today)
    build_collection(ctx, county, years.next, today=today)
    build_township_session(ctx, _township(ctx), years.next, today=today)


def _township(ctx: dict) -> Congress:
    return Congress.objects.get(area=ctx["townships"][0])


@dataclass(frozen=True)
class TownshipSession:
    """The demo's vote to run in the browser: the vote and the deputies' logins that can cast
    a ballot on their phones."""

    vote: Vote
    logins: list[str]


def township_session(*, logins: int = 3) -> TownshipSession | None:
    """The township's session vote still to run (being prepared or open), with the logins of a
    few of its deputies (the seed makes three). None once it is closed or when there is none."""
    slate = (
        Slate.objects.filter(vote__status__in=[Status.DRAFT, Status.OPEN])
        .exclude(congress__area__level="county")
        .select_related("vote", "congress")
        .order_by("-year", "pk")
        .first()
    )
    if slate is None or slate.vote is None:
        return None
    names = []
    for deputy in entitled_deputies(slate.congress):
        if deputy.user is not None and deputy.user.is_active:
            names.append(deputy.user.username)
        if len(names) >= logins:
            break
    return TownshipSession(vote=slate.vote, logins=names)


__all__ = ["Years", "demo_years", "seed_projects", "session_day", "township_session"]
