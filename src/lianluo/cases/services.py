"""Writes of the case ledger. Every state change goes through `case_transition`."""

from __future__ import annotations

import hashlib
import json
import secrets
import unicodedata
import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from lianluo.cases.models import Case, CaseEvent, CasePhoto, Category, DeclineReason
from lianluo.cases.permissions import (
    can_act,
    can_handle,
    case_categories,
    may_be_responsible,
)
from lianluo.cases.states import (
    TRANSITIONS,
    Action,
    CaseStatus,
    Channel,
    FollowUpMethod,
    Rating,
    Triage,
)
from lianluo.core.calendar import deadline_for
from lianluo.core.errors import DomainError, NotFound
from lianluo.core.models import Congress, Department, Role, RoleAssignment, User
from lianluo.core.scope import department_serves
from lianluo.core.services import audit_record, ledger_number_next, outbox_enqueue
from lianluo.core.uploads import CleanImage, image_clean
from lianluo.deputies.models import Deputy
from lianluo.duty.services import points_for_case
from lianluo.stations.models import ReceptionDay, Station
from lianluo.suggestions.services import suggestion_create


class CaseError:
    """Stable codes of case refusals (the message is translated where raised)."""

    INVALID_TRANSITION = "invalid_transition"
    NOT_ALLOWED = "not_allowed"
    MISSING_FIELD = "missing_field"
    INVALID_VALUE = "invalid_value"
    UNKNOWN_TARGET = "unknown_target"
    IDEMPOTENCY_CONFLICT = "idempotency_conflict"


class IdempotencyConflict(DomainError):
    """A key already used for a different submission: the key alone proves nothing about who
    sends it, so the first case is not returned (it would hand out its number and tracking
    code), and the new message is not recorded under it either."""

    status = 409

    def __init__(self) -> None:
        super().__init__(
            CaseError.IDEMPOTENCY_CONFLICT,
            _(
                "This idempotency key was already used for a different message, so this message "
                "was not recorded. Send it again with a new key."
            ),
        )


# Unambiguous alphabet (no 0/O, 1/I/L): 16 of 31 symbols = about 79 random bits.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_tracking_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


# An uploaded photo already checked and cleaned (`lianluo.core.uploads.image_clean`): bytes
# re-encoded without metadata, within the pixel budget.
Photo = CleanImage


def photo_clean(data: bytes, *, name: str = "") -> Photo:
    """Decode an image within the pixel budget, apply its orientation, and re-encode it without
    EXIF (no GPS); `UploadRefused` otherwise."""
    return image_clean(data, name=name)


def _recipients(*, station: Station | None, deputy: Deputy | None) -> list[User]:
    users: list[User] = []
    if station is not None:
        users += [
            ra.user
            for ra in RoleAssignment.objects.filter(role=Role.LIAISON, station=station)
            .select_related("user")
            .only("user")
        ]
    if deputy is not None and deputy.user_id:
        users.append(deputy.user)  # type: ignore[arg-type]
    return [u for u in users if u.is_active]


def _notify(case: Case, *, recipients: list[User], kind: str, subject: str) -> None:
    if recipients:
        outbox_enqueue(
            recipients=recipients,
            kind=kind,
            subject=subject,
            body=case.display_title,
            link=f"/ledger/{case.number}/",
        )


def _event(
    case: Case,
    *,
    action: str,
    from_status: str,
    actor: User | None,
    public_note: str = "",
    staff_note: str = "",
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        action=action,
        from_status=from_status,
        to_status=case.status,
        actor=actor if actor is not None and actor.is_authenticated else None,
        public_note=public_note,
        staff_note=staff_note,
        data=data or {},
    )


