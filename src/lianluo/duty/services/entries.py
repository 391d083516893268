"""Records registered by an officer, self-reported by the deputy, verified, reversed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from lianluo.core.errors import Conflict, DomainError, Forbidden
from lianluo.core.models import User
from lianluo.core.scope import scope_for
from lianluo.core.services import audit_record, outbox_enqueue
from lianluo.deputies.models import Deputy
from lianluo.deputies.selectors import deputy_for_user
from lianluo.duty.models import DutyItem, EntrySource, EntryStatus, PointEntry
from lianluo.duty.selectors import (
    can_manage_points,
    deputy_congress_ids,
    officer_station_for,
)
from lianluo.duty.services._common import (
    EvidenceFile,
    PointsCode,
    archive_link,
    deputy_not_found,
    entry_not_found,
    lock_deputy,
    officers_of_deputy,
    store_evidence,
    users_of_deputy,
    within_cap,
)
from lianluo.duty.services.credit import reverse_entry
from lianluo.stations.models import Station


def _check_item(*, deputy: Deputy, item: DutyItem, occurred_on: date) -> None:
    item.refresh_from_db()  # the catalog as it is now: its points and cap apply from now on
    if not item.active or item.congress_id not in deputy_congress_ids(deputy):
        raise DomainError(
            PointsCode.INVALID_VALUE,
            _("This item is not in the deputy's catalog."),
            field="item",
        )
    if item.auto_event:
        raise DomainError(
            PointsCode.AUTOMATIC_ITEM,
            _("This item is credited automatically from the platform; it is not registered."),
            field="item",
        )
    if occurred_on > timezone.localdate():
        raise DomainError(
            PointsCode.INVALID_VALUE, _("The date cannot be in the future."), field="occurred_on"
        )
    if occurred_on.year != item.year:
        raise DomainError(
            PointsCode.INVALID_VALUE,
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
        raise Conflict(
            PointsCode.DUPLICATE,
            _("This has been recorded already (same item, date and description)."),
        )


def _check_record(
    *, deputy: Deputy, item: DutyItem, occurred_on: date, note: str, evidence: EvidenceFile | None
) -> None:
    """What a registered and a self-reported record both pass: the item, the date, the
    evidence; then the deputy's ledger is locked and the same work is not there already."""
    _check_item(deputy=deputy, item=item, occurred_on=occurred_on)
    if item.evidence_required and evidence is None:
        raise DomainError(
            PointsCode.EVIDENCE_REQUIRED,
            _("This item needs evidence: attach a photo or a PDF."),
            field="evidence",
        )
    lock_deputy(deputy)
    _check_duplicate(deputy=deputy, item=item, occurred_on=occurred_on, note=note)


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
        raise deputy_not_found()
    note = note.strip()
    _check_record(deputy=deputy, item=item, occurred_on=occurred_on, note=note, evidence=evidence)
    points, cap_note = within_cap(deputy.pk, item, Decimal(item.points))
    if points <= 0:
        raise Conflict(
            PointsCode.CAP_REACHED,
            _("The yearly cap of this item (%(cap)s points) is reached.")
            % {"cap": item.yearly_cap},
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
    return _save_and_tell(
        entry,
        evidence,
        recipients=users_of_deputy(deputy),
        kind="points_registered",
        subject=lambda: (
            _("Duty record registered: %(item)s, %(points)s points")
            % {"item": item.name, "points": points}
        ),
        link=archive_link(deputy, entry.year),
    )


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
        raise Forbidden(
            PointsCode.NOT_ALLOWED,
            _("Only deputies report their own duty records."),
        )
    note = note.strip()
    if not note:
        raise DomainError(PointsCode.INVALID_VALUE, _("Describe what you did."), field="note")
    _check_record(deputy=deputy, item=item, occurred_on=occurred_on, note=note, evidence=evidence)
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
    return _save_and_tell(
        entry,
        evidence,
        recipients=officers_of_deputy(deputy),
        kind="points_to_verify",
        subject=lambda: (
            _("To verify: %(name)s reported %(item)s") % {"name": deputy.name, "item": item.name}
        ),
        link="/points/verify/",
    )


def _save_and_tell(
    entry: PointEntry,
    evidence: EvidenceFile | None,
    *,
    recipients: Iterable[User],
    kind: str,
    subject: Callable[[], str],
    link: str,
) -> PointEntry:
    """Save a new entry with its evidence and tell `recipients`: the subject is written in
    Chinese, the body is the start of the entry's note."""
    store_evidence(entry, evidence)
    entry.save()
    with override("zh-hans"):
        text = subject()
    outbox_enqueue(recipients=recipients, kind=kind, subject=text, body=entry.note[:200], link=link)
    return entry


def _entry_locked(*, actor: User, entry: PointEntry) -> PointEntry:
    """The entry as it is now, locked, if the actor runs the deputy's points (else 404)."""
    entry = (
        PointEntry.objects.select_for_update(of=("self",))
        .select_related("deputy", "item")
        .filter(pk=entry.pk)
        .first()
    ) or entry
    if not can_manage_points(actor, entry.deputy):
        raise entry_not_found()
    return entry


@transaction.atomic
def points_verify(*, actor: User, entry: PointEntry, approve: bool, reason: str = "") -> PointEntry:
    """Approve or reject a self-reported record (an officer of one of the deputy's stations, or
    congress staff in scope; never the deputy themselves). Rejecting needs a reason. Approving
    applies the yearly cap at that moment: what remains counts, and when nothing remains the
    approval is refused (reject it, saying so). The deputy is notified."""
    entry = _entry_locked(actor=actor, entry=entry)
    if entry.deputy_id in scope_for(actor).deputy_ids:
        raise Forbidden(PointsCode.NOT_ALLOWED, _("You cannot verify your own record."))
    if entry.status != EntryStatus.PENDING:
        raise Conflict(
            PointsCode.INVALID_STATUS,
            _("This entry is not awaiting verification (it is “%(status)s”).")
            % {"status": EntryStatus(entry.status).label},
        )
    reason = reason.strip()
    lock_deputy(entry.deputy)
    if approve:
        points, cap_note = within_cap(entry.deputy_id, entry.item, Decimal(entry.points))
        if points <= 0:
            raise Conflict(
                PointsCode.CAP_REACHED,
                _(
                    "The yearly cap of this item (%(cap)s points) is reached: reject the "
                    "record and say so."
                )
                % {"cap": entry.item.yearly_cap},
            )
        entry.points = points
        entry.status = EntryStatus.APPROVED
        entry.reason = " ".join(p for p in (reason, cap_note) if p)[:500]
    else:
        if not reason:
            raise DomainError(
                PointsCode.INVALID_VALUE, _("Give the reason for rejecting."), field="reason"
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
        recipients=users_of_deputy(entry.deputy),
        kind="points_verified",
        subject=subject,
        body=entry.reason[:200],
        link=archive_link(entry.deputy, entry.year),
    )
    return entry


@transaction.atomic
def points_reverse(*, actor: User, entry: PointEntry, reason: str) -> PointEntry:
    """Correct a counted entry by a reversing one (negative points, `reverses` = the entry),
    at most once; the entry itself is never edited. Needs a reason; audited; the deputy is
    notified. Returns the reversal."""
    entry = _entry_locked(actor=actor, entry=entry)
    reason = reason.strip()
    if not reason:
        raise DomainError(
            PointsCode.INVALID_VALUE, _("Give the reason for the correction."), field="reason"
        )
    if entry.source == EntrySource.REVERSAL or entry.status != EntryStatus.APPROVED:
        raise Conflict(
            PointsCode.INVALID_STATUS,
            _("Only a counted entry can be reversed."),
        )
    if PointEntry.objects.filter(reverses=entry).exists():
        raise Conflict(PointsCode.ALREADY_REVERSED, _("This entry has been reversed already."))
    reversal = reverse_entry(entry, actor=actor, reason=reason)
    with override("zh-hans"):
        subject = _("Corrected: %(item)s, %(points)s points") % {
            "item": entry.item.name,
            "points": reversal.points,
        }
    outbox_enqueue(
        recipients=users_of_deputy(entry.deputy),
        kind="points_reversed",
        subject=subject,
        body=reason[:200],
        link=archive_link(entry.deputy, entry.year),
    )
    return reversal
