"""The figures, against hand-counted fixtures and against a plain count over the ledger.

One township station (城关 hub) and one station of another township live through February to
April 2027: cases that cross the period's edges, a reopened case, an escalated one, a declined
one, two converted into one suggestion, reception days with and without their record, an
activity. Every figure of March is counted by hand below; then every figure of every target
(county, township, station) and period is compared with a count written in plain Python over
the rows and their events.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from lianluo.activities.services import activity_record
from lianluo.cases.models import Case, CaseEvent
from lianluo.cases.reception.services import reception_record_save
from lianluo.cases.states import AWAITING_ANSWER, Channel
from lianluo.core.models import User
from lianluo.insights.figures import (
    Figures,
    Period,
    Target,
    case_records,
    figures_of,
    figures_of_areas,
    figures_of_stations,
    figures_of_targets,
    rate,
)
from lianluo.stations.models import ReceptionDay, ReceptionRecord, StationMembership
from tests.factories.activities import activity_make
from tests.factories.cases import case_walk, make_case

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2027, 6, 1, 10, tzinfo=SH)
MARCH = Period.month(2027, 3)

ANSWER = ("answer", {"text": "已答复"})
FOLLOW = ("follow_up", {"method": "phone", "note": "回访"})
CLOSE = "close"


def on(day: str, hour: int = 10):
    return time_machine.travel(
        datetime.combine(date.fromisoformat(day), time(hour), tzinfo=SH), tick=False
    )


def accept(triage: str = "general", **more):
    return ("accept", {"triage": triage, **more})


def rate_(rating: str):
    return ("rate", {"rating": rating})


@pytest.fixture
def demo(demo_shared):
    return demo_shared


@pytest.fixture(scope="module")
def _world(_demo_per_module, django_db_blocker):
    """Built once for the module, inside its demo's transaction (the tests only read)."""
    with django_db_blocker.unblock():
        yield build(_demo_per_module, User.objects.get(username="staff"))


@pytest.fixture
def world(_world, db):
    return _world