def case_submit(
    *,
    text: str,
    station: Station | None = None,
    deputy: Deputy | None = None,
    congress: Congress | None = None,
    channel: str | None = None,
    title: str = "",
    category: Category | None = None,
    category_text: str = "",
    place: str = "",
    name: str = "",
    phone: str = "",
    consent_publish: bool = False,
    idempotency_key: str | None = None,
    photos: list[Photo] | None = None,
    actor: User | None = None,
    escalated_from: Case | None = None,
    reception_day: ReceptionDay | None = None,
) -> tuple[Case, bool]:
    """Record a case and number it; returns (case, created).

    The case, its first event, its photos and the notifications to the station's liaison
    officers and the addressed deputy are written in one transaction: once this returns, nothing
    is lost. A retry of the same submission (same idempotency key, same addressee, same content:
    see `case_submission_digest`) returns the case it created before (created=False); the same
    key with anything else raises `IdempotencyConflict` (409) and records nothing.
    """
    digest = case_submission_digest(
        station=station,
        deputy=deputy,
        congress=congress,
        channel=channel,
        title=title,
        text=text,
        category=category,
        category_text=category_text,
        place=place,
        name=name,
        phone=phone,
        consent_publish=consent_publish,
        photos=photos,
        reception_day=reception_day,
    )
    if idempotency_key:
        existing = _replayed(idempotency_key, digest)
        if existing is not None:
            return existing, False
    if station is None and deputy is not None:
        station = (
            Station.objects.filter(memberships__deputy=deputy, active=True)
            .order_by("-memberships__primary", "id")
            .select_related("area", "congress")
            .first()
        )
    if congress is None:
        if station is None:
            raise DomainError(CaseError.UNKNOWN_TARGET, _("Choose a station or a deputy."))
        congress = station.congress
    scope_path = station.area.path if station is not None else congress.area.path
    if channel is None:
        channel = Channel.DEPUTY_QR if deputy is not None else Channel.STATION_QR
    # Reads before the transaction: it holds the ledger counter's row lock (SQLite: the
    # database's write lock) until it commits, so only the writes belong inside it.
    prefix = congress.number_prefix
    recipients = _recipients(station=station, deputy=deputy)
    try:
        with transaction.atomic():
            now = timezone.now()
            year = timezone.localtime(now).year
            seq = ledger_number_next(congress=congress, year=year)
            case = Case.objects.create(
                number=f"{prefix}-{year}-{seq:06d}",
                congress=congress,
                year=year,
                seq=seq,
                tracking_code=new_tracking_code(),
                idempotency_key=idempotency_key or None,
                submission_digest=digest,
                channel=channel,
                station=station,
                deputy=deputy,
                responsible_deputy=deputy,
                scope_path=scope_path,
                title=title,
                text=text,
                category=category,
                category_text=category_text if category is None else "",
                place=place,
                citizen_name=name,
                citizen_phone=phone,
                consent_publish=consent_publish,
                escalated_from=escalated_from,
                reception_day=reception_day,
                created_at=now,
            )
            _event(case, action="submit", from_status="", actor=actor, data={"number": case.number})
            for photo in photos or []:
                CasePhoto.objects.create(
                    case=case,
                    file=ContentFile(
                        photo.content, name=f"{uuid.uuid4().hex}.{photo.content_type[6:]}"
                    ),
                    content_type=photo.content_type,
                    width=photo.width,
                    height=photo.height,
                    size=len(photo.content),
                )
            with override("zh-hans"):
                subject = _("New case %(number)s") % {"number": case.number}
            _notify(
                case,
                recipients=recipients,
                kind="case_new",
                subject=subject,
            )
    except IntegrityError:
        # Two retries of one submission raced on the key's unique constraint: the loser
        # returns the winner's case if it is the same submission, and refuses (409) if not.
        if idempotency_key:
            existing = _replayed(idempotency_key, digest)
            if existing is not None:
                return existing, False
        raise
    return case, True


def _replayed(idempotency_key: str, digest: str) -> Case | None:
    """The case this key created, if `digest` says it is the same submission; None if the
    key is unused; `IdempotencyConflict` if it was used for something else (a row from before
    digests were stored has none and always conflicts: nothing can prove it is the same)."""
    existing = Case.objects.filter(idempotency_key=idempotency_key).first()
    if existing is None:
        return None
    if not existing.submission_digest or existing.submission_digest != digest:
        raise IdempotencyConflict()
    return existing


def _same_text(value: str) -> str:
    # What a browser sends (CRLF line ends, decomposed accents) and what an app sends for the
    # same words must give the same digest.
    return unicodedata.normalize("NFC", value.replace("\r\n", "\n")).strip()


def case_submission_digest(
    *,
    station: Station | None = None,
    deputy: Deputy | None = None,
    congress: Congress | None = None,
    channel: str | None = None,
    title: str = "",
    text: str,
    category: Category | None = None,
    category_text: str = "",
    place: str = "",
    name: str = "",
    phone: str = "",
    consent_publish: bool = False,
    photos: list[Photo] | None = None,
    reception_day: ReceptionDay | None = None,
) -> str:
    """A SHA-256 over a submission as sent (addressee and content, photos by their bytes):
    equal digests mean the same submission. Stored on the case at intake and never updated,
    so later edits by staff (a new category) do not turn a genuine retry into a conflict."""
    fields = {
        "station": station.pk if station is not None else None,
        "deputy": deputy.pk if deputy is not None else None,
        "congress": congress.pk if congress is not None else None,
        "channel": channel or "",
        "title": _same_text(title),
        "text": _same_text(text),
        "category": category.pk if category is not None else None,
        "category_text": "" if category is not None else _same_text(category_text),
        "place": _same_text(place),
        "name": _same_text(name),
        "phone": _same_text(phone),
        "consent_publish": bool(consent_publish),
        "photos": [hashlib.sha256(p.content).hexdigest() for p in photos or []],
        "reception_day": reception_day.pk if reception_day is not None else None,
    }
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _require(value: Any, field: str, message: str) -> Any:
    if value in (None, ""):
        raise DomainError(CaseError.MISSING_FIELD, message, field=field)
    return value


