"""Public calendar feeds (iCalendar) of a station's reception days and of a deputy's duties."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control

from lianluo.deputies.selectors import deputy_public_get
from lianluo.stations import ics
from lianluo.stations.selectors import station_public_get


@cache_control(public=True, max_age=300)
def station_ics(request: HttpRequest, code: str) -> HttpResponse:
    return ics.feed_response(station=station_public_get(code=code))


@cache_control(public=True, max_age=300)
def deputy_ics(request: HttpRequest, code: str) -> HttpResponse:
    return ics.feed_response(deputy=deputy_public_get(code=code))
