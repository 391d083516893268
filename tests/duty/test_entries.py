"""Duty points ledger: self-reports and their verification, reversals, who may register, the
ranking and the archive reads."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lianluo.board.archive import archive_for
from lianluo.cases.reception.services import reception_record_save
from lianluo.core.errors import DomainError, NotFound
from lianluo.core.models import AuditLog, OutboxMessage
from lianluo.duty.models import EntryStatus, PointEntry
from lianluo.duty.selectors import pending_entries, ranking
from lianluo.duty.services import (
    duty_item_save,
    points_register,
    points_reverse,
    points_self_report,
    points_verify,
)
from tests.factories.duty import (
    deputy_user,
    points_total,
    reception_day,
)

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
    assert first.status == second.status == EntryStatus.PENDING and points_total(d1) == 0
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
    assert points_total(d1) == 2
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
    assert approved.points == 1 and points_total(d1) == 3
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
    assert points_total(d1) == 0
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
        assert points_total(d2) == 2
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
        day = reception_day(station, date(2026, 4, 1) + timedelta(days=n), [d1, d2, d3])
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
