"""API v1 figures (a django-ninja Router mounted in api.api): the big screen's and other systems'.

`GET /stats?scope=&from=&to=` for signed-in users within their scope (403 outside it), and
`GET /public/stations/{code}/stats` with the same parameters for anyone. Both answer the figures
of lianluo.insights.figures, field for field: counts as integers, rates as percentages with one
decimal, or null when there is nothing to divide. Dates are inclusive; this year to date when
omitted.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from lianluo.api.common import Error, bearer_v1
from lianluo.core.http import ApiRequest
from lianluo.insights.figures import figures_of
from lianluo.insights.selectors import period_from, target_for, target_public

router = Router(tags=["stats"])


class StatsQuery(Schema):
    scope: str | None = Field(None, description="An area code or a station code.")
    from_: str | None = Field(None, alias="from", description="First day, YYYY-MM-DD.")
    to: str | None = Field(None, description="Last day, YYYY-MM-DD (inclusive).")


class PublicStatsQuery(Schema):
    from_: str | None = Field(None, alias="from", description="First day, YYYY-MM-DD.")
    to: str | None = Field(None, description="Last day, YYYY-MM-DD (inclusive).")


class ByChannel(Schema):
    station_qr: int
    deputy_qr: int
    reception: int
    visit: int
    staff: int


class StatsOut(Schema):
    scope: str
    from_: str = Field(..., alias="from")
    to: str
    received: int
    by_channel: ByChannel
    accepted: int
    answered_on_spot: int
    assigned: int
    escalated: int
    converted: int
    closed: int
    closed_on_time: int
    overdue: int
    rated: int
    satisfied: int
    basically_satisfied: int
    dissatisfied: int
    closure_rate: float | None
    on_time_rate: float | None
    satisfaction_rate: float | None
    citizens_received: int
    receptions: int
    activities: int
    suggestions_formed: int
    deputies: int
    deputies_active: int
    participation_rate: float | None
    cohort_accepted: int = Field(..., description="What the closure rate divides.")
    cohort_closed: int = Field(..., description="What the closure rate counts.")


@router.get(
    "/stats",
    response={200: StatsOut, 401: Error, 403: Error, 404: Error, 422: Error},
    auth=bearer_v1,
    by_alias=True,
)
def stats(request: ApiRequest, query: Query[StatsQuery]):
    """The figures of an area (with everything below it) or a station over a period."""
    target = target_for(request.auth, query.scope)
    period = period_from(query.from_, query.to)
    return figures_of(target=target, period=period).as_dict()


@router.get(
    "/public/stations/{code}/stats",
    response={200: StatsOut, 404: Error, 422: Error},
    tags=["public"],
    by_alias=True,
)
def station_stats(request: HttpRequest, code: str, query: Query[PublicStatsQuery]):
    """A station's figures over a period, for anyone (they hold no personal data)."""
    target = target_public(code)
    period = period_from(query.from_, query.to)
    return figures_of(target=target, period=period).as_dict()
