"""Duty points ledger: the catalog (installed, copied, edited), yearly caps, duplicates and
the evidence rule."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from lianluo.cases.reception.services import reception_record_save
from lianluo.core.errors import DomainError, NotFound
from lianluo.core.models import AuditLog
from lianluo.duty.catalog import DEFAULT_ITEMS
from lianluo.duty.models import AutoEvent, DutyItem, PointEntry
from lianluo.duty.services import (
    EvidenceFile,
    catalog_copy_year,
    catalog_install_default,
    duty_item_save,
    points_register,
)
from tests.factories.duty import (
    points_total,
    reception_day,
)

# ---- the catalog --------------------------------------------------------------------------------


def test_the_default_catalog_installs_27_items_once_and_a_new_year_starts_from_the_last(
    june, users
):
    congress = june["cg_hub"].congress

    # When staff install the default catalog twice
    first = catalog_install_default(congress=congress, year=2026, actor=users["staff"])
    again = catalog_install_default(congress=congress, year=2026, actor=users["staff"])

    # Then it has the 27 items once, each automatic event credited by exactly one item
    assert len(first) == 27 and again == []
    items = DutyItem.objects.filter(congress=congress, year=2026)
    assert items.count() == len(DEFAULT_ITEMS) == 27
    events = [i.auto_event for i in items if i.auto_event]
    assert sorted(events) == sorted(e for e in AutoEvent.values if e)
    assert {"idea", "family", "research_report", "publicity", "visit"} <= {i.code for i in items}

    # And when an item is edited and 2027 is started from 2026, the edit is carried over
    visit = items.get(code="visit")
    duty_item_save(actor=users["staff"], item=visit, changes={"points": Decimal("4")})
    copied = catalog_copy_year(congress=congress, year=2027, actor=users["staff"])
    assert len(copied) == 27
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
    assert points_total(d1) == 5


# ---- caps ---------------------------------------------------------------------------------------


def test_the_yearly_cap_credits_what_remains_then_nothing(catalog, hub, users, officer):
    station, (d1, _d2, _d3) = hub
    # Given the cap of "reception attended" is 7 (3 points each)
    duty_item_save(actor=users["staff"], item=catalog["reception"], changes={"yearly_cap": 7})

    # When d1 is present on four reception days
    for n in range(4):
        day = reception_day(station, date(2026, 5, 6 + n), [d1])
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
