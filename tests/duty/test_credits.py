"""Duty points ledger: automatic credits from every platform event exactly once (also when
replayed, and under concurrent requests), and the replay job.

Records in later states are built through the services that do the work (reception records,
activity check-in, the case workflow, suggestion filing), never by writing rows."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from lianluo.activities.services import (
    activity_create,
    activity_publish,
    activity_record,
    checkin_scan,
    checkin_token_issue,
)
from lianluo.cases.reception.services import reception_record_save
from lianluo.core.errors import DomainError, NotFound
from lianluo.duty.models import AutoEvent, EntrySource, PointEntry
from lianluo.duty.services import (
    catalog_install_default,
    duty_report_submit,
)
from lianluo.suggestions.services import suggestion_create, suggestion_file
from tests.duty.conftest import NOW
from tests.factories.cases import case_walk
from tests.factories.duty import (
    deputy_user,
    points_total,
    reception_day,
    replay_adds_nothing_for,
)

# ---- automatic credits, once per event ----------------------------------------------------------


def test_a_reception_record_credits_each_deputy_present_once_and_a_correction_reverses(
    catalog, hub, users, officer
):
    station, (d1, d2, d3) = hub
    day = reception_day(station, date(2026, 6, 6), [d1, d2])

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
    assert (points_total(d1), points_total(d2)) == (3, 0)
    reversal = PointEntry.objects.get(deputy=d2, source=EntrySource.REVERSAL)
    assert reversal.points == -3 and reversal.reverses.deputy_id == d2.pk

    # And when the record is corrected back, d2 is credited again, once
    for _ in range(2):
        reception_record_save(
            actor=officer, day=day, deputies_present=[d1, d2], citizens_received=7
        )
    assert (points_total(d1), points_total(d2)) == (3, 3)
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
    assert points_total(d1) == 2

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
    assert (points_total(d1), points_total(d2)) == (2, 0)
    assert replay_adds_nothing_for(hub[1])


def test_a_case_answered_and_followed_up_credits_the_deputy_who_did_it_once(
    catalog, hub, make_case, users, officer
):
    station, (d1, d2, _d3) = hub
    d2_user = deputy_user(d2)

    # When a case with d2 responsible is answered on the spot and followed up by d2 themselves,
    # rated and closed by the officer
    case = make_case(("accept", {"triage": "simple", "deputy": d2}), station=station)
    case = case_walk(
        case,
        ("answer_on_spot", {"text": "已当场解释政策"}),
        ("follow_up", {"method": "phone", "note": "满意"}),
        actor=d2_user,
    )
    case_walk(case, ("rate", {"rating": "satisfied"}), ("close", {}), actor=officer)

    # Then d2 has "case answered" and "case closed" once each; d1 nothing
    codes = sorted(PointEntry.objects.filter(deputy=d2).values_list("item__code", flat=True))
    assert codes == ["case_answered", "case_closed"]
    assert PointEntry.objects.get(deputy=d2, item__code="case_answered").note == case.number
    assert points_total(d2) == 3 and points_total(d1) == 0

    # And a dissatisfied case reopened and answered again by d2 is credited once only
    other = make_case(("accept", {"triage": "general", "deputy": d2}), station=station)
    other = case_walk(other, ("answer", {"text": "第一次答复"}), actor=d2_user)
    other = case_walk(other, ("rate", {"rating": "dissatisfied"}), actor=officer)
    other = case_walk(other, ("answer", {"text": "第二次答复"}), actor=d2_user)
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
    assert points_total(d1) == 5
    # And filing again is refused, replaying credits nothing more
    with pytest.raises(DomainError) as refused:
        suggestion_file(actor=deputy_user(d1), suggestion=draft)
    assert refused.value.code == "invalid_transition"
    assert replay_adds_nothing_for(hub[1])
    assert points_total(d1) == 5


def test_the_duty_report_to_voters_counts_once_a_year(catalog, hub, users, officer):
    _station, (d1, _d2, _d3) = hub
    user = deputy_user(d1)

    first = duty_report_submit(actor=user, deputy=d1, year=2026)
    second = duty_report_submit(actor=officer, deputy=d1, year=2026)
    with pytest.raises(NotFound):
        duty_report_submit(actor=users["other"], deputy=d1, year=2026)

    assert first is not None and first.item.auto_event == AutoEvent.REPORT_SUBMITTED
    assert second is None
    assert points_total(d1) == 10


def test_events_before_the_catalog_are_credited_by_the_replay_once(june, hub, users, officer):
    station, (d1, d2, _d3) = hub
    day = reception_day(station, date(2026, 6, 6), [d1, d2])
    reception_record_save(actor=officer, day=day, deputies_present=[d1, d2], citizens_received=3)
    assert not PointEntry.objects.exists()  # no catalog: nothing to credit yet

    # When the catalog is installed and the job runs (task and command, twice each)
    catalog_install_default(congress=station.congress, year=2026, actor=None)
    from lianluo.board.tasks import replay_points

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
    assert ours.count() == 2 and points_total(d1) == points_total(d2) == 3


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
    assert points_total(d1) == 5
