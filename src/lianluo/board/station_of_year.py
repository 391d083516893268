"""Station of the year (人民满意代表联络站): a scorecard per station and a vote by citizens and
deputies, with the result published by staff.

Scorecard, for a station and a year, from insights.figures (one definition per figure):
reception days held, the on-time rate, the satisfaction rate, activities held, deputies'
participation, and checklist completeness (七有 items in place / 7). `score` is the mean of the
four percentages (a missing one counts as 0); the counts are shown beside it. A station where
nothing happened in the year ranks after every station where something did.

Votes: one per person per year, on the voting core: one open-electorate, pick-one `Vote` a year
(kind station_year, no congress), an option per station added when it is first voted for. A
deputy votes with their account; a citizen with the tracking code of a case they submitted at
any station, and is identified by that case's phone number (else the case), so several cases of
one person still give one vote. The register keeps only HMAC(SECRET_KEY, kind + identity +
year), and the ballot is anonymous and apart from it (voting.models): nothing links a voter to
the station they chose. Anonymous posts are throttled per address by the pages.

Publication: staff publish the result for their congress and year; that act is the audit entry
`station_year.publish` (target: the congress, data: the year), which closes the vote for the
stations of that congress's area and shows the result on the public page.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.board.errors import BoardCode
from lianluo.cases.models import Case
from lianluo.core.errors import CoreCode, DomainError, NotFound
from lianluo.core.models import AuditLog, Congress, User
from lianluo.core.scope import scope_for
from lianluo.core.services import audit_record
from lianluo.core.text import normalize_phone
from lianluo.insights.figures import Period, figures_of_stations
from lianluo.stations.models import (
    Station,
    StationChecklist,
)
from lianluo.voting import services as voting
from lianluo.voting.errors import VotingCode
from lianluo.voting.models import Kind, Method, Vote

CHECKLIST_ITEMS = 7
PUBLISH_VERB = "station_year.publish"


@dataclass
class Scorecard:
    station: Station
    year: int
    receptions: int
    on_time_pct: float | None
    satisfaction_pct: float | None
    activities: int
    checklist_pct: int
    participation_pct: float | None
    active: bool = True
    votes: int = 0

    @property
    def score(self) -> Decimal:
        """The mean of the four percentages, a missing one (no cases, no members) as 0: a
        station with no records does not outscore one that has them."""
        parts = (
            self.on_time_pct,
            self.satisfaction_pct,
            self.checklist_pct,
            self.participation_pct,
        )
        return Decimal(sum(p or 0 for p in parts) / len(parts)).quantize(Decimal("0.1"))


def scorecards(*, stations: list[Station], year: int) -> list[Scorecard]:
    """Scorecards of the stations for a year, best first (a fixed number of queries). The
    figures are insights.figures' for the year (to date, for this year); a station where
    nothing happened (no case, no reception day held, no activity) ranks after every station
    where something did, whatever its checklist."""
    today = timezone.localdate()
    period = Period(date(year, 1, 1), min(today, date(year, 12, 31)))
    if period.end < period.start:
        period = Period.year(year)
    figures = figures_of_stations(stations=stations, period=period)
    checklist = dict(
        StationChecklist.objects.filter(station__in=stations, done=True)
        .values("station_id")
        .annotate(n=Count("pk"))
        .values_list("station_id", "n")
    )
    votes = station_votes(year)
    out = []
    for s in stations:
        f = figures[s.pk]
        done = min(checklist.get(s.pk, 0), CHECKLIST_ITEMS)
        out.append(
            Scorecard(
                station=s,
                year=year,
                receptions=f.receptions,
                on_time_pct=f.on_time_rate,
                satisfaction_pct=f.satisfaction_rate,
                activities=f.activities,
                checklist_pct=round(100 * done / CHECKLIST_ITEMS),
                participation_pct=f.participation_rate,
                active=f.active,
                votes=votes.get(s.pk, 0),
            )
        )
    out.sort(key=lambda sc: (not sc.active, -sc.score, -sc.votes, sc.station.code))
    return out


# ---- votes -------------------------------------------------------------------------------------


def voter_key(kind: str, identity: str, year: int) -> str:
    message = f"{kind}:{identity}:{year}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _published_for(station: Station, year: int) -> bool:
    congress_ids = [
        c.pk
        for c in Congress.objects.select_related("area")
        if station.area.path.startswith(c.area.path)
    ]
    return AuditLog.objects.filter(
        verb=PUBLISH_VERB,
        target_type="core.congress",
        target_id__in=[str(pk) for pk in congress_ids],
        data__year=year,
    ).exists()


STATION = "stations.station"  # what a station's option stands for on the year's vote


def year_vote(year: int, *, first: voting.OptionSpec | None = None) -> Vote | None:
    """The station-of-the-year vote of a year; created (open, with the `first` station voted
    for) on the first ballot."""
    vote = Vote.objects.filter(kind=Kind.STATION_YEAR, year=year).first()
    if vote is not None or first is None:
        return vote
    try:
        with transaction.atomic():
            vote = voting.vote_create(
                actor=None,
                kind=Kind.STATION_YEAR,
                method=Method.PICK,
                congress=None,
                year=year,
                title=_("Station of the year %(year)d") % {"year": year},
                options=[first],
                open_electorate=True,
            )
            return voting.vote_open(actor=None, vote=vote)
    except IntegrityError:  # created by a concurrent first ballot
        return Vote.objects.get(kind=Kind.STATION_YEAR, year=year)


def station_votes(year: int) -> dict[int, int]:
    """Votes per station id in a year, counted from the anonymous ballots (two queries)."""
    vote = year_vote(year)
    if vote is None:
        return {}
    station_of: dict[int, int] = {
        pk: subject_id
        for pk, subject_id in vote.options.filter(subject_type=STATION).values_list(
            "pk", "subject_id"
        )
        if subject_id is not None
    }
    return {
        station_of[row.option_id]: row.counts["for"]
        for row in voting.count(vote).rows
        if row.option_id in station_of
    }


def vote_cast(
    *,
    station: Station,
    user: User | None = None,
    tracking_code: str = "",
    year: int | None = None,
) -> str:
    """Cast a vote for a station: as a deputy (signed in) or as a citizen (a case's tracking
    code). Returns the ballot's receipt. Refused when the person has already voted this year,
    for an unknown code, or once the result is published."""
    year = year or timezone.localdate().year
    if not station.active:
        raise NotFound(CoreCode.NOT_FOUND, _("No station has this code."))
    if _published_for(station, year):
        raise DomainError(
            BoardCode.VOTE_CLOSED, _("The vote of this year is closed: the result is out.")
        )
    deputy_ids = scope_for(user).deputy_ids if user is not None else frozenset()
    if deputy_ids:
        kind, identity = "deputy", str(min(deputy_ids))
    else:
        code = tracking_code.strip().upper()
        case = Case.objects.filter(tracking_code__iexact=code).first() if code else None
        if case is None:
            raise DomainError(
                BoardCode.UNKNOWN_CODE,
                _("Give the tracking code of a case you submitted."),
                field="tracking_code",
            )
        phone = normalize_phone(case.citizen_phone)
        kind, identity = "citizen", f"phone:{phone}" if phone else f"case:{case.pk}"
    spec = voting.OptionSpec(label=station.name, subject_type=STATION, subject_id=station.pk)
    vote = year_vote(year, first=spec)
    assert vote is not None
    voting.ensure_options(vote, [spec])
    option = vote.options.get(subject_type=STATION, subject_id=station.pk)
    try:
        return voting.ballot_cast_open(
            vote=vote,
            key=voter_key(kind, identity, year),
            key_kind=kind,
            marks={str(option.pk): "for"},
        )
    except DomainError as exc:
        if exc.code != VotingCode.ALREADY_VOTED:
            raise
        raise DomainError(
            BoardCode.ALREADY_VOTED, _("You have already voted this year. Thank you!")
        ) from exc


# ---- publication of the result -----------------------------------------------------------------


def result_congresses(*, viewer: User) -> list[Congress]:
    """Congresses whose result the viewer may publish (staff of their area)."""
    scope = scope_for(viewer)
    return [
        c
        for c in Congress.objects.select_related("area").order_by("area__code")
        if scope.covers_path(c.area.path, acting=True)
    ]


@transaction.atomic
def station_year_publish(*, actor: User, congress: Congress, year: int) -> AuditLog:
    """Publish the result of a congress's station of the year (once per congress and year)."""
    if not scope_for(actor).covers_path(congress.area.path, acting=True):
        raise NotFound(CoreCode.NOT_FOUND, _("No congress of yours has this number."))
    existing = AuditLog.objects.filter(
        verb=PUBLISH_VERB, target_type="core.congress", target_id=str(congress.pk), data__year=year
    ).first()
    if existing is not None:
        raise DomainError(
            BoardCode.ALREADY_PUBLISHED, _("The result of this year is already published.")
        )
    return audit_record(actor=actor, verb=PUBLISH_VERB, target=congress, data={"year": year})