def _choice(value: str | None, choices: type[models.TextChoices], field: str) -> str:
    value = _require(value, field, _("This field is required."))
    if value not in choices.values:
        raise DomainError(
            CaseError.INVALID_VALUE,
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": value, "choices": ", ".join(choices.values)},
            field=field,
        )
    return str(value)


def _decline_reason(case: Case, reason: str) -> tuple[DeclineReason | None, str]:
    # `congress IN (x, NULL)` never matches NULL: the shared catalog needs its own condition.
    # The congress's own reason comes before a shared one with the same code.
    reasons = DeclineReason.objects.filter(
        models.Q(congress_id=case.congress_id) | models.Q(congress__isnull=True)
    ).order_by(models.F("congress_id").asc(nulls_last=True), "code")
    for row in reasons:
        if reason in (row.code, row.name, row.name_en):
            return row, ""
    return None, reason


def _check_references(
    case: Case,
    *,
    category: Category | None,
    deputy: Deputy | None,
    department: Department | None,
) -> None:
    """Refuse a transition that names a record the case may not refer to (see
    cases.permissions), with the very answer the API gives for a code that does not exist."""
    if category is not None and not case_categories(case).filter(pk=category.pk).exists():
        raise DomainError(CaseError.INVALID_VALUE, _("Unknown category."), field="category")
    if deputy is not None and not may_be_responsible(deputy, case):
        raise DomainError(CaseError.INVALID_VALUE, _("Unknown deputy."), field="deputy")
    if department is not None and not department_serves(department, case.congress.area.path):
        raise DomainError(CaseError.INVALID_VALUE, _("Unknown department."), field="department")


