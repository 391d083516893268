"""API v1 endpoints of the public board (a django-ninja Router mounted in api.api): the ranking
now published for a station (阳光栏), with its period and objection deadline. Public."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema

from lianluo.api.common import Error
from lianluo.board.publications import board_for_station, objection_open
from lianluo.core.errors import CoreCode, NotFound
from lianluo.stations.selectors import station_active_by_code

router = Router(tags=["board"])


class Period(Schema):
    start: date
    end: date


class RankOut(Schema):
    rank: int
    deputy: str
    name: str
    points: float


class BoardOut(Schema):
    title: str
    station: str | None
    congress: str
    period: Period
    published_at: datetime
    objection_deadline: datetime
    objection_open: bool
    visible_until: date
    ranking: list[RankOut]


@router.get("/public/stations/{code}/board", response={200: BoardOut, 404: Error}, tags=["public"])
def station_board(request: HttpRequest, code: str):
    """The ranking published on the station's public board (its own, else its congress's),
    while shown; 404 when nothing is published."""
    station = station_active_by_code(code)
    publication = board_for_station(station=station) if station else None
    if publication is None:
        raise NotFound(CoreCode.NOT_FOUND, _("Nothing is published on this board."))
    return {
        "title": publication.title,
        "station": publication.station.code if publication.station else None,
        "congress": publication.congress.name,
        "period": {"start": publication.period_start, "end": publication.period_end},
        "published_at": timezone.localtime(publication.published_at),
        "objection_deadline": timezone.localtime(publication.objection_deadline),
        "objection_open": objection_open(publication),
        "visible_until": publication.visible_until,
        "ranking": [
            {
                "rank": row["rank"],
                "deputy": row["deputy"],
                "name": row["name"],
                "points": float(row["points"]),
            }
            for row in publication.ranking
        ],
    }
