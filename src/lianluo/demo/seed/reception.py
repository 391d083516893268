"""Reception: rules, holidays, the published schedule and a past record."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.utils import timezone

from lianluo.cases.reception.services import OfficialIn, reception_record_save
from lianluo.core.calendar import holidays_between
from lianluo.core.models import Congress, Department, Holiday, User
from lianluo.deputies.models import Deputy
from lianluo.stations.models import Duty, ReceptionDay, ReceptionRecord, ReceptionRule, Station
from lianluo.stations.rules import dates_of, rule_dates
from lianluo.stations.services import reception_days_generate, reception_days_publish

HOLIDAYS = [
    ("2027-01-01", "元旦"),
    ("2027-02-06", "春节"),
    ("2027-02-16", "春节"),
    ("2027-04-05", "清明节"),
    ("2027-05-01", "劳动节"),
    ("2027-10-01", "国庆节"),
]


def seed_reception(
    *,
    stations: dict,
    county_congress: Congress,
    departments: list[Department],
    actor: User,
    today: date | None = None,
) -> None:
    """Each township hub receives on 逢6 (9:00–12:00, two deputies by rotation), its
    substations weekly on Wednesdays (one deputy); the 城关 hub also lists market days (赶集日)
    on which deputies sign up. The county lists its holidays. The next 30 days are generated
    and published through the services; days already inside the lead time are published as
    they would have been a week ago (demo history), and so is a past day with its record.

    Again over a used demo: a station gets a demo rule only when it has no rule of that kind
    (a second monthly rule, a switched-off rule are the user's); generation only adds missing
    days, and only the new days of the demo's own rules are published — drafts a user keeps,
    and the days of the user's own rules, stay drafts. The past record is written once per
    hub, on a day the seed creates itself."""
    for iso, name in HOLIDAYS:
        Holiday.objects.get_or_create(
            congress=county_congress, date=date.fromisoformat(iso), defaults={"name": name}
        )
    today = today or timezone.localdate()
    horizon = today + timedelta(days=30)
    week_ago = timezone.now() - timedelta(days=7)
    market = [(today + timedelta(days=n)).isoformat() for n in range(5, 60, 5)]

    # The demo's rules as (kind, start, end) per station: how its own rules are told apart.
    demo_rules: dict[int, set[tuple[str, time, time]]] = {}

    def rule(station: Station, kind: str, values: list, start: time, end: time, **kw) -> None:
        demo_rules.setdefault(station.pk, set()).add((kind, start, end))
        # Not unique in the database: a station may have two monthly rules. Never get() one.
        if not station.rules.filter(kind=kind).exists():
            ReceptionRule.objects.create(
                station=station, kind=kind, values=values, start=start, end=end, **kw
            )

    for group in stations.values():
        hub = group[0]
        rule(hub, "month_days", [6, 16, 26], time(9), time(12), deputies_per_day=2)
        for sub in group[1:]:
            rule(sub, "weekdays", [2], time(9), time(11, 30), deputies_per_day=1)
    cg_hub = next(iter(stations.values()))[0]
    rule(cg_hub, "market_days", market, time(8), time(11), deputies_per_day=1, assignment="signup")

    for group in stations.values():
        for station in group:
            if not _days_missing(station, today, horizon):
                continue  # nothing to add (the service would still audit an empty run)
            created = reception_days_generate(
                actor=actor, station=station, start=today, end=horizon
            ).created
            ours = demo_rules.get(station.pk, set())
            drafts = list(
                ReceptionDay.objects.filter(pk__in=[d.pk for d in created])
                .select_related("station__congress", "rule")
                .order_by("date", "start")
            )
            drafts = [d for d in drafts if d.rule and (d.rule.kind, d.start, d.end) in ours]
            refused = reception_days_publish(actor=actor, days=drafts).refused
            ReceptionDay.objects.filter(pk__in=[d.pk for d, _reason in refused]).update(
                status="published", published_at=week_ago
            )

    # A past 逢6 day at each township hub, held and recorded (one with an official visit).
    for i, group in enumerate(stations.values()):
        hub = group[0]
        if ReceptionRecord.objects.filter(reception_day__station=hub).exists():
            continue
        held = max(
            rule_dates(
                kind="month_days",
                values=[6, 16, 26],
                start=today - timedelta(days=31),
                end=today - timedelta(days=1),
            )
        )
        day, made = ReceptionDay.objects.get_or_create(
            station=hub,
            date=held,
            start=time(9),
            defaults={"end": time(12), "status": "published", "published_at": week_ago},
        )
        members = list(Deputy.objects.filter(memberships__station=hub).order_by("code")[:2])
        if not made or not members:
            continue  # a day someone else made is theirs to record
        Duty.objects.bulk_create(
            [Duty(reception_day=day, deputy=d, source="rotation") for d in members]
        )
        reception_record_save(
            actor=actor,
            day=day,
            deputies_present=members,
            citizens_received=12 - 3 * i,
            summary="接待群众反映道路、供水、养老等问题，现场答复简单问题，其余登记交办。",
            officials=(
                [OfficialIn(name="王立军", title="副局长", department=departments[0])]
                if i == 0
                else []
            ),
        )


def _days_missing(station: Station, start: date, end: date) -> bool:
    """Whether generating the station's days for [start, end] would add one: a date one of its
    active rules names, not a holiday, without a day at that start time yet."""
    holidays = holidays_between(congress=station.congress, start=start, end=end)
    taken = set(
        ReceptionDay.objects.filter(station=station, date__range=(start, end)).values_list(
            "date", "start"
        )
    )
    for r in station.rules.filter(active=True):
        named = dates_of(r, start=start, end=end, skip=holidays)
        if any((d, r.start) not in taken for d in named):
            return True
    return False
