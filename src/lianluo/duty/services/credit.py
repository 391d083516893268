"""Automatic credits from platform events, and their withdrawal.

The services of reception records, activity check-in and attendance, the case workflow and
suggestion filing call `points_credit_event` (or one of the `points_for_*` helpers) explicitly,
inside their own transaction; they pass the objects, the ledger knows the event by its kind and
key. The entry's unique `source_key` names the event ("case_answered:17"), so a replayed event
credits nothing more. When the yearly cap leaves nothing, an automatic event credits nothing (no
entry is written, so a reversal that frees room lets a later event count).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from lianluo.core.errors import Conflict, DomainError
from lianluo.core.models import Congress, User
from lianluo.core.scope import scope_for
from lianluo.core.services import audit_record
from lianluo.deputies.models import Deputy
from lianluo.deputies.selectors import deputy_for_user
from lianluo.duty.models import AutoEvent, DutyItem, EntrySource, EntryStatus, PointEntry
from lianluo.duty.selectors import can_manage_points
from lianluo.duty.services._common import (
    MAX_RECREDITS,
    PointsCode,
    deputy_not_found,
    keys_of,
    lock_deputy,
    within_cap,
)
from lianluo.stations.models import ReceptionDay, Station

# What the ledger reads of the events it is told about. The apps that call the hooks sit above
# the ledger and import it, never the reverse, so their models are described here by the few
# attributes used (an Activity, a Case, a Suggestion fit them).


class ActivityFacts(Protocol):
    @property
    def pk(self) -> Any: ...
    @property
    def start(self) -> datetime: ...
    @property
    def station(self) -> Station: ...
    @property
    def title(self) -> str: ...
    @property
    def signups(self) -> Any: ...


class CaseFacts(Protocol):
    @property
    def pk(self) -> Any: ...
    @property
    def congress_id(self) -> int: ...
    @property
    def station(self) -> Station | None: ...
    @property
    def number(self) -> str: ...


class RecordedCaseFacts(Protocol):
    @property
    def pk(self) -> Any: ...
    @property
    def congress_id(self) -> int: ...
    @property
    def deputy(self) -> Deputy | None: ...
    @property
    def station(self) -> Station | None: ...
    @property
    def number(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...


class SuggestionFacts(Protocol):
    @property
    def pk(self) -> Any: ...
    @property
    def deputy(self) -> Deputy | None: ...
    @property
    def congress(self) -> Congress: ...
    @property
    def title(self) -> str: ...


def home_congress(deputy: Deputy) -> Congress | None:
    """The congress whose catalog counts a deputy's work that has no station: their township
    mandate's, else their county mandate's, else their primary station's congress."""
    mandates = {
        m.level: m.congress for m in deputy.mandates.select_related("congress").filter(active=True)
    }
    for level in ("township", "county"):
        if level in mandates:
            return mandates[level]
    station = (
        Station.objects.filter(memberships__deputy=deputy)
        .select_related("congress")
        .order_by("-memberships__primary", "pk")
        .first()
    )
    return station.congress if station is not None else None


def auto_item(*, congress_id: int, year: int, event: str) -> DutyItem | None:
    """The active item of a congress's catalog for the year that this event credits."""
    return (
        DutyItem.objects.filter(congress_id=congress_id, year=year, auto_event=event, active=True)
        .order_by("order", "pk")
        .first()
    )


def points_credit_event(
    *,
    deputy: Deputy,
    event: str,
    source_key: str,
    occurred_on: date,
    station: Station | None = None,
    congress: Congress | None = None,
    actor: User | None = None,
    note: str = "",
    item: DutyItem | None = None,
) -> PointEntry | None:
    """Credit a deputy for a platform event, once: the entry of the active catalog item of the
    event's congress (the station's, else the one given, else `home_congress`) and year that
    this event credits. Call it inside the transaction of the service that did the work.

    Returns the new entry, or None when nothing is credited: no such item, the event was
    credited already (same `source_key`: a replay is a no-op), or the yearly cap is used up.
    """
    if event not in AutoEvent.values or not event:
        raise ValueError(f"not an automatic event: {event!r}")
    if item is None:
        if congress is None:
            congress = station.congress if station is not None else home_congress(deputy)
        if congress is None:
            return None
        item = auto_item(congress_id=congress.pk, year=occurred_on.year, event=event)
    if item is None:
        return None
    with transaction.atomic():
        lock_deputy(deputy)
        previous = list(
            PointEntry.objects.filter(source_key__in=keys_of(source_key)).values_list(
                "source_key", "reversed_by"
            )
        )
        if any(reversal is None for _key, reversal in previous):
            return None  # credited already and still counted: a replay changes nothing
        if len(previous) >= MAX_RECREDITS:
            return None
        key = source_key if not previous else f"{source_key}#{len(previous) + 1}"
        points, cap_note = within_cap(deputy.pk, item, Decimal(item.points))
        if points <= 0:
            return None
        try:
            with transaction.atomic():  # a savepoint: a lost race must not break the caller
                return PointEntry.objects.create(
                    deputy=deputy,
                    item=item,
                    year=occurred_on.year,
                    occurred_on=occurred_on,
                    points=points,
                    source=EntrySource.AUTO,
                    status=EntryStatus.APPROVED,
                    source_key=key,
                    station=station,
                    note=" ".join(p for p in (note[:400], cap_note) if p),
                    created_by=actor if actor is not None and actor.is_authenticated else None,
                )
        except IntegrityError:
            return None  # the same event credited concurrently: the other one counts