def build(demo, staff):
    s1 = demo["cg_hub"]
    s2 = demo["stations"][demo["townships"][1].code][0]
    deputy = demo["deputy"]

    def case(day: str, *steps, station=s1, **fields) -> Case:
        with on(day):
            return make_case(station=station, text=f"{day} 的事", **fields)

    def walk(c: Case, day: str, *steps, hour: int = 10) -> Case:
        with on(day, hour):
            return case_walk(Case.objects.get(pk=c.pk), *steps, actor=staff)

    cases = {}
    # crosses into March: received in February, closed in March, satisfied
    c = cases["feb"] = case("2027-02-25")
    walk(c, "2027-02-26", accept())
    walk(c, "2027-03-05", ANSWER, FOLLOW)
    walk(c, "2027-03-06", rate_("satisfied"), CLOSE)
    # all in March, answered on the spot, basically satisfied
    c = cases["spot"] = case("2027-03-10", channel=Channel.STATION_QR)
    walk(c, "2027-03-10", accept("simple"), ("answer_on_spot", {"text": "当场答复"}))
    walk(c, "2027-03-11", FOLLOW, rate_("basically_satisfied"), CLOSE)
    # received late in March at the other township, assigned and closed in April
    c = cases["april"] = case("2027-03-30", station=s2)
    walk(c, "2027-03-31", accept())
    walk(c, "2027-04-02", ("assign", {"department": demo["departments"][0]}))
    walk(c, "2027-04-10", ANSWER, FOLLOW, rate_("satisfied"), CLOSE)
    # reopened after a dissatisfied rating, assigned, answered again, closed satisfied
    c = cases["reopened"] = case("2027-03-15")
    walk(c, "2027-03-15", accept())
    walk(c, "2027-03-16", ANSWER, FOLLOW, rate_("dissatisfied"))
    walk(c, "2027-03-18", ("assign", {"department": demo["departments"][0]}))
    walk(c, "2027-03-20", ANSWER, FOLLOW, rate_("satisfied"), CLOSE)
    # escalated to the county: its copy upstairs is the same matter
    c = cases["escalated"] = case("2027-03-12")
    walk(c, "2027-03-12", accept())
    walk(c, "2027-03-13", ("escalate", {"reason": "涉及全县"}))
    # declined at the other township
    c = cases["declined"] = case("2027-03-05", station=s2)
    walk(c, "2027-03-06", ("decline", {"reason": "不属于受理范围"}))
    # accepted and never answered: overdue by June
    c = cases["overdue"] = case("2027-03-08", channel=Channel.RECEPTION)
    walk(c, "2027-03-08", accept())
    # two cases carried by one suggestion
    c = cases["convert1"] = case("2027-03-20", channel=Channel.VISIT)
    walk(c, "2027-03-20", accept(deputy=deputy))
    walk(c, "2027-03-21", ("convert", {}))
    suggestion = Case.objects.get(pk=c.pk).suggestion
    c = cases["convert2"] = case("2027-03-22", channel=Channel.VISIT)
    walk(c, "2027-03-22", accept(deputy=deputy), ("convert", {"suggestion": suggestion}))
    # received in April only
    cases["later"] = case("2027-04-03")
    # answered late: deadline passed before the answer (closed in April, not on time)
    c = cases["late"] = case("2027-02-01")
    walk(c, "2027-02-01", accept())
    walk(c, "2027-04-20", ANSWER, FOLLOW, rate_("dissatisfied"))
    walk(c, "2027-04-21", ANSWER, FOLLOW, rate_("dissatisfied"), CLOSE)

    # reception days: one held in March (its record), one not recorded, one held in April
    members = list(StationMembership.objects.filter(station=s1).select_related("deputy"))
    present = [m.deputy for m in members[:2]]
    days = {}
    for key, station, day in (
        ("march", s1, date(2027, 3, 16)),
        ("unrecorded", s1, date(2027, 3, 26)),
        ("april", s2, date(2027, 4, 6)),
    ):
        days[key] = ReceptionDay.objects.create(
            station=station, date=day, start=time(9), end=time(12), status="published"
        )
    with on("2027-03-16", 15):
        reception_record_save(
            actor=staff, day=days["march"], deputies_present=present, citizens_received=12
        )
    with on("2027-04-06", 15):
        reception_record_save(
            actor=staff, day=days["april"], deputies_present=[], citizens_received=5
        )
    # an activity of the hub held in March, one member checked in
    third = members[2].deputy
    with on("2027-03-01"):
        activity = activity_make(actor=staff, station=s1, starts_in=timedelta(days=19))
    with on("2027-03-21"):
        activity_record(actor=staff, activity=activity, attended=[third], summary="座谈纪要")
    return {"s1": s1, "s2": s2, "cases": cases, "suggestion": suggestion, "present": present}


def test_march_counted_by_hand(world, demo):
    county = Target(area=demo["county"])
    with time_machine.travel(NOW, tick=False):
        f = figures_of(target=county, period=MARCH)
    # received in March: spot, april, reopened, escalated, declined, overdue, convert1, convert2
    # (the escalated case's copy at the county is not received again)
    assert f.received == 8
    assert f.by_channel == {
        "station_qr": 5,  # make_case's default channel, and the one named
        "deputy_qr": 0,
        "reception": 1,
        "visit": 2,
        "staff": 0,
    }
    # accepted in March: spot, april, reopened, escalated, overdue, convert1, convert2 (feb was
    # accepted in February, declined never)
    assert f.accepted == 7
    assert (f.answered_on_spot, f.assigned, f.escalated, f.converted) == (1, 1, 1, 2)
    assert f.suggestions_formed == 1  # two cases, one suggestion
    # closed in March: feb (crossing in), spot, reopened (once, with its final rating)
    assert f.closed == 3 and f.closed_on_time == 3
    assert (f.rated, f.satisfied, f.basically_satisfied, f.dissatisfied) == (3, 2, 1, 0)
    assert f.satisfaction_rate == 100.0
    assert f.on_time_rate == 100.0
    # the closure cohort: received in March and accepted by its end (7); closed by its end:
    # spot and reopened (april closed in April)
    assert (f.cohort_accepted, f.cohort_closed) == (7, 2)
    assert f.closure_rate == rate(2, 7) == 28.6
    # waiting for an answer past the deadline on 1 June: overdue (accepted 8 March), the
    # escalated one the county never answered, the two converted ones no reply has reached
    assert f.overdue == 4
    # one reception day held in March (the unrecorded one does not count), 12 citizens
    assert (f.receptions, f.citizens_received) == (1, 12)
    assert f.activities == 1
    # two present at the reception day, one at the activity
    assert f.deputies_active == 3
    assert f.deputies == StationMembership.objects.values("deputy").distinct().count()


