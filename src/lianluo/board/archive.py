"""A deputy's archive for a year (履职档案): what the archive page, the API and the duty report
show. It reads the ledger and the records of every app a deputy works in (receptions,
activities, cases, suggestions, families), so it lives on the board's floor; who may see it is the
ledger's rule (`lianluo.duty.selectors.deputy_get`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.activities.models import Signup
from lianluo.cases.models import Case
from lianluo.core.models import User
from lianluo.core.selectors import first_or_not_found
from lianluo.deputies.models import Deputy, Mandate
from lianluo.duty.models import Pairing, PointEntry, SupportRecord
from lianluo.duty.selectors import (
    ItemTotal,
    deputy_get,
    ledger_entries,
    ledger_notable,
    ledger_year,
    ledger_years,
)
from lianluo.stations.models import Duty, ReceptionRecord, Station
from lianluo.suggestions.models import Suggestion


@dataclass
class ReceptionLine:
    date: date
    station: str
    state: str  # "present", "absent", "scheduled"
    citizens: int | None = None


@dataclass
class Archive:
    """Everything a deputy did in a year, as the archive page, the API and the report show it."""

    deputy: Deputy
    year: int
    years: list[int]
    levels: list[str]
    mandates: list[Mandate]
    stations: list[Station]
    points_total: Decimal
    by_item: list[ItemTotal]
    entries: list[PointEntry]  # newest first: all of the year, or the latest `limit`
    entries_count: int  # entries of the year, every status
    duty_reported: PointEntry | None  # the entry crediting the duty report (述职), not reversed
    pending_count: int
    receptions: list[ReceptionLine]
    activities: list[Any]  # Signup with activity and station
    cases: list[Any]
    suggestions: list[Any]
    ideas: list[PointEntry]
    families: list[Any]  # Pairing with family
    support: list[Any]  # SupportRecord with family
    counts: dict[str, int] = field(default_factory=dict)


def archive_for(*, viewer: User, deputy_code: str, year: int, limit: int | None = None) -> Archive:
    """A deputy's archive for a year (NotFound for anyone who may not see it): mandates and
    stations; points total and by item (counted entries only, added up in SQL); every entry of
    the year (or the `limit` latest) with its source and status; receptions (on duty or
    present), activities checked in, cases they were responsible for, suggestions, ideas,
    supported families and support given. A fixed number of queries whatever the size of the
    year."""
    deputy = deputy_get(viewer=viewer, code=deputy_code)
    mandates = sorted(
        (m for m in deputy.mandates.all() if m.active),
        key=lambda m: ["national", "provincial", "city", "county", "township"].index(m.level),
    )
    stations = [
        m.station for m in sorted(deputy.memberships.all(), key=lambda m: (not m.primary, m.pk))
    ]
    entries = ledger_entries(deputy=deputy, year=year, limit=limit)
    ledger = ledger_year(deputy=deputy, year=year)
    ideas, duty_reported = ledger_notable(deputy=deputy, year=year)
    years = sorted(
        ledger_years(deputy=deputy) | {year, timezone.localdate().year},
        reverse=True,
    )

    # Receptions: days on duty and days present (a deputy may come without being on duty).
    records = {
        r.reception_day_id: r
        for r in ReceptionRecord.objects.filter(
            deputies_present=deputy, reception_day__date__year=year
        ).select_related("reception_day__station")
    }
    duties = list(
        Duty.objects.filter(deputy=deputy, reception_day__date__year=year)
        .exclude(reception_day__status="cancelled")
        .select_related("reception_day__station", "reception_day__record")
    )
    lines: dict[int, ReceptionLine] = {}
    for r in records.values():
        day = r.reception_day
        lines[day.pk] = ReceptionLine(day.date, day.station.name, "present", r.citizens_received)
    for duty in duties:
        day = duty.reception_day
        if day.pk in lines:
            continue
        recorded = hasattr(day, "record")
        lines[day.pk] = ReceptionLine(
            day.date, day.station.name, "absent" if recorded else "scheduled"
        )
    receptions = sorted(lines.values(), key=lambda x: x.date, reverse=True)

    activities = list(
        Signup.objects.filter(
            deputy=deputy, checked_in_at__isnull=False, activity__start__year=year
        )
        .select_related("activity__station")
        .order_by("-activity__start")
    )
    cases = list(
        Case.objects.filter(responsible_deputy=deputy, created_at__year=year)
        .select_related("station")
        .order_by("-created_at")
    )
    # Their suggestions as lead deputy, and those they co-signed (confirmed): both count.
    suggestions = list(
        Suggestion.objects.filter(
            Q(deputy=deputy) | Q(signers__deputy=deputy, signers__confirmed_at__isnull=False),
            created_at__year=year,
        )
        .distinct()
        .order_by("-created_at")
    )
    families = list(
        Pairing.objects.filter(deputy=deputy)
        .filter(Q(end__isnull=True) | Q(end__year__gte=year), start__year__lte=year)
        .select_related("family")
        .order_by("start")
    )
    support = list(
        SupportRecord.objects.filter(deputy=deputy, date__year=year)
        .select_related("family")
        .order_by("-date")
    )
    return Archive(
        deputy=deputy,
        year=year,
        years=years,
        levels=[str(m.get_level_display()) for m in mandates],
        mandates=mandates,
        stations=stations,
        points_total=ledger.points_total,
        by_item=ledger.by_item,
        entries=entries,
        entries_count=ledger.entries_count,
        duty_reported=duty_reported,
        pending_count=ledger.pending_count,
        receptions=receptions,
        activities=activities,
        cases=cases,
        suggestions=suggestions,
        ideas=ideas,
        families=families,
        support=support,
        counts={
            "receptions": sum(1 for r in receptions if r.state == "present"),
            "activities": len(activities),
            "cases": len(cases),
            "cases_closed": sum(1 for c in cases if c.status == "closed"),
            "suggestions": len(suggestions),
            "ideas": len(ideas),
            "families": len(families),
            "support": len(support),
        },
    )


def archive_suggestion_get(*, deputy: Deputy, pk: int) -> Suggestion:
    """A suggestion of the deputy, as listed in their archive; otherwise NotFound."""
    return first_or_not_found(
        Suggestion.objects.filter(pk=pk, deputy=deputy), _("Suggestion not found.")
    )
