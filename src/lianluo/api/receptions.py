"""API v1: the reception records of a station (接待记录), for its liaison officers and congress
staff: a record for a day within the window of field records, and the list of a period."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from lianluo.api.common import Error, bearer
from lianluo.cases.reception.services import OfficialIn, reception_record_on
from lianluo.cases.services.record import record_past_days
from lianluo.core.errors import DomainError
from lianluo.core.http import ApiRequest
from lianluo.core.models import Department
from lianluo.deputies.models import Deputy
from lianluo.stations.models import ReceptionDay, ReceptionStatus
from lianluo.stations.selectors import station_managed_get
from lianluo.stations.services import ReceptionCode

router = Router(tags=["reception"])


class OfficialRecordIn(Schema):
    name: str
    title: str = ""
    department: str | None = None


class ReceptionRecordIn(Schema):
    date: date
    citizens: int = Field(..., ge=0)
    deputies: list[str] = []
    officials: list[OfficialRecordIn] = []
    note: str = ""


class OfficialOut(Schema):
    name: str
    title: str
    department: str | None


class ReceptionOut(Schema):
    id: int
    date: date
    start: str
    end: str
    recorded: bool
    citizens: int | None
    deputies: list[str]
    officials: list[OfficialOut]
    note: str
    cases: list[str]


class ReceptionListQuery(Schema):
    # `from` is a Python keyword: the query names it, the attribute does not.
    start: date | None = Field(None, alias="from")
    end: date | None = Field(None, alias="to")


def _reception(day: ReceptionDay) -> dict[str, Any]:
    record = getattr(day, "record", None)
    return {
        "id": day.pk,
        "date": day.date,
        "start": day.start.strftime("%H:%M"),
        "end": day.end.strftime("%H:%M"),
        "recorded": record is not None,
        "citizens": record.citizens_received if record is not None else None,
        "deputies": [d.code for d in record.deputies_present.all()] if record else [],
        "officials": [
            {
                "name": o.name,
                "title": o.title,
                "department": o.department.code if o.department else None,
            }
            for o in (record.officials.all() if record else [])
        ],
        "note": record.summary if record is not None else "",
        "cases": [c.number for c in day.cases.all()],
    }


def _days() -> Any:
    return ReceptionDay.objects.select_related("record").prefetch_related(
        "record__deputies_present", "record__officials__department", "cases"
    )


def _deputies(codes: list[str]) -> list[Deputy]:
    found = {d.code: d for d in Deputy.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise DomainError(
            ReceptionCode.INVALID_VALUE,
            _("Unknown deputy: %(codes)s.") % {"codes": ", ".join(missing)},
            field="deputies",
        )
    return [found[c] for c in dict.fromkeys(codes)]


def _officials(rows: list[OfficialRecordIn]) -> list[OfficialIn]:
    codes = {r.department for r in rows if r.department}
    departments = {d.code: d for d in Department.objects.filter(code__in=codes)}
    if codes - set(departments):
        raise DomainError(ReceptionCode.INVALID_VALUE, _("Unknown department."), field="officials")
    return [
        OfficialIn(
            name=r.name,
            title=r.title,
            department=departments[r.department] if r.department else None,
        )
        for r in rows
    ]


@router.post(
    "/stations/{code}/receptions",
    response={201: ReceptionOut, 404: Error, 422: Error},
    auth=bearer,
)
def reception_record_create(
    request: ApiRequest, code: str, payload: ReceptionRecordIn
) -> tuple[int, dict[str, Any]]:
    """Record the station's reception held on `date` (today or up to LIANLUO_RECORD_PAST_DAYS
    days back, 30 by default; later: 422 `future`, older: 422 `past`, both at `date`): the day is
    the one scheduled, or made for the record. `deputies` are codes of the station's deputies
    (or of those on duty that day; another: 422 `not_member`), each credited "reception
    attended" once. The station's cases taken at a reception that day link to it. Writing the
    same day again corrects its record. Answers the reception with its `id` (the reception
    day's, which `POST /cases` takes as `reception`)."""
    station = station_managed_get(viewer=request.auth, code=code)
    try:
        record = reception_record_on(
            actor=request.auth,
            station=station,
            on=payload.date,
            deputies_present=_deputies(payload.deputies),
            citizens_received=payload.citizens,
            summary=payload.note,
            officials=_officials(payload.officials),
        )
    except DomainError as exc:
        # The service names its own argument; this body calls it `deputies`.
        if exc.field == "deputies_present":
            exc.field = "deputies"
        raise
    return 201, _reception(_days().get(pk=record.reception_day_id))


@router.get(
    "/stations/{code}/receptions",
    response={200: list[ReceptionOut], 404: Error, 422: Error},
    auth=bearer,
)
def reception_list(
    request: ApiRequest, code: str, period: Query[ReceptionListQuery]
) -> list[dict[str, Any]]:
    """The station's reception days from `from` to `to` (by default the window of field
    records: the last LIANLUO_RECORD_PAST_DAYS days to today), cancelled days left out, each
    with its record if it has one; for the station's officers and congress staff (404 for
    anyone else). A period longer than a year is 422 `invalid_period`."""
    station = station_managed_get(viewer=request.auth, code=code)
    today = timezone.localdate()
    end = period.end or today
    start = period.start or end - timedelta(days=record_past_days())
    if start > end or (end - start).days > 366:
        raise DomainError(
            ReceptionCode.INVALID_PERIOD,
            _("Give a period of at most a year, its start before its end."),
            field="from",
        )
    days = (
        _days()
        .filter(station=station, date__range=(start, end))
        .exclude(status=ReceptionStatus.CANCELLED)
        .order_by("date", "start")
    )
    return [_reception(day) for day in days]