def test_april_and_the_other_township(world, demo):
    with time_machine.travel(NOW, tick=False):
        april = figures_of(target=Target(area=demo["county"]), period=Period.month(2027, 4))
        other = figures_of(target=Target(station=world["s2"]), period=MARCH)
    # closed in April: april (on time) and late (answered after its deadline, dissatisfied)
    assert (april.closed, april.closed_on_time, april.on_time_rate) == (2, 1, 50.0)
    assert (april.rated, april.satisfied, april.dissatisfied) == (2, 1, 1)
    assert april.satisfaction_rate == 50.0
    assert april.received == 1 and april.assigned == 1
    # nothing received in April was accepted: no closure rate, shown as "—"
    assert april.closure_rate is None
    assert (april.receptions, april.citizens_received) == (1, 5)
    # the other township's station: april and declined received, only april accepted
    assert (other.received, other.accepted, other.closed) == (2, 1, 0)
    assert other.closure_rate == 0.0 and other.satisfaction_rate is None


def test_links_list_exactly_what_is_counted(world, demo):
    county = Target(area=demo["county"])
    with time_machine.travel(NOW, tick=False):
        f = figures_of(target=county, period=MARCH)
        for name in ("received", "accepted", "closed", "assigned", "converted", "overdue"):
            rows = case_records(name=name, target=county, period=MARCH)
            assert rows.count() == getattr(f, name), name
        numbers = set(
            case_records(name="closed", target=county, period=MARCH).values_list("pk", flat=True)
        )
    cases = world["cases"]
    assert numbers == {cases["feb"].pk, cases["spot"].pk, cases["reopened"].pk}


# ---- a plain count over the ledger ---------------------------------------------------------------


def _local(at: datetime | None) -> date | None:
    return at.astimezone(SH).date() if at else None


def plain(target: Target, period: Period, now: datetime) -> dict:
    """The figures counted row by row in Python, from the definitions in words."""

    def inside(d: date | None) -> bool:
        return d is not None and period.start <= d <= period.end

    def in_target(case: Case) -> bool:
        if target.station is not None:
            return case.station_id == target.station.pk
        return case.scope_path.startswith(target.area.path)

    rows = [c for c in Case.objects.all() if in_target(c) and c.channel != Channel.ESCALATION]
    steps: dict[int, list[CaseEvent]] = {}
    for e in CaseEvent.objects.order_by("at"):
        steps.setdefault(e.case_id, []).append(e)

    def stepped(case: Case, action: str) -> bool:
        return any(e.action == action and inside(_local(e.at)) for e in steps.get(case.pk, []))

    received = [c for c in rows if inside(_local(c.created_at))]
    closed = [c for c in rows if c.status == "closed" and inside(_local(c.closed_at))]
    rated = [c for c in closed if c.rating]
    cohort = [c for c in received if c.accepted_at and _local(c.accepted_at) <= period.end]
    out = {
        "received": len(received),
        "accepted": sum(inside(_local(c.accepted_at)) for c in rows),
        "closed": len(closed),
        "closed_on_time": sum(not c.deadline or c.answered_at <= c.deadline for c in closed),
        "rated": len(rated),
        "satisfied": sum(c.rating == "satisfied" for c in rated),
        "overdue": sum(
            c.status in AWAITING_ANSWER and c.deadline is not None and c.deadline < now
            for c in rows
        ),
        "cohort_accepted": len(cohort),
        "cohort_closed": sum(
            c.status == "closed" and _local(c.closed_at) <= period.end for c in cohort
        ),
    }
    for action, name in (
        ("assign", "assigned"),
        ("escalate", "escalated"),
        ("convert", "converted"),
    ):
        out[name] = sum(stepped(c, action) for c in rows)
    days = [
        d
        for d in ReceptionDay.objects.select_related("station__area")
        if inside(d.date)
        and ReceptionRecord.objects.filter(reception_day=d).exists()
        and (
            d.station_id == target.station.pk
            if target.station
            else d.station.area.path.startswith(target.area.path)
        )
    ]
    out["receptions"] = len(days)
    out["citizens_received"] = sum(d.record.citizens_received for d in days)
    return out