@transaction.atomic
def case_transition(
    *,
    case: Case,
    actor: User,
    action: str,
    triage: str | None = None,
    category: Category | None = None,
    deputy: Deputy | None = None,
    reason: str | None = None,
    department: Department | None = None,
    text: str | None = None,
    method: str | None = None,
    note: str | None = None,
    rating: str | None = None,
) -> Case:
    """Move a case along its lifecycle: the one place a case's status changes.

    Locks the row, checks the transition table, the actor's right to act and the action's
    fields, sets derived fields (deadline, answered_at, closed_at) and appends the event.
    Escalating opens a linked case in the congress above; converting files a draft suggestion;
    a dissatisfied rating reopens the case once.
    """
    # of=("self",): the case row only; locking its congress and area rows too would stop every
    # submission to that congress (its INSERT checks the foreign key) until this commits.
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("congress__area")
        .get(pk=case.pk)
    )
    if action not in TRANSITIONS:
        raise DomainError(
            CaseError.INVALID_VALUE,
            _("Unknown action “%(action)s”.") % {"action": action},
            field="action",
        )
    if not can_act(actor, case, action):
        raise DomainError(CaseError.NOT_ALLOWED, _("You may not do this on this case."))
    _check_references(case, category=category, deputy=deputy, department=department)
    sources, target = TRANSITIONS[action]
    if case.status not in sources:
        raise DomainError(
            CaseError.INVALID_TRANSITION,
            _("A case that is “%(status)s” cannot be given “%(action)s”.")
            % {"status": CaseStatus(case.status).label, "action": Action(action).label},
        )
    now = timezone.now()
    from_status = case.status
    public_note, staff_note = "", note or ""
    data: dict[str, Any] = {}
    after: list[Any] = []

    if action == Action.ACCEPT:
        case.triage = _choice(triage, Triage, "triage")
        case.deadline = deadline_for(congress=case.congress, triage=case.triage, start=now)
        case.accepted_at = now
        if category is not None:
            case.category, case.category_text = category, ""
        if deputy is not None:
            case.responsible_deputy = deputy
        data = {"triage": case.triage, "deadline": case.deadline.isoformat()}
    elif action == Action.DECLINE:
        reason = _require(reason, "reason", _("Give the reason for declining."))
        row, free_text = _decline_reason(case, reason)
        case.decline_reason = row
        if row is not None:
            data = {
                "reason": row.name,
                "reason_en": row.name_en,
                "guidance": row.guidance,
                "guidance_en": row.guidance_en,
            }
        else:
            data = {"reason": free_text}
        public_note, staff_note = note or "", ""
        case.closed_at = now
    elif action in (Action.ANSWER_ON_SPOT, Action.ANSWER):
        public_note = _require(text, "text", _("Write the answer."))
        if action == Action.ANSWER_ON_SPOT and case.triage != Triage.SIMPLE:
            raise DomainError(
                CaseError.INVALID_TRANSITION,
                _("Only cases classed as simple are answered on the spot."),
            )
        staff_note = ""
        case.answered_at = now
        if case.escalated_from_id and action == Action.ANSWER:
            after.append(("propagate_answer", public_note))
    elif action == Action.ASSIGN:
        _require(department, "department", _("Choose the department."))
        assert department is not None  # on the case's line of areas: _check_references
        case.department = department
        data = {
            "department": department.code,
            "department_name": department.name,
            "department_name_en": department.name_en,
        }
        after.append(("notify_department", department))
    elif action == Action.ESCALATE:
        reason = _require(reason, "reason", _("Give the reason for escalating."))
        parent = case.congress.parent_congress()
        if parent is None:
            raise DomainError(
                CaseError.INVALID_TRANSITION, _("There is no congress above this one.")
            )
        data = {"congress": parent.name}
        staff_note = reason
        after.append(("escalate", parent, reason))
    elif action == Action.CONVERT:
        suggestion = suggestion_create(
            actor=actor,
            congress=case.congress,
            deputy=case.responsible_deputy,
            title=case.display_title,
            text=case.text,
        )
        case.suggestion = suggestion
        data = {"suggestion": suggestion.pk}
    elif action == Action.FOLLOW_UP:
        case_method = _choice(method, FollowUpMethod, "method")
        data = {"method": case_method}
        staff_note = note or ""
    elif action == Action.RATE:
        case.rating = _choice(rating, Rating, "rating")
        data = {"rating": case.rating}
    elif action == Action.REOPEN:
        if case.rating != Rating.DISSATISFIED or case.reopened_count >= 1:
            raise DomainError(
                CaseError.INVALID_TRANSITION,
                _("A case is reopened only once, after a dissatisfied rating."),
            )
    elif action == Action.CLOSE:
        case.closed_at = now

    case.status = target
    if action == Action.REOPEN:
        case.reopened_count += 1
        case.closed_at = None
    case.save()
    _event(
        case,
        action=action,
        from_status=from_status,
        actor=actor,
        public_note=public_note,
        staff_note=staff_note,
        data=data,
    )
    # Duty points: the responsible deputy is credited for an answer and a close-out (once).
    points_for_case(case=case, action=action, actor=actor)

    for item in after:
        if item[0] == "notify_department":
            dept_users = [
                ra.user
                for ra in RoleAssignment.objects.filter(
                    role=Role.DEPARTMENT, department=item[1]
                ).select_related("user")
            ]
            with override("zh-hans"):
                subject = _("Case %(number)s assigned to your department") % {"number": case.number}
            _notify(case, recipients=dept_users, kind="case_assigned", subject=subject)
        elif item[0] == "escalate":
            linked, _created = case_submit(
                text=case.text,
                title=case.title,
                congress=item[1],
                channel=Channel.ESCALATION,
                category=case.category,
                category_text=case.category_text,
                place=case.place,
                name=case.citizen_name,
                phone=case.citizen_phone,
                consent_publish=case.consent_publish,
                actor=actor,
                escalated_from=case,
            )
            staff = [
                ra.user
                for ra in RoleAssignment.objects.filter(
                    role=Role.STAFF, area=item[1].area
                ).select_related("user")
            ]
            with override("zh-hans"):
                subject = _("Case %(number)s escalated from below") % {"number": linked.number}
            _notify(linked, recipients=staff, kind="case_escalated", subject=subject)
        elif item[0] == "propagate_answer":
            assert case.escalated_from_id is not None
            origin = Case.objects.select_for_update().get(pk=case.escalated_from_id)
            if origin.status == CaseStatus.ESCALATED:
                origin.status = CaseStatus.ANSWERED
                origin.answered_at = now
                origin.save(update_fields=["status", "answered_at"])
                _event(
                    origin,
                    action=Action.ANSWER,
                    from_status=CaseStatus.ESCALATED,
                    actor=actor,
                    public_note=item[1],
                    data={"from_case": case.number},
                )

    if action == Action.RATE and case.rating == Rating.DISSATISFIED and case.reopened_count < 1:
        case.status = CaseStatus.REOPENED
        case.reopened_count += 1
        case.save(update_fields=["status", "reopened_count"])
        _event(
            case,
            action=Action.REOPEN,
            from_status=CaseStatus.RATED,
            actor=actor,
            data={"automatic": True},
        )
    return case


@transaction.atomic
def case_reveal_phone(*, case: Case, actor: User) -> str:
    """Show the citizen's full phone number to someone handling the case; audited."""
    if not can_handle(actor, case):
        raise NotFound("not_found", _("Case not found."))
    audit_record(actor=actor, verb="reveal_phone", target=case, data={"number": case.number})
    return case.citizen_phone
