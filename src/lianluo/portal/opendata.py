"""Open data: the public facts of the active stations and of the deputies, as JSON for other
systems (`/opendata/stations.json`, `/opendata/deputies.json`; no login, cacheable).

Only what the public pages already show: a station's code, name, kind, area, address, hours,
congress, public page and reception rules in words; a deputy's code, name, levels, active
stations and public page. Never a phone, an ID number, a birth year or an account. The fields
are listed here one by one (no model serialization), so a new private field on a model cannot
leak into the file. Two files rather than one: each is what one kind of consumer (a map, a
directory of deputies) fetches, and each is cached on its own."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from lianluo.core.qr import deputy_url, station_url
from lianluo.deputies.models import LEVEL_ORDER, Deputy, Level, Mandate
from lianluo.portal.selectors import rules_active
from lianluo.stations.models import Station
from lianluo.stations.selectors import station_public_list

STATION_FIELDS = (
    "code",
    "name",
    "kind",
    "kind_label",
    "area",
    "address",
    "hours",
    "congress",
    "url",
    "reception_rules",
)
DEPUTY_FIELDS = ("code", "name", "levels", "level_labels", "stations", "url")


def stations_open(*, today: date | None = None) -> dict[str, Any]:
    """Every active station (two queries)."""
    day = today or timezone.localdate()
    stations = list(station_public_list().select_related("congress"))
    rules = rules_active(stations=stations, today=day)
    return {
        "date": day.isoformat(),
        "stations": [
            {
                "code": s.code,
                "name": s.name,
                "kind": s.kind,
                "kind_label": s.get_kind_display(),
                "area": {"code": s.area.code, "name": s.area.name},
                "address": s.address,
                "hours": s.hours,
                "congress": s.congress.name,
                "url": station_url(s.code),
                "reception_rules": rules.get(s.id, []),
            }
            for s in stations
        ],
    }


def deputies_open(*, today: date | None = None) -> dict[str, Any]:
    """Every deputy with an active mandate, with their active stations (three queries)."""
    day = today or timezone.localdate()
    deputies = (
        Deputy.objects.filter(mandates__active=True)
        .distinct()
        .only("pk", "code", "name")
        .prefetch_related(
            Prefetch(
                "mandates", queryset=Mandate.objects.filter(active=True).only("deputy", "level")
            ),
            Prefetch(
                "stations",
                queryset=Station.objects.filter(active=True).order_by("code").only("code"),
            ),
        )
        .order_by("code")
    )
    out = []
    for d in deputies:
        levels = {m.level for m in d.mandates.all()}
        ordered = [v for v in LEVEL_ORDER if v in levels]
        out.append(
            {
                "code": d.code,
                "name": d.name,
                "levels": ordered,
                "level_labels": [str(Level(v).label) for v in ordered],
                "stations": [s.code for s in d.stations.all()],
                "url": deputy_url(d.code),
            }
        )
    return {"date": day.isoformat(), "deputies": out}