@pytest.mark.parametrize(
    "period",
    [
        Period.month(2027, 2),
        MARCH,
        Period.month(2027, 4),
        Period(date(2027, 1, 1), date(2027, 3, 31)),
        Period.year(2027),
        Period(date(2027, 3, 15), date(2027, 3, 15)),
    ],
    ids=str,
)
def test_every_target_and_period_equals_a_plain_count(world, demo, period):
    targets = [
        Target(area=demo["county"]),
        *(Target(area=t) for t in demo["townships"][:2]),
        Target(station=world["s1"]),
        Target(station=world["s2"]),
    ]
    with time_machine.travel(NOW, tick=False):
        for target in targets:
            f = figures_of(target=target, period=period)
            expected = plain(target, period, NOW)
            got = {name: getattr(f, name) for name in expected}
            assert got == expected, target.code


@pytest.mark.parametrize("period", [MARCH, Period.month(2027, 4), Period.year(2027)], ids=str)
def test_stations_at_once_equal_each_alone(world, demo, period):
    stations = [world["s1"], world["s2"], *demo["stations"][demo["townships"][2].code][:2]]
    with time_machine.travel(NOW, tick=False):
        together = figures_of_stations(stations=stations, period=period)
        for station in stations:
            alone = figures_of(target=Target(station=station), period=period)
            assert together[station.pk] == alone, station.code


@pytest.mark.parametrize("period", [MARCH, Period.month(2027, 4), Period.year(2027)], ids=str)
def test_areas_at_once_equal_each_alone(world, demo, period):
    # The drill-down counts every sub-area in one batch: the same figures as one by one, and
    # equal to a plain count (cases of the county itself belong to no sub-area).
    areas = list(demo["townships"])
    with time_machine.travel(NOW, tick=False):
        together = figures_of_areas(areas=areas, period=period)
        for area in areas:
            alone = figures_of(target=Target(area=area), period=period)
            assert together[area.pk] == alone, area.code
            expected = plain(Target(area=area), period, NOW)
            assert {name: getattr(alone, name) for name in expected} == expected


def test_targets_at_once_keep_their_order(world, demo):
    targets = [
        Target(station=world["s2"]),
        Target(area=demo["townships"][1]),
        Target(station=world["s1"]),
        Target(area=demo["townships"][0]),
    ]
    with time_machine.travel(NOW, tick=False):
        got = figures_of_targets(targets=targets, period=MARCH)
        assert [f.target for f in got] == [t.code for t in targets]
        assert got == [figures_of(target=t, period=MARCH) for t in targets]
        assert any(f.received for f in got)


def test_rates_are_none_with_nothing_to_divide(demo):
    empty = Target(station=demo["stations"][demo["townships"][3].code][5])
    f = figures_of(target=empty, period=MARCH)
    assert isinstance(f, Figures)
    assert (f.closure_rate, f.on_time_rate, f.satisfaction_rate) == (None, None, None)
    assert f.received == 0 and not f.active


def test_previous_period():
    assert MARCH.previous() == Period.month(2027, 2)
    assert Period.year(2027).previous() == Period.year(2026)
    q1 = Period(date(2027, 1, 1), date(2027, 3, 31))
    assert q1.previous() == Period(date(2026, 10, 1), date(2026, 12, 31))
    week = Period(date(2027, 3, 8), date(2027, 3, 14))
    assert week.previous() == Period(date(2027, 3, 1), date(2027, 3, 7))
