"""Duty points ledger: the catalog, automatic credits from every platform event exactly once
(also when replayed), yearly caps, the verification workflow, reversals, scope and the job.

Records in later states are built through the services that do the work (reception records,
activity check-in, the case workflow, suggestion filing), never by writing rows."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Sum

from lianluo.activities.services import (
    activity_create,
    activity_publish,
    activity_record,
    checkin_scan,
    checkin_token_issue,
)
from lianluo.cases.reception.services import reception_record_save
from lianluo.core.errors import DomainError, NotFound
from lianluo.core.models import AuditLog, OutboxMessage, Role, RoleAssignment, User
from lianluo.deputies.models import Deputy
from lianluo.duty.catalog import DEFAULT_ITEMS
from lianluo.duty.models import AutoEvent, DutyItem, EntrySource, EntryStatus, PointEntry
from lianluo.duty.selectors import archive_for, pending_entries, ranking
from lianluo.duty.services import (
    EvidenceFile,
    catalog_copy_year,
    catalog_install_default,
    duty_item_save,
    duty_report_submit,
    points_register,
    points_replay,
    points_reverse,
    points_self_report,
    points_verify,
)
from lianluo.stations.models import Duty, ReceptionDay, Station
from lianluo.suggestions.services import suggestion_create, suggestion_file

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=SH)


@pytest.fixture
def june(demo):
    """The demo county, on 15 June 2026 (time frozen), with no catalog yet."""
    with time_machine.travel(NOW, tick=False):
        yield demo


@pytest.fixture
def catalog(june):
    """The default 2026 catalog of the 城关 township congress and of the county congress."""
    for congress in (june["cg_hub"].congress, june["county_congress"]):
        catalog_install_default(congress=congress, year=2026, actor=None)
    return {i.code: i for i in DutyItem.objects.filter(congress=june["cg_hub"].congress)}


@pytest.fixture
def hub(june):
    """The 城关 east sector station and its three deputies (no demo events of their own):
    dep-005 (city deputy), dep-029 (county and township), dep-053 (township)."""
    station = Station.objects.get(code="cg-sector-1")
    members = list(Deputy.objects.filter(memberships__station=station).order_by("code"))
    assert [d.code for d in members] == ["dep-005", "dep-029", "dep-053"]
    return station, members


@pytest.fixture
def officer(june) -> User:
    """The liaison officer of that station."""
    return User.objects.get(username="officer-cg-sector-1")


def deputy_user(deputy: Deputy) -> User:
    user = deputy.user or User.objects.create(username=f"u-{deputy.code}")
    if deputy.user_id is None:
        deputy.user = user
        deputy.save(update_fields=["user"])
    RoleAssignment.objects.get_or_create(user=user, role=Role.DEPUTY, deputy=deputy)
    return user


def total(deputy: Deputy, year: int = 2026) -> Decimal:
    value = PointEntry.objects.filter(
        deputy=deputy, year=year, status=EntryStatus.APPROVED
    ).aggregate(s=Sum("points"))["s"]
    return Decimal(value or 0)


def replay_adds_nothing_for(deputies) -> bool:
    """Replaying the year's events (the demo county's own included) credits these deputies
    nothing more."""
    before = PointEntry.objects.filter(deputy__in=deputies).count()
    points_replay(year=2026)
    return PointEntry.objects.filter(deputy__in=deputies).count() == before


def reception(station, on: date, deputies) -> ReceptionDay:
    day = ReceptionDay.objects.create(
        station=station, date=on, start=time(9), end=time(12), status="published"
    )
    Duty.objects.bulk_create([Duty(reception_day=day, deputy=d) for d in deputies])
    return day


# ---- the catalog --------------------------------------------------------------------------------


def test_the_default_catalog_installs_26_items_once_and_a_new_year_starts_from_the_last(
    june, users
):
    congress = june["cg_hub"].congress

    # When staff install the default catalog twice
    first = catalog_install_default(congress=congress, year=2026, actor=users["staff"])
    again = catalog_install_default(congress=congress, year=2026, actor=users["staff"])

    # Then it has the 26 items once, each automatic event credited by exactly one item
    assert len(first) == 26 and again == []
    items = DutyItem.objects.filter(congress=congress, year=2026)
    assert items.count() == len(DEFAULT_ITEMS) == 26
    events = [i.auto_event for i in items if i.auto_event]
    assert sorted(events) == sorted(e for e in AutoEvent.values if e)
    assert {"idea", "family", "research_report", "publicity", "visit"} <= {i.code for i in items}

    # And when an item is edited and 2027 is started from 2026, the edit is carried over
    visit = items.get(code="visit")
    duty_item_save(actor=users["staff"], item=visit, changes={"points": Decimal("4")})
    copied = catalog_copy_year(congress=congress, year=2027, actor=users["staff"])
    assert len(copied) == 26
    assert DutyItem.objects.get(congress=congress, year=2027, code="visit").points == 4
    assert AuditLog.objects.filter(verb="duty_item.change", target_id=str(visit.pk)).exists()


def test_an_officer_may_not_edit_the_catalog_and_other_areas_cannot_see_it(june, users, officer):
    congress = june["cg_hub"].congress
    with pytest.raises(NotFound):
        catalog_install_default(congress=congress, year=2026, actor=officer)
    assert not DutyItem.objects.filter(congress=congress).exists()


def test_editing_an_items_points_changes_only_what_is_credited_afterwards(
    catalog, hub, users, officer
):
    _station, (d1, _d2, _d3) = hub
    publicity = catalog["publicity"]  # 2 points, evidence required
    photo = EvidenceFile(content=b"%PDF-1.4 demo", extension="pdf")
    first = points_register(
        actor=officer,
        deputy=d1,
        item=publicity,
        occurred_on=date(2026, 6, 1),
        note="宣讲一",
        evidence=photo,
    )

    # When staff raise the item's points from 2 to 3
    duty_item_save(actor=users["staff"], item=publicity, changes={"points": Decimal("3")})
    second = points_register(
        actor=officer,
        deputy=d1,
        item=publicity,
        occurred_on=date(2026, 6, 2),
        note="宣讲二",
        evidence=photo,
    )

    # Then the first entry keeps its 2 points and the new one counts 3
    first.refresh_from_db()
    assert (first.points, second.points) == (Decimal("2"), Decimal("3"))
    assert total(d1) == 5


# ---- automatic credits, once per event ----------------------------------------------------------


def test_a_reception_record_credits_each_deputy_present_once_and_a_correction_reverses(
    catalog, hub, users, officer
):
    station, (d1, d2, d3) = hub
    day = reception(station, date(2026, 6, 6), [d1, d2])

    # When the officer records the day with two deputies present, and saves it again
    for _ in range(2):
        reception_record_save(
            actor=officer, day=day, deputies_present=[d1, d2], citizens_received=7
        )

    # Then each of them has one "reception attended" entry of 3 points, dated that day
    entries = PointEntry.objects.filter(item=catalog["reception"])
    assert sorted(e.deputy_id for e in entries) == [d1.pk, d2.pk]
    assert all(e.points == 3 and e.occurred_on == date(2026, 6, 6) for e in entries)
    assert all(e.source == EntrySource.AUTO and e.station_id == station.pk for e in entries)

    # When the record is corrected: d2 was not there after all
    reception_record_save(actor=officer, day=day, deputies_present=[d1], citizens_received=7)

    # Then d2's credit is reversed (a negative entry), d1's stands
    assert (total(d1), total(d2)) == (3, 0)
    reversal = PointEntry.objects.get(deputy=d2, source=EntrySource.REVERSAL)
    assert reversal.points == -3 and reversal.reverses.deputy_id == d2.pk

    # And when the record is corrected back, d2 is credited again, once
    for _ in range(2):
        reception_record_save(
            actor=officer, day=day, deputies_present=[d1, d2], citizens_received=7
        )
    assert (total(d1), total(d2)) == (3, 3)
    assert PointEntry.objects.filter(deputy=d2, source=EntrySource.AUTO).count() == 2

    # And replaying the year's events credits nothing more
    assert replay_adds_nothing_for(hub[1])


def test_activity_check_in_and_hand_marked_attendance_credit_once_each(
    catalog, hub, users, officer
):
    station, (d1, d2, _d3) = hub
    start = NOW + timedelta(minutes=30)
    activity = activity_create(
        actor=officer,
        station=station,
        type="research",
        title="农村饮水安全调研",
        place="城关镇水厂",
        start=start,
        end=start + timedelta(hours=2),
    )
    activity = activity_publish(actor=officer, activity=activity)

    # When d1 scans the check-in code twice
    token = checkin_token_issue(actor=officer, activity=activity).token
    user = deputy_user(d1)
    checkin_scan(actor=user, token=token)
    checkin_scan(actor=user, token=token)
    assert total(d1) == 2

    # And afterwards the officer records the attendance: d1 by QR, d2 marked by hand (twice)
    with time_machine.travel(start + timedelta(hours=3), tick=False):
        for _ in range(2):
            activity_record(actor=officer, activity=activity, attended=[d1, d2], summary="调研")

        # Then each is credited "activity attended" once
        item = catalog["activity"]
        assert PointEntry.objects.filter(item=item, deputy=d1).count() == 1
        assert PointEntry.objects.filter(item=item, deputy=d2).count() == 1

        # And unticking d2 reverses d2's credit
        activity_record(actor=officer, activity=activity, attended=[d1], summary="调研")
    assert (total(d1), total(d2)) == (2, 0)
    assert replay_adds_nothing_for(hub[1])


def test_a_case_answered_and_closed_credits_its_responsible_deputy_once(
    catalog, hub, make_case, users
):
    station, (d1, d2, _d3) = hub

    # When a case with d2 responsible is answered on the spot, rated and closed out
    case = make_case(
        ("accept", {"triage": "simple", "deputy": d2}),
        ("answer_on_spot", {"text": "已当场解释政策"}),
        ("follow_up", {"method": "phone", "note": "满意"}),
        ("rate", {"rating": "satisfied"}),
        ("close", {}),
        station=station,
    )

    # Then d2 has "case answered" and "case closed" once each; d1 nothing
    codes = sorted(PointEntry.objects.filter(deputy=d2).values_list("item__code", flat=True))
    assert codes == ["case_answered", "case_closed"]
    assert PointEntry.objects.get(deputy=d2, item__code="case_answered").note == case.number
    assert total(d2) == 3 and total(d1) == 0

    # And a dissatisfied case reopened and answered again is credited once only
    other = make_case(
        ("accept", {"triage": "general", "deputy": d2}),
        ("answer", {"text": "第一次答复"}),
        ("rate", {"rating": "dissatisfied"}),
        ("answer", {"text": "第二次答复"}),
        station=station,
    )
    assert other.status == "answered"
    assert PointEntry.objects.filter(deputy=d2, item__code="case_answered").count() == 2
    assert replay_adds_nothing_for(hub[1])


def test_filing_a_suggestion_credits_its_deputy_once(catalog, hub, users):
    station, (d1, _d2, _d3) = hub
    draft = suggestion_create(
        actor=users["staff"],
        congress=station.congress,
        deputy=d1,
        title="关于加装电梯的建议",
        text="建议加大补助。",
    )

    # When the deputy files it
    suggestion_file(actor=deputy_user(d1), suggestion=draft)

    # Then it is filed and "suggestion filed" (5 points) is credited once
    draft.refresh_from_db()
    assert draft.status == "filed"
    assert total(d1) == 5
    # And filing again is refused, replaying credits nothing more
    with pytest.raises(DomainError) as refused:
        suggestion_file(actor=deputy_user(d1), suggestion=draft)
    assert refused.value.code == "invalid_transition"
    assert replay_adds_nothing_for(hub[1])
    assert total(d1) == 5


def test_the_duty_report_to_voters_counts_once_a_year(catalog, hub, users, officer):
    _station, (d1, _d2, _d3) = hub
    user = deputy_user(d1)

    first = duty_report_submit(actor=user, deputy=d1, year=2026)
    second = duty_report_submit(actor=officer, deputy=d1, year=2026)
    with pytest.raises(NotFound):
        duty_report_submit(actor=users["other"], deputy=d1, year=2026)

    assert first is not None and first.item.auto_event == AutoEvent.REPORT_SUBMITTED
    assert second is None
    assert total(d1) == 10


def test_events_before_the_catalog_are_credited_by_the_replay_once(june, hub, users, officer):
    station, (d1, d2, _d3) = hub
    day = reception(station, date(2026, 6, 6), [d1, d2])
    reception_record_save(actor=officer, day=day, deputies_present=[d1, d2], citizens_received=3)
    assert not PointEntry.objects.exists()  # no catalog: nothing to credit yet

    # When the catalog is installed and the job runs (task and command, twice each)
    catalog_install_default(congress=station.congress, year=2026, actor=None)
    from lianluo.duty.tasks import replay_points

    ours = PointEntry.objects.filter(
        source_key__in=[f"reception:{day.pk}:{d.pk}" for d in (d1, d2)]
    )
    first = replay_points()
    assert first[2026] >= 2 and ours.count() == 2
    assert replay_points() == {2026: 0}
    out = StringIO()
    call_command("points_replay", "--year", "2026", stdout=out)

    # Then each deputy present has one entry, and a re-run writes nothing
    assert "points replay 2026: 0 entries written" in out.getvalue()
    assert ours.count() == 2 and total(d1) == total(d2) == 3


# ---- caps ---------------------------------------------------------------------------------------


def test_the_yearly_cap_credits_what_remains_then_nothing(catalog, hub, users, officer):
    station, (d1, _d2, _d3) = hub
    # Given the cap of "reception attended" is 7 (3 points each)
    duty_item_save(actor=users["staff"], item=catalog["reception"], changes={"yearly_cap": 7})

    # When d1 is present on four reception days
    for n in range(4):
        day = reception(station, date(2026, 5, 6 + n), [d1])
        reception_record_save(actor=officer, day=day, deputies_present=[d1], citizens_received=1)

    # Then 3 + 3 + 1 are credited (the third cut to what remains, with a note), then nothing
    points = list(
        PointEntry.objects.filter(deputy=d1)
        .order_by("occurred_on")
        .values_list("points", flat=True)
    )
    assert points == [3, 3, 1]
    assert "7" in PointEntry.objects.get(deputy=d1, points=1).note

    # And a registration of an item whose cap is reached is refused
    session = catalog["session"]  # 5 points, cap 5
    points_register(
        actor=officer,
        deputy=d1,
        item=session,
        occurred_on=date(2026, 3, 1),
        note="一次会议",
    )
    with pytest.raises(DomainError) as refused:
        points_register(
            actor=officer,
            deputy=d1,
            item=session,
            occurred_on=date(2026, 3, 2),
            note="二次会议",
        )
    assert refused.value.code == "cap_reached"


def test_a_registered_record_twice_is_a_duplicate(catalog, hub, users, officer):
    _station, (d1, _d2, _d3) = hub
    kwargs = dict(
        actor=officer,
        deputy=d1,
        item=catalog["training"],
        occurred_on=date(2026, 6, 1),
        note="履职培训",
    )
    points_register(**kwargs)
    with pytest.raises(DomainError) as refused:
        points_register(**kwargs)
    assert refused.value.code == "duplicate"
    assert PointEntry.objects.filter(deputy=d1).count() == 1


def test_evidence_is_required_where_the_item_says_so_and_automatic_items_are_not_registered(
    catalog, hub, users, officer
):
    _station, (d1, _d2, _d3) = hub
    with pytest.raises(DomainError) as no_proof:
        points_register(
            actor=officer,
            deputy=d1,
            item=catalog["visit"],
            occurred_on=date(2026, 6, 1),
            note="走访",
        )
    assert (no_proof.value.code, no_proof.value.field) == ("evidence_required", "evidence")
    with pytest.raises(DomainError) as automatic:
        points_register(
            actor=officer,
            deputy=d1,
            item=catalog["reception"],
            occurred_on=date(2026, 6, 1),
            note="接待",
        )
    assert automatic.value.code == "automatic_item"
    with pytest.raises(DomainError) as future:
        points_register(
            actor=officer,
            deputy=d1,
            item=catalog["training"],
            occurred_on=date(2026, 6, 16),
            note="明天的培训",
        )
    assert future.value.field == "occurred_on"
    assert not PointEntry.objects.exists()


# ---- self-report and verification ---------------------------------------------------------------


def test_a_self_report_waits_for_an_officer_who_approves_or_rejects_with_a_reason(
    catalog, hub, users, officer
):
    _station, (d1, d2, _d3) = hub
    me = deputy_user(d1)

    # When the deputy reports two trainings
    first = points_self_report(
        actor=me, item=catalog["training"], occurred_on=date(2026, 6, 1), note="代表培训班"
    )
    second = points_self_report(
        actor=me, item=catalog["training"], occurred_on=date(2026, 6, 3), note="法律讲座"
    )

    # Then they wait, uncounted, in the queue of the officer of the deputy's station only;
    # the officer is notified
    assert first.status == second.status == EntryStatus.PENDING and total(d1) == 0
    assert [e.pk for e in pending_entries(viewer=officer)] == [first.pk, second.pk]
    assert pending_entries(viewer=users["other"]) == []
    assert pending_entries(viewer=users["liaison"]) == []  # the township hub's officer
    assert pending_entries(viewer=me) == []
    assert OutboxMessage.objects.filter(recipient=officer, kind="points_to_verify").count() == 2

    # And the deputy cannot verify it, nor can the officer of another station
    with pytest.raises(DomainError) as own:
        points_verify(actor=me, entry=first, approve=True)
    assert own.value.code in ("not_found", "not_allowed")
    with pytest.raises(NotFound):
        points_verify(actor=users["other"], entry=first, approve=True)

    # When the officer approves the first and rejects the second without a reason, then with one
    points_verify(actor=officer, entry=first, approve=True)
    with pytest.raises(DomainError) as no_reason:
        points_verify(actor=officer, entry=second, approve=False)
    assert no_reason.value.field == "reason"
    points_verify(actor=officer, entry=second, approve=False, reason="非代表履职培训")

    # Then the first counts, the second does not and says why; the deputy was told both
    second.refresh_from_db()
    assert total(d1) == 2
    assert (second.status, second.reason) == (EntryStatus.REJECTED, "非代表履职培训")
    assert OutboxMessage.objects.filter(recipient=me, kind="points_verified").count() == 2
    assert AuditLog.objects.filter(verb="points.reject", target_id=str(second.pk)).exists()

    # And an entry is verified once
    with pytest.raises(DomainError) as twice:
        points_verify(actor=officer, entry=second, approve=True)
    assert twice.value.code == "invalid_status"


def test_approval_applies_the_cap_at_that_moment(catalog, hub, users, officer):
    _station, (d1, _d2, _d3) = hub
    duty_item_save(actor=users["staff"], item=catalog["training"], changes={"yearly_cap": 3})
    me = deputy_user(d1)
    waiting = points_self_report(
        actor=me, item=catalog["training"], occurred_on=date(2026, 6, 1), note="一"
    )
    points_register(
        actor=officer,
        deputy=d1,
        item=catalog["training"],
        occurred_on=date(2026, 6, 2),
        note="二",
    )
    approved = points_verify(actor=officer, entry=waiting, approve=True)
    assert approved.points == 1 and total(d1) == 3
    late = points_self_report(
        actor=me, item=catalog["training"], occurred_on=date(2026, 6, 3), note="三"
    )
    with pytest.raises(DomainError) as full:
        points_verify(actor=officer, entry=late, approve=True)
    assert full.value.code == "cap_reached"


# ---- reversals ----------------------------------------------------------------------------------


def test_a_correction_is_a_reversing_entry_made_once_and_audited(catalog, hub, users, officer):
    _station, (d1, _d2, _d3) = hub
    entry = points_register(
        actor=officer,
        deputy=d1,
        item=catalog["meeting"],
        occurred_on=date(2026, 6, 1),
        note="列席会议",
    )

    with pytest.raises(DomainError) as no_reason:
        points_reverse(actor=officer, entry=entry, reason=" ")
    assert no_reason.value.field == "reason"
    reversal = points_reverse(actor=officer, entry=entry, reason="当天请假")

    entry.refresh_from_db()
    assert (entry.points, entry.status) == (2, EntryStatus.APPROVED)  # never edited
    assert (reversal.points, reversal.source, reversal.reverses_id) == (-2, "reversal", entry.pk)
    assert total(d1) == 0
    assert AuditLog.objects.filter(verb="points.reverse", target_id=str(entry.pk)).count() == 1
    for target in (entry, reversal):
        with pytest.raises(DomainError) as again:
            points_reverse(actor=officer, entry=target, reason="再次")
        assert again.value.code in ("already_reversed", "invalid_status")
    assert PointEntry.objects.filter(deputy=d1).count() == 2
    a = archive_for(viewer=users["staff"], deputy_code=d1.code, year=2026)
    assert a.points_total == 0 and [r.count for r in a.by_item] == [0]


# ---- scope --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("officer", True),  # officer of the deputy's station
        ("staff", True),  # county staff: the area covers the station
        ("admin", True),
        ("liaison", False),  # officer of another station (the township's hub)
        ("other", False),  # officer of another township's hub
        ("leader", False),  # reads dashboards, keeps no points
        ("dept", False),
        ("self", False),  # the deputy reports their own, never registers
    ],
)
def test_only_the_deputys_officers_and_staff_in_scope_register(
    catalog, hub, users, officer, role, allowed
):
    _station, (_d1, d2, _d3) = hub
    actor = {"officer": officer, "self": deputy_user(d2)}.get(role) or users[role]

    def register():
        return points_register(
            actor=actor,
            deputy=d2,
            item=catalog["training"],
            occurred_on=date(2026, 6, 1),
            note="培训",
        )

    if allowed:
        assert register().status == EntryStatus.APPROVED
        assert total(d2) == 2
    else:
        with pytest.raises(NotFound):
            register()
        assert not PointEntry.objects.exists()


# ---- ranking and archive reads ------------------------------------------------------------------


def test_the_ranking_gives_ties_the_same_rank(catalog, hub, users, officer):
    station, (d1, d2, d3) = hub
    for deputy, note in ((d1, "甲"), (d2, "乙")):
        points_register(
            actor=officer,
            deputy=deputy,
            item=catalog["training"],
            occurred_on=date(2026, 6, 1),
            note=note,
        )

    rows = ranking(year=2026, station=station)

    assert [(r.rank, r.deputy.code, r.points) for r in rows] == [
        (1, "dep-005", 2),
        (1, "dep-029", 2),
        (3, "dep-053", 0),
    ]
    # And the county's ranking holds its deputies (active county mandates) only
    county = ranking(year=2026, congress=station.congress.parent_congress())
    codes = [r.deputy.code for r in county]
    assert "dep-029" in codes and "dep-005" not in codes and "dep-053" not in codes
    assert county[0].deputy.code == "dep-029" and county[0].rank == 1


def test_the_archive_and_the_ranking_take_a_constant_number_of_queries(
    catalog, hub, users, officer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    station, (d1, d2, d3) = hub

    def count(fn) -> int:
        with CaptureQueriesContext(connection) as ctx:
            fn()
        return len(ctx.captured_queries)

    def read():
        archive_for(viewer=users["staff"], deputy_code=d1.code, year=2026)

    def rank():
        ranking(year=2026, station=station)

    points_register(
        actor=officer,
        deputy=d1,
        item=catalog["training"],
        occurred_on=date(2026, 6, 1),
        note="一",
    )
    read()  # warm up: the viewer's scope is read once per user object
    small, small_rank = count(read), count(rank)
    for n in range(8):
        day = reception(station, date(2026, 4, 1) + timedelta(days=n), [d1, d2, d3])
        reception_record_save(
            actor=officer, day=day, deputies_present=[d1, d2, d3], citizens_received=n
        )
        if n < 4:  # the meeting item's cap is 10: four of 2 points
            points_register(
                actor=officer,
                deputy=d1,
                item=catalog["meeting"],
                occurred_on=date(2026, 4, 1) + timedelta(days=n),
                note=f"会议{n}",
            )
    assert count(read) == small
    assert count(rank) == small_rank == 2


@pytest.mark.django_db(transaction=True)
def test_the_same_event_credited_by_concurrent_requests_counts_once(catalog, hub):
    import threading

    from django.db import close_old_connections, transaction

    from lianluo.duty.services import points_credit_event

    _station, (d1, _d2, _d3) = hub
    results: list[object] = []
    barrier = threading.Barrier(4)

    def credit() -> None:
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                results.append(
                    points_credit_event(
                        deputy=d1,
                        event=AutoEvent.SUGGESTION_FILED,
                        source_key="suggestion_filed:424242",
                        occurred_on=date(2026, 6, 1),
                        congress=hub[0].congress,
                    )
                )
        finally:
            close_old_connections()

    threads = [threading.Thread(target=credit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert len(results) == 4
    assert sum(r is not None for r in results) == 1
    assert PointEntry.objects.filter(source_key="suggestion_filed:424242").count() == 1
    assert total(d1) == 5