def reverse_entry(entry: PointEntry, *, actor: User | None, reason: str) -> PointEntry:
    """Write the reversing entry of `entry` (its negative), audited; a second reversal of the
    same entry is refused by the database (`already_reversed`)."""
    try:
        with transaction.atomic():
            reversal = PointEntry.objects.create(
                deputy_id=entry.deputy_id,
                item_id=entry.item_id,
                year=entry.year,
                occurred_on=entry.occurred_on,
                points=-entry.points,
                source=EntrySource.REVERSAL,
                status=EntryStatus.APPROVED,
                station_id=entry.station_id,
                reverses=entry,
                reason=reason[:500],
                created_by=actor if actor is not None and actor.is_authenticated else None,
                verified_by=actor if actor is not None and actor.is_authenticated else None,
                verified_at=timezone.now(),
            )
    except IntegrityError as exc:
        raise Conflict(
            PointsCode.ALREADY_REVERSED, _("This entry has been reversed already.")
        ) from exc
    audit_record(
        actor=actor,
        verb="points.reverse",
        target=entry,
        data={"reversal": reversal.pk, "points": str(entry.points), "reason": reason[:500]},
    )
    return reversal


def points_withdraw_event(*, source_key: str, actor: User | None, reason: str) -> PointEntry | None:
    """Reverse the counted automatic entry of an event that turned out not to have happened
    (an officer corrects a record); returns the reversal, or None if nothing was counted."""
    live = (
        PointEntry.objects.filter(
            source_key__in=keys_of(source_key), status=EntryStatus.APPROVED, reversed_by=None
        )
        .order_by("-pk")
        .first()
    )
    if live is None:
        return None
    return reverse_entry(live, actor=actor, reason=reason)


def _sync_attendance(
    *,
    prefix: str,
    event: str,
    present: list[Deputy],
    candidates: set[int],
    occurred_on: date,
    station: Station,
    actor: User | None,
    note: str,
    reason: str,
) -> None:
    present_ids = {d.pk for d in present}
    item = auto_item(congress_id=station.congress_id, year=occurred_on.year, event=event)
    if item is not None:
        for deputy in present:
            points_credit_event(
                deputy=deputy,
                event=event,
                source_key=f"{prefix}:{deputy.pk}",
                occurred_on=occurred_on,
                station=station,
                actor=actor,
                note=note,
                item=item,
            )
    absent = candidates - present_ids
    if not absent:
        return
    keys = [k for pk in absent for k in keys_of(f"{prefix}:{pk}")]
    live = PointEntry.objects.filter(
        source_key__in=keys, status=EntryStatus.APPROVED, reversed_by=None
    )
    for entry in live:
        reverse_entry(entry, actor=actor, reason=reason)


def points_for_reception(*, day: ReceptionDay, deputies: list[Deputy], actor: User | None) -> None:
    """Hook of the reception record: every deputy present is credited "reception attended"
    once per day; a deputy taken off a corrected record has that credit reversed."""
    candidates = set(day.station.memberships.values_list("deputy_id", flat=True))
    candidates |= set(day.duty.values_list("deputy_id", flat=True))
    with override("zh-hans"):
        reason = _("Not present according to the corrected reception record.")
    _sync_attendance(
        prefix=f"reception:{day.pk}",
        event=AutoEvent.RECEPTION_ATTENDED,
        present=list(deputies),
        candidates=candidates | {d.pk for d in deputies},
        occurred_on=day.date,
        station=day.station,
        actor=actor,
        note=day.station.name,
        reason=reason,
    )


def points_for_activity(
    *, activity: ActivityFacts, deputies: list[Deputy], actor: User | None, complete: bool = True
) -> None:
    """Hook of activity attendance: every deputy checked in (by QR code or marked by hand) is
    credited "activity checked in" once per activity. With `complete` (the officer's record,
    the final attendance) deputies no longer marked present have that credit reversed."""
    occurred_on = timezone.localtime(activity.start).date()
    with override("zh-hans"):
        reason = _("Not present according to the corrected activity record.")
    candidates: set[int] = set()
    if complete:
        candidates = set(activity.signups.values_list("deputy_id", flat=True))
    _sync_attendance(
        prefix=f"activity:{activity.pk}",
        event=AutoEvent.ACTIVITY_CHECKED_IN,
        present=list(deputies),
        candidates=candidates | {d.pk for d in deputies},
        occurred_on=occurred_on,
        station=activity.station,
        actor=actor,
        note=activity.title[:200],
        reason=reason,
    )