def published_results(*, year: int) -> list[tuple[Congress, list[Scorecard]]]:
    """The published results of a year: per congress, its stations' scorecards and votes."""
    ids = AuditLog.objects.filter(
        verb=PUBLISH_VERB, target_type="core.congress", data__year=year
    ).values_list("target_id", flat=True)
    out = []
    for congress in Congress.objects.filter(pk__in=[int(i) for i in ids]).select_related("area"):
        stations = list(
            Station.objects.filter(active=True, area__path__startswith=congress.area.path)
            .select_related("area")
            .order_by("code")
        )
        cards = scorecards(stations=stations, year=year)
        cards.sort(key=lambda sc: (-sc.votes, -sc.score, sc.station.code))
        out.append((congress, cards))
    return out


def stations_scored(*, viewer: User) -> list[Station]:
    """Stations in the viewer's scope (staff, leaders by area; officers their own)."""
    scope = scope_for(viewer)
    qs = Station.objects.filter(active=True).select_related("area").order_by("code")
    if scope.everything:
        return list(qs)
    q = Q(pk__in=scope.station_ids)
    for path in scope.read_paths:
        q |= Q(area__path__startswith=path)
    return list(qs.filter(q))


def stations_votable() -> list[Station]:
    """The stations one may vote for (every active one; public)."""
    return list(Station.objects.filter(active=True).order_by("code"))
