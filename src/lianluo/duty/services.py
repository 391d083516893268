"""Writes of the duty archive and points ledger (履职档案 · 积分管理).

Points are an append-only ledger (PointEntry). Three sources write it:

* automatic, from the platform event that did the work: the services of reception records,
  activity check-in and attendance, the case workflow and suggestion filing call
  `points_credit_event` (or one of the `points_for_*` helpers) explicitly, inside their own
  transaction. The entry's unique `source_key` names the event ("case_answered:17"), so a
  replayed event credits nothing more;
* registered by a liaison officer (or congress staff) with evidence: counted at once;
* self-reported by the deputy: pending until an officer approves or rejects it (with a reason).

Corrections are reversing entries (`points_reverse`), never edits; a reversal reverses once.
The yearly cap of an item is applied when an entry starts to count: an entry that would pass the
cap is credited with the points that remain, and when nothing remains an automatic event credits
nothing (no entry is written, so a reversal that frees room lets a later event count), while a
registration or an approval is refused with `cap_reached`.

Catalog edits (`duty_item_save`) change only what is credited afterwards: every entry keeps the
points it was credited with.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from lianluo.core.errors import DomainError, NotFound
from lianluo.core.models import Congress, Role, User
from lianluo.core.scope import scope_for
from lianluo.core.selectors import users_with_role
from lianluo.core.services import audit_record, outbox_enqueue
from lianluo.deputies.models import Deputy
from lianluo.deputies.selectors import deputy_for_user
from lianluo.duty.catalog import DEFAULT_ITEMS
from lianluo.duty.models import AutoEvent, DutyItem, EntrySource, EntryStatus, PointEntry
from lianluo.duty.selectors import (
    can_manage_points,
    deputy_congress_ids,
    officer_station_for,
)
from lianluo.stations.models import Station

if TYPE_CHECKING:  # the services that call the hooks import this module, never the reverse
    from lianluo.activities.models import Activity
    from lianluo.cases.models import Case
    from lianluo.stations.models import ReceptionDay
    from lianluo.suggestions.models import Suggestion


class PointsError:
    """Stable codes of points refusals (the message is translated where raised)."""

    NOT_ALLOWED = "not_allowed"
    INVALID_VALUE = "invalid_value"
    EVIDENCE_REQUIRED = "evidence_required"
    CAP_REACHED = "cap_reached"
    DUPLICATE = "duplicate"
    INVALID_STATUS = "invalid_status"
    ALREADY_REVERSED = "already_reversed"
    NO_CATALOG = "no_catalog"
    AUTOMATIC_ITEM = "automatic_item"


@dataclass(frozen=True)
class EvidenceFile:
    """An evidence file already checked by the form (a photo re-encoded without metadata, or a
    PDF): `lianluo.core.uploads.evidence_clean` makes these."""

    content: bytes
    extension: str


# A withdrawn automatic entry may be credited again (the officer corrects a record twice): the
# next credit of the same event uses "<key>#2", "<key>#3" … up to this many times.
MAX_RECREDITS = 9


def _refuse(code: str, message: str, *, status: int = 422, field: str | None = None) -> DomainError:
    error = DomainError(code, message, field=field)
    error.status = status
    return error


def _not_found() -> NotFound:
    return NotFound("not_found", _("No deputy has this code."))


def _keys(base: str) -> list[str]:
    return [base] + [f"{base}#{n}" for n in range(2, MAX_RECREDITS + 1)]


def _lock_deputy(deputy: Deputy) -> None:
    """Serialize ledger writes of one deputy (caps are checked then written)."""
    Deputy.objects.select_for_update().filter(pk=deputy.pk).values_list("pk", flat=True).first()


def _counted(deputy_id: int, item: DutyItem) -> Decimal:
    total = PointEntry.objects.filter(
        year=item.year, deputy_id=deputy_id, status=EntryStatus.APPROVED, item=item
    ).aggregate(total=Sum("points"))["total"]
    return Decimal(total or 0)


def _within_cap(deputy_id: int, item: DutyItem, points: Decimal) -> tuple[Decimal, str]:
    """(points that may count now, a note when the cap cut them)."""
    if item.yearly_cap is None or points <= 0:
        return points, ""
    remaining = Decimal(item.yearly_cap) - _counted(deputy_id, item)
    if remaining <= 0:
        return Decimal(0), ""
    if points > remaining:
        with override("zh-hans"):
            note = _("Yearly cap %(cap)s: %(points)s of %(full)s counted.") % {
                "cap": item.yearly_cap,
                "points": remaining,
                "full": points,
            }
        return remaining, note
    return points, ""


def _users_of_deputy(deputy: Deputy) -> list[User]:
    return users_with_role(Role.DEPUTY, deputy=deputy)


def _officers_of_deputy(deputy: Deputy) -> list[User]:
    stations = Station.objects.filter(memberships__deputy=deputy).values("pk")
    return users_with_role(Role.LIAISON, station__in=stations)


def _archive_link(deputy: Deputy, year: int) -> str:
    return f"/points/deputies/{deputy.code}/?year={year}"


def _store_evidence(entry: PointEntry, evidence: EvidenceFile | None) -> None:
    if evidence is not None:
        entry.evidence.save(
            f"{uuid.uuid4().hex}.{evidence.extension}", ContentFile(evidence.content), save=False
        )


# ---- the catalog -------------------------------------------------------------------------------


def _require_congress_staff(actor: User | None, congress: Congress) -> None:
    """Congress staff whose area covers the congress (or the system administrator)."""
    if actor is None:
        return  # the system itself (demo, commands)
    if not scope_for(actor).covers_path(congress.area.path, acting=True):
        raise NotFound("not_found", _("Congress not found."))


@transaction.atomic
def catalog_install_default(*, congress: Congress, year: int, actor: User | None) -> list[DutyItem]:
    """Install the default catalog (26 items) for a congress and year; items whose code the
    year already has are kept as they are, so installing twice changes nothing. Returns the
    items created."""
    _require_congress_staff(actor, congress)
    existing = set(
        DutyItem.objects.filter(congress=congress, year=year).values_list("code", flat=True)
    )
    rows = [
        DutyItem(
            congress=congress,
            year=year,
            code=d.code,
            name=d.name,
            name_en=d.name_en,
            points=d.points,
            yearly_cap=d.yearly_cap,
            evidence_required=d.evidence_required,
            auto_event=d.auto_event,
            order=(n + 1) * 10,
        )
        for n, d in enumerate(DEFAULT_ITEMS)
        if d.code not in existing
    ]
    created = DutyItem.objects.bulk_create(rows, ignore_conflicts=True)
    if created:
        audit_record(
            actor=actor,
            verb="duty_catalog.install",
            target=congress,
            data={"year": year, "items": [r.code for r in rows]},
        )
    return created


@transaction.atomic
def catalog_copy_year(
    *, congress: Congress, year: int, actor: User | None, from_year: int | None = None
) -> list[DutyItem]:
    """Start a year's catalog from an earlier year's (the latest before it by default), item by
    item as edited there; codes the year already has are left alone. Returns the new items."""
    _require_congress_staff(actor, congress)
    if from_year is None:
        from_year = (
            DutyItem.objects.filter(congress=congress, year__lt=year).aggregate(y=Max("year"))["y"]
            or 0
        )
    source = list(DutyItem.objects.filter(congress=congress, year=from_year))
    if not source:
        raise _refuse(
            PointsError.NO_CATALOG,
            _("There is no earlier catalog to copy. Install the default catalog instead."),
        )
    existing = set(
        DutyItem.objects.filter(congress=congress, year=year).values_list("code", flat=True)
    )
    rows = [
        DutyItem(
            congress=congress,
            year=year,
            code=s.code,
            name=s.name,
            name_en=s.name_en,
            points=s.points,
            yearly_cap=s.yearly_cap,
            evidence_required=s.evidence_required,
            auto_event=s.auto_event,
            order=s.order,
            active=s.active,
        )
        for s in source
        if s.code not in existing
    ]
    created = DutyItem.objects.bulk_create(rows, ignore_conflicts=True)
    audit_record(
        actor=actor,
        verb="duty_catalog.copy",
        target=congress,
        data={"from": from_year, "year": year, "items": [r.code for r in rows]},
    )
    return created


_ITEM_FIELDS = (
    "name",
    "name_en",
    "points",
    "yearly_cap",
    "evidence_required",
    "auto_event",
    "order",
    "active",
)


@transaction.atomic
def duty_item_save(*, actor: User, item: DutyItem, changes: dict[str, Any]) -> DutyItem:
    """Edit one catalog item (its points, cap, evidence rule, automatic event, order, active).
    Entries already credited keep their points: the change applies from now on. Audited with
    the values before and after."""
    item = (
        DutyItem.objects.select_for_update(of=("self",))
        .select_related("congress__area")
        .get(pk=item.pk)
    )
    _require_congress_staff(actor, item.congress)
    unknown = set(changes) - set(_ITEM_FIELDS)
    if unknown:
        raise _refuse(PointsError.INVALID_VALUE, _("Unknown field."), field=sorted(unknown)[0])
    points = changes.get("points", item.points)
    if points is None or Decimal(points) <= 0:
        raise _refuse(
            PointsError.INVALID_VALUE, _("Points must be more than zero."), field="points"
        )
    cap = changes.get("yearly_cap", item.yearly_cap)
    if cap is not None and Decimal(cap) < Decimal(points):
        raise _refuse(
            PointsError.INVALID_VALUE,
            _("The yearly cap cannot be lower than the points of one entry."),
            field="yearly_cap",
        )
    event = changes.get("auto_event", item.auto_event) or ""
    if event not in AutoEvent.values:
        raise _refuse(PointsError.INVALID_VALUE, _("Unknown event."), field="auto_event")
    if (
        event
        and changes.get("active", item.active)
        and DutyItem.objects.filter(
            congress=item.congress, year=item.year, auto_event=event, active=True
        )
        .exclude(pk=item.pk)
        .exists()
    ):
        raise _refuse(
            PointsError.INVALID_VALUE,
            _("Another active item of this year is already credited by this event."),
            field="auto_event",
        )
    before = {f: str(getattr(item, f)) for f in _ITEM_FIELDS}
    for name, value in changes.items():
        setattr(item, name, value)
    item.auto_event = event
    item.save()
    after = {f: str(getattr(item, f)) for f in _ITEM_FIELDS}
    audit_record(
        actor=actor,
        verb="duty_item.change",
        target=item,
        data={
            "before": {k: v for k, v in before.items() if after[k] != v},
            "after": {k: v for k, v in after.items() if before[k] != v},
        },
    )
    return item


# ---- automatic credits from platform events ---------------------------------------------------


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
        _lock_deputy(deputy)
        previous = list(
            PointEntry.objects.filter(source_key__in=_keys(source_key)).values_list(
                "source_key", "reversed_by"
            )
        )
        if any(reversal is None for _key, reversal in previous):
            return None  # credited already and still counted: a replay changes nothing
        if len(previous) >= MAX_RECREDITS:
            return None
        key = source_key if not previous else f"{source_key}#{len(previous) + 1}"
        points, cap_note = _within_cap(deputy.pk, item, Decimal(item.points))
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


def _reverse(entry: PointEntry, *, actor: User | None, reason: str) -> PointEntry:
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
        raise _refuse(
            PointsError.ALREADY_REVERSED, _("This entry has been reversed already."), status=409
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
            source_key__in=_keys(source_key), status=EntryStatus.APPROVED, reversed_by=None
        )
        .order_by("-pk")
        .first()
    )
    if live is None:
        return None
    return _reverse(live, actor=actor, reason=reason)


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
    keys = [k for pk in absent for k in _keys(f"{prefix}:{pk}")]
    live = PointEntry.objects.filter(
        source_key__in=keys, status=EntryStatus.APPROVED, reversed_by=None
    )
    for entry in live:
        _reverse(entry, actor=actor, reason=reason)


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
    *, activity: Activity, deputies: list[Deputy], actor: User | None, complete: bool = True
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


def points_for_case(*, case: Case, action: str, actor: User | None) -> PointEntry | None:
    """Hook of the case workflow: an answer (or an answer on the spot) credits the case's
    responsible deputy "case answered", closing it out credits them "case closed"; once per
    case each (a reopened case answered again credits nothing more)."""
    event = {
        "answer": AutoEvent.CASE_ANSWERED,
        "answer_on_spot": AutoEvent.CASE_ANSWERED,
        "close": AutoEvent.CASE_CLOSED,
    }.get(action)
    if event is None or case.responsible_deputy_id is None:
        return None
    today = timezone.localdate()
    # A case is numbered in its station's congress: that congress's catalog counts it.
    item = auto_item(congress_id=case.congress_id, year=today.year, event=event)
    if item is None:
        return None
    assert case.responsible_deputy is not None
    return points_credit_event(
        deputy=case.responsible_deputy,
        event=event,
        source_key=f"{event}:{case.pk}",
        occurred_on=today,
        station=case.station,
        actor=actor,
        note=case.number,
        item=item,
    )


def points_for_suggestion(*, suggestion: Suggestion, actor: User | None) -> PointEntry | None:
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
        raise _not_found()
    occurred_on = occurred_on or timezone.localdate()
    if occurred_on.year != year or occurred_on > timezone.localdate():
        raise _refuse(
            PointsError.INVALID_VALUE,
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
        raise _refuse(
            PointsError.NO_CATALOG,
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


# ---- registered, self-reported, verified, reversed ----------------------------------------------


def _check_item(*, deputy: Deputy, item: DutyItem, occurred_on: date) -> None:
    item.refresh_from_db()  # the catalog as it is now: its points and cap apply from now on
    if not item.active or item.congress_id not in deputy_congress_ids(deputy):
        raise _refuse(
            PointsError.INVALID_VALUE,
            _("This item is not in the deputy's catalog."),
            field="item",
        )
    if item.auto_event:
        raise _refuse(
            PointsError.AUTOMATIC_ITEM,
            _("This item is credited automatically from the platform; it is not registered."),
            field="item",
        )
    if occurred_on > timezone.localdate():
        raise _refuse(
            PointsError.INVALID_VALUE, _("The date cannot be in the future."), field="occurred_on"
        )
    if occurred_on.year != item.year:
        raise _refuse(
            PointsError.INVALID_VALUE,
            _("This item belongs to the %(year)s catalog: the date must be in that year.")
            % {"year": item.year},
            field="occurred_on",
        )


def _check_duplicate(*, deputy: Deputy, item: DutyItem, occurred_on: date, note: str) -> None:
    """The same work reported twice (same item, day and description) is refused."""
    same = PointEntry.objects.filter(
        deputy=deputy,
        item=item,
        occurred_on=occurred_on,
        note=note,
        status__in=[EntryStatus.PENDING, EntryStatus.APPROVED],
        reversed_by=None,
    ).exclude(source=EntrySource.REVERSAL)
    if same.exists():
        raise _refuse(
            PointsError.DUPLICATE,
            _("This has been recorded already (same item, date and description)."),
            status=409,
        )


@transaction.atomic
def points_register(
    *,
    actor: User,
    deputy: Deputy,
    item: DutyItem,
    occurred_on: date,
    note: str,
    evidence: EvidenceFile | None = None,
) -> PointEntry:
    """An officer (for the deputies of their stations) or congress staff (for the deputies in
    their area) registers a duty record; it counts at once, within the item's yearly cap.
    Evidence is required when the item says so. The deputy is notified."""
    if not can_manage_points(actor, deputy):
        raise _not_found()
    note = note.strip()
    _check_item(deputy=deputy, item=item, occurred_on=occurred_on)
    if item.evidence_required and evidence is None:
        raise _refuse(
            PointsError.EVIDENCE_REQUIRED,
            _("This item needs evidence: attach a photo or a PDF."),
            field="evidence",
        )
    _lock_deputy(deputy)
    _check_duplicate(deputy=deputy, item=item, occurred_on=occurred_on, note=note)
    points, cap_note = _within_cap(deputy.pk, item, Decimal(item.points))
    if points <= 0:
        raise _refuse(
            PointsError.CAP_REACHED,
            _("The yearly cap of this item (%(cap)s points) is reached.")
            % {"cap": item.yearly_cap},
            status=409,
        )
    now = timezone.now()
    entry = PointEntry(
        deputy=deputy,
        item=item,
        year=occurred_on.year,
        occurred_on=occurred_on,
        points=points,
        source=EntrySource.REGISTERED,
        status=EntryStatus.APPROVED,
        station=officer_station_for(actor, deputy),
        note=note[:500],
        reason=cap_note,
        created_by=actor,
        verified_by=actor,
        verified_at=now,
    )
    _store_evidence(entry, evidence)
    entry.save()
    with override("zh-hans"):
        subject = _("Duty record registered: %(item)s, %(points)s points") % {
            "item": item.name,
            "points": points,
        }
    outbox_enqueue(
        recipients=_users_of_deputy(deputy),
        kind="points_registered",
        subject=subject,
        body=note[:200],
        link=_archive_link(deputy, entry.year),
    )
    return entry


@transaction.atomic
def points_self_report(
    *,
    actor: User,
    item: DutyItem,
    occurred_on: date,
    note: str,
    evidence: EvidenceFile | None = None,
) -> PointEntry:
    """The deputy reports a duty record of their own; it waits for an officer of one of their
    stations (or congress staff) to verify it, and they are notified."""
    deputy = deputy_for_user(actor)
    if deputy is None:
        raise _refuse(
            PointsError.NOT_ALLOWED,
            _("Only deputies report their own duty records."),
            status=403,
        )
    note = note.strip()
    if not note:
        raise _refuse(PointsError.INVALID_VALUE, _("Describe what you did."), field="note")
    _check_item(deputy=deputy, item=item, occurred_on=occurred_on)
    if item.evidence_required and evidence is None:
        raise _refuse(
            PointsError.EVIDENCE_REQUIRED,
            _("This item needs evidence: attach a photo or a PDF."),
            field="evidence",
        )
    _lock_deputy(deputy)
    _check_duplicate(deputy=deputy, item=item, occurred_on=occurred_on, note=note)
    primary = (
        Station.objects.filter(memberships__deputy=deputy)
        .order_by("-memberships__primary", "pk")
        .first()
    )
    entry = PointEntry(
        deputy=deputy,
        item=item,
        year=occurred_on.year,
        occurred_on=occurred_on,
        points=item.points,
        source=EntrySource.SELF_REPORTED,
        status=EntryStatus.PENDING,
        station=primary,
        note=note[:500],
        created_by=actor,
    )
    _store_evidence(entry, evidence)
    entry.save()
    with override("zh-hans"):
        subject = _("To verify: %(name)s reported %(item)s") % {
            "name": deputy.name,
            "item": item.name,
        }
    outbox_enqueue(
        recipients=_officers_of_deputy(deputy),
        kind="points_to_verify",
        subject=subject,
        body=note[:200],
        link="/points/verify/",
    )
    return entry


@transaction.atomic
def points_verify(*, actor: User, entry: PointEntry, approve: bool, reason: str = "") -> PointEntry:
    """Approve or reject a self-reported record (an officer of one of the deputy's stations, or
    congress staff in scope; never the deputy themselves). Rejecting needs a reason. Approving
    applies the yearly cap at that moment: what remains counts, and when nothing remains the
    approval is refused (reject it, saying so). The deputy is notified."""
    entry = (
        PointEntry.objects.select_for_update(of=("self",))
        .select_related("deputy", "item")
        .filter(pk=entry.pk)
        .first()
    ) or entry
    if not can_manage_points(actor, entry.deputy):
        raise NotFound("not_found", _("Entry not found."))
    if entry.deputy_id in scope_for(actor).deputy_ids:
        raise _refuse(PointsError.NOT_ALLOWED, _("You cannot verify your own record."), status=403)
    if entry.status != EntryStatus.PENDING:
        raise _refuse(
            PointsError.INVALID_STATUS,
            _("This entry is not awaiting verification (it is “%(status)s”).")
            % {"status": EntryStatus(entry.status).label},
            status=409,
        )
    reason = reason.strip()
    _lock_deputy(entry.deputy)
    if approve:
        points, cap_note = _within_cap(entry.deputy_id, entry.item, Decimal(entry.points))
        if points <= 0:
            raise _refuse(
                PointsError.CAP_REACHED,
                _(
                    "The yearly cap of this item (%(cap)s points) is reached: reject the "
                    "record and say so."
                )
                % {"cap": entry.item.yearly_cap},
                status=409,
            )
        entry.points = points
        entry.status = EntryStatus.APPROVED
        entry.reason = " ".join(p for p in (reason, cap_note) if p)[:500]
    else:
        if not reason:
            raise _refuse(
                PointsError.INVALID_VALUE, _("Give the reason for rejecting."), field="reason"
            )
        entry.status = EntryStatus.REJECTED
        entry.reason = reason[:500]
    entry.verified_by = actor
    entry.verified_at = timezone.now()
    entry.save(update_fields=["points", "status", "reason", "verified_by", "verified_at"])
    audit_record(
        actor=actor,
        verb="points.approve" if approve else "points.reject",
        target=entry,
        data={"points": str(entry.points), "reason": entry.reason},
    )
    with override("zh-hans"):
        subject = (
            _("Approved: %(item)s, %(points)s points") if approve else _("Not approved: %(item)s")
        ) % {"item": entry.item.name, "points": entry.points}
    outbox_enqueue(
        recipients=_users_of_deputy(entry.deputy),
        kind="points_verified",
        subject=subject,
        body=entry.reason[:200],
        link=_archive_link(entry.deputy, entry.year),
    )
    return entry


@transaction.atomic
def points_reverse(*, actor: User, entry: PointEntry, reason: str) -> PointEntry:
    """Correct a counted entry by a reversing one (negative points, `reverses` = the entry),
    at most once; the entry itself is never edited. Needs a reason; audited; the deputy is
    notified. Returns the reversal."""
    entry = (
        PointEntry.objects.select_for_update(of=("self",))
        .select_related("deputy", "item")
        .filter(pk=entry.pk)
        .first()
    ) or entry
    if not can_manage_points(actor, entry.deputy):
        raise NotFound("not_found", _("Entry not found."))
    reason = reason.strip()
    if not reason:
        raise _refuse(
            PointsError.INVALID_VALUE, _("Give the reason for the correction."), field="reason"
        )
    if entry.source == EntrySource.REVERSAL or entry.status != EntryStatus.APPROVED:
        raise _refuse(
            PointsError.INVALID_STATUS,
            _("Only a counted entry can be reversed."),
            status=409,
        )
    if PointEntry.objects.filter(reverses=entry).exists():
        raise _refuse(
            PointsError.ALREADY_REVERSED, _("This entry has been reversed already."), status=409
        )
    reversal = _reverse(entry, actor=actor, reason=reason)
    with override("zh-hans"):
        subject = _("Corrected: %(item)s, %(points)s points") % {
            "item": entry.item.name,
            "points": reversal.points,
        }
    outbox_enqueue(
        recipients=_users_of_deputy(entry.deputy),
        kind="points_reversed",
        subject=subject,
        body=reason[:200],
        link=_archive_link(entry.deputy, entry.year),
    )
    return reversal


# ---- replay: credit every platform event of a year that has not been credited ------------------


def points_replay(*, year: int, actor: User | None = None) -> int:
    """Credit every platform event of the year through the same crediting as the live hooks:
    reception records, activity attendance, cases answered and closed out by their responsible
    deputy, suggestions filed. Safe to run any number of times (each event's `source_key` is
    credited once); it catches up events that happened before a catalog was installed or
    while an item was inactive. Returns the number of entries written."""
    from lianluo.activities.models import Signup
    from lianluo.cases.models import CaseEvent
    from lianluo.core.models import AuditLog
    from lianluo.stations.models import ReceptionRecord
    from lianluo.suggestions.models import Suggestion

    written = 0
    if not DutyItem.objects.filter(year=year, active=True).exclude(auto_event="").exists():
        return 0
    records = (
        ReceptionRecord.objects.filter(reception_day__date__year=year)
        .select_related("reception_day__station__congress")
        .prefetch_related("deputies_present")
    )
    for record in records:
        day = record.reception_day
        for deputy in record.deputies_present.all():
            with transaction.atomic():
                written += bool(
                    points_credit_event(
                        deputy=deputy,
                        event=AutoEvent.RECEPTION_ATTENDED,
                        source_key=f"reception:{day.pk}:{deputy.pk}",
                        occurred_on=day.date,
                        station=day.station,
                        actor=actor,
                        note=day.station.name,
                    )
                )
    signups = Signup.objects.filter(
        checked_in_at__isnull=False, activity__start__year=year
    ).select_related("activity__station__congress", "deputy")
    for signup in signups:
        activity = signup.activity
        with transaction.atomic():
            written += bool(
                points_credit_event(
                    deputy=signup.deputy,
                    event=AutoEvent.ACTIVITY_CHECKED_IN,
                    source_key=f"activity:{activity.pk}:{signup.deputy_id}",
                    occurred_on=timezone.localtime(activity.start).date(),
                    station=activity.station,
                    actor=actor,
                    note=activity.title[:200],
                )
            )
    events = (
        CaseEvent.objects.filter(
            action__in=["answer", "answer_on_spot", "close"],
            at__year=year,
            case__responsible_deputy__isnull=False,
        )
        .select_related("case__responsible_deputy", "case__station__congress", "case__congress")
        .order_by("at", "pk")
    )
    for event in events:
        case = event.case
        kind = AutoEvent.CASE_CLOSED if event.action == "close" else AutoEvent.CASE_ANSWERED
        assert case.responsible_deputy is not None
        with transaction.atomic():
            written += bool(
                points_credit_event(
                    deputy=case.responsible_deputy,
                    event=kind,
                    source_key=f"{kind}:{case.pk}",
                    occurred_on=timezone.localtime(event.at).date(),
                    station=case.station,
                    congress=case.congress,
                    actor=actor,
                    note=case.number,
                )
            )
    filed = Suggestion.objects.filter(status="filed", deputy__isnull=False).select_related(
        "deputy", "congress"
    )
    filed_at = {
        int(row.target_id): row.at
        for row in AuditLog.objects.filter(
            verb="suggestion.file", target_type="suggestions.suggestion"
        )
    }
    for suggestion in filed:
        at = filed_at.get(suggestion.pk, suggestion.created_at)
        on = timezone.localtime(at).date()
        if on.year != year:
            continue
        assert suggestion.deputy is not None
        with transaction.atomic():
            written += bool(
                points_credit_event(
                    deputy=suggestion.deputy,
                    event=AutoEvent.SUGGESTION_FILED,
                    source_key=f"suggestion_filed:{suggestion.pk}",
                    occurred_on=on,
                    congress=suggestion.congress,
                    actor=actor,
                    note=suggestion.title[:200],
                )
            )
    return written