# The work on a case that earns points, by action: the answer (on the spot or later), and the
# follow-up with the citizen or the close-out (办结销号), once per case each.
CASE_WORK = {
    "answer": AutoEvent.CASE_ANSWERED,
    "answer_on_spot": AutoEvent.CASE_ANSWERED,
    "follow_up": AutoEvent.CASE_CLOSED,
    "close": AutoEvent.CASE_CLOSED,
}


def case_worker(actor: User | None) -> Deputy | None:
    """Who earns the points of a step on a case: the deputy the acting user is (their deputy
    role), else nobody — an officer's or a department's work earns no deputy points, whoever is
    named responsible. The one rule of the live hook and of the replay (board.replay)."""
    if actor is None or not actor.is_authenticated:
        return None
    return deputy_for_user(actor)


def points_for_case(*, case: CaseFacts, action: str, actor: User | None) -> PointEntry | None:
    """Hook of the case workflow: a deputy who answers a case (or answers it on the spot) is
    credited "case answered", one who follows it up with the citizen (or closes it out)
    "case closed"; once per case each (a reopened case answered again credits nothing more).
    Staff, officers and departments doing the same earn nobody points (`case_worker`)."""
    event = CASE_WORK.get(action)
    deputy = case_worker(actor)
    if event is None or deputy is None:
        return None
    today = timezone.localdate()
    # A case is numbered in its station's congress: that congress's catalog counts it.
    item = auto_item(congress_id=case.congress_id, year=today.year, event=event)
    if item is None:
        return None
    return points_credit_event(
        deputy=deputy,
        event=event,
        source_key=f"{event}:{case.pk}",
        occurred_on=today,
        station=case.station,
        actor=actor,
        note=case.number,
        item=item,
    )


def points_for_case_record(*, case: RecordedCaseFacts, actor: User | None) -> PointEntry | None:
    """Hook of a field record (cases.services.case_submit): the deputy who brought the matter in
    (the case's deputy: the recording deputy themselves, or the one staff typed it in for) is
    credited "case recorded" once per case, on the day it occurred."""
    if case.deputy is None:
        return None
    occurred_on = timezone.localtime(case.created_at).date()
    item = auto_item(
        congress_id=case.congress_id, year=occurred_on.year, event=AutoEvent.CASE_RECORDED
    )
    if item is None:
        return None
    return points_credit_event(
        deputy=case.deputy,
        event=AutoEvent.CASE_RECORDED,
        source_key=f"{AutoEvent.CASE_RECORDED}:{case.pk}",
        occurred_on=occurred_on,
        station=case.station,
        actor=actor,
        note=case.number,
        item=item,
    )


def points_for_suggestion(*, suggestion: SuggestionFacts, actor: User | None) -> PointEntry | None:
    """Hook of suggestion filing: the suggestion's deputy is credited "suggestion filed" once."""
    if suggestion.deputy is None:
        return None
    return points_credit_event(
        deputy=suggestion.deputy,
        event=AutoEvent.SUGGESTION_FILED,
        source_key=f"suggestion_filed:{suggestion.pk}",
        occurred_on=timezone.localdate(),
        congress=suggestion.congress,
        actor=actor,
        note=suggestion.title[:200],
    )


@transaction.atomic
def duty_report_submit(
    *, actor: User, deputy: Deputy, year: int, occurred_on: date | None = None
) -> PointEntry | None:
    """The deputy has reported on their year's duty to the voters (述职): credits "reporting
    duty to voters" once per deputy and year. The deputy or whoever runs their points may
    record it. Returns the entry, or None when it was recorded before."""
    if not (deputy.pk in scope_for(actor).deputy_ids or can_manage_points(actor, deputy)):
        raise deputy_not_found()
    occurred_on = occurred_on or timezone.localdate()
    if occurred_on.year != year or occurred_on > timezone.localdate():
        raise DomainError(
            PointsCode.INVALID_VALUE,
            _("The date must be in %(year)s and not in the future.") % {"year": year},
            field="occurred_on",
        )
    congress = home_congress(deputy)
    item = (
        auto_item(congress_id=congress.pk, year=year, event=AutoEvent.REPORT_SUBMITTED)
        if congress is not None
        else None
    )
    if item is None:
        raise DomainError(
            PointsCode.NO_CATALOG,
            _("The %(year)s catalog has no item for reporting duty to voters.") % {"year": year},
        )
    entry = points_credit_event(
        deputy=deputy,
        event=AutoEvent.REPORT_SUBMITTED,
        source_key=f"duty_report:{deputy.pk}:{year}",
        occurred_on=occurred_on,
        actor=actor,
        item=item,
    )
    audit_record(
        actor=actor,
        verb="duty_report.submit",
        target=deputy,
        data={"year": year, "entry": entry.pk if entry else None},
    )
    return entry
