"""Intake: a message becomes a numbered case (`case_submit`), once per idempotency key."""

from __future__ import annotations

import hashlib
import json
import secrets
import unicodedata
import uuid
from datetime import date, datetime
from functools import partial
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from lianluo.cases.addressees import GENERATION, StaleAddressee, addressee_of
from lianluo.cases.errors import CaseCode, IdempotencyConflict
from lianluo.cases.models import Case, CasePhoto, Category
from lianluo.cases.selectors import deputy_intake_station
from lianluo.cases.services.duplicates import duplicates_dispatch
from lianluo.cases.services.events import event_append, liaison_recipients, notify
from lianluo.cases.services.record import RECORDED_CHANNELS, occurred_moment
from lianluo.cases.states import Channel
from lianluo.core.errors import DomainError
from lianluo.core.inserts import insert_rows
from lianluo.core.models import Congress, User
from lianluo.core.services import ledger_number_claim
from lianluo.core.uploads import CleanImage, image_clean
from lianluo.deputies.models import Deputy
from lianluo.duty.services import points_for_case_record
from lianluo.stations.models import ReceptionDay, Station

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


_NOT_SENT = frozenset({"idempotency_key", "actor", "escalated_from"})


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
    occurred_at: date | datetime | None = None,
) -> tuple[Case, bool]:
    """Record a case and number it; returns (case, created).

    `occurred_at` dates a matter recorded after the fact (a deputy's visit, a reception, a staff
    entry: see cases.services.record): the case is dated and numbered in its year, its first
    event too (the moment it was typed in stays in the event's data); outside the window it is
    refused (422 at `occurred_at`). A recorded case (those channels) with a deputy credits that
    deputy "case recorded" once.

    The case, its first event, its photos and the notifications to the station's liaison
    officers and the addressed deputy are written in one transaction: once this returns, nothing
    is lost. A retry of the same submission (same idempotency key, same addressee, same content:
    see `case_submission_digest`) returns the case it created before (created=False); the same
    key with anything else raises `IdempotencyConflict` (409) and records nothing.
    """
    # The digest covers everything sent (the arguments, less the key, the actor and the link
    # an escalation sets): taken from the signature itself, so no field can be left out.
    digest = case_submission_digest(**{k: v for k, v in locals().items() if k not in _NOT_SENT})
    if station is None and deputy is not None:
        station = deputy_intake_station(deputy=deputy)
    if congress is None:
        if station is None:
            raise DomainError(CaseCode.UNKNOWN_TARGET, _("Choose a station or a deputy."))
        congress = station.congress
    created_at = occurred_moment(occurred_at) if occurred_at is not None else None
    case = Case(
        congress=congress,
        idempotency_key=idempotency_key or None,
        submission_digest=digest,
        channel=channel or (Channel.DEPUTY_QR if deputy is not None else Channel.STATION_QR),
        station=station,
        deputy=deputy,
        responsible_deputy=deputy,
        scope_path=station.area.path if station is not None else congress.area.path,
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
    )
    if created_at is not None:
        case.created_at = created_at
    # The key is checked by its unique constraint, not by a read before every submission: a
    # retry (rare) fails to insert, rolls back (its number too: the ledger stays gapless) and
    # is answered from the case the key already names — the same if it is the same
    # submission, 409 if not.
    try:
        return _record(case, photos=photos or [], actor=actor, dated=created_at is not None), True
    except IntegrityError:
        existing = _replayed(idempotency_key, digest) if idempotency_key else None
        if existing is None:
            raise
        return existing, False


def _record(case: Case, *, photos: list[Photo], actor: User | None, dated: bool = False) -> Case:
    """Number and save the case with its first event, photos and notifications, in one
    transaction."""
    # Reads before the transaction: it holds the ledger counter's row lock (SQLite: the
    # database's write lock) until it commits, so only the writes belong inside it.
    congress = case.congress
    prefix = congress.number_prefix
    recipients = liaison_recipients(station=case.station, deputy=case.deputy)
    with transaction.atomic():
        now = timezone.now()
        if not dated:
            case.created_at = now
        case.year = timezone.localtime(case.created_at).year
        # The number, and the generation the station's cached entry must still match.
        cached = addressee_of(case.station)
        case.seq, generation = ledger_number_claim(
            congress=congress, year=case.year, generation=GENERATION if cached else None
        )
        if cached is not None and generation != cached.generation:
            raise StaleAddressee()  # rolls back: the number returns to the counter
        case.number = f"{prefix}-{case.year}-{case.seq:06d}"
        case.tracking_code = new_tracking_code()
        insert_rows([case])  # force_insert, with the statement built once (core.inserts)
        data: dict[str, Any] = {"number": case.number}
        if dated:
            data["recorded_at"] = now.isoformat()
        event_append(
            case, action="submit", from_status="", actor=actor, data=data, at=case.created_at
        )
        if case.channel in RECORDED_CHANNELS and case.deputy is not None:
            # Duty points: the deputy who brought the matter in, once per case.
            points_for_case_record(case=case, actor=actor)
        for photo in photos:
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
        notify(case, recipients=recipients, kind="case_new", subject=subject)
        # Likely duplicates are proposed after commit, off the request, where a worker or the
        # sync mode runs them (services.duplicates; in thread mode triage finds them).
        transaction.on_commit(partial(duplicates_dispatch, case.pk))
    return case


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


def case_submission_digest(**sent: Any) -> str:
    """A SHA-256 over a submission as sent (addressee and content, photos by their bytes):
    equal digests mean the same submission. Stored on the case at intake and never updated,
    so later edits by staff (a new category) do not turn a genuine retry into a conflict.

    Takes the content arguments of `case_submit` (addressee, channel, texts, category, photos,
    reception day), those not given counting as their defaults."""

    def pk(key: str) -> Any:
        return sent[key].pk if sent.get(key) is not None else None

    def said(key: str) -> str:
        return _same_text(sent.get(key) or "")

    category = sent.get("category")
    fields = {
        "station": pk("station"),
        "deputy": pk("deputy"),
        "congress": pk("congress"),
        "channel": sent.get("channel") or "",
        "title": said("title"),
        "text": said("text"),
        "category": pk("category"),
        "category_text": "" if category is not None else said("category_text"),
        "place": said("place"),
        "name": said("name"),
        "phone": said("phone"),
        "consent_publish": bool(sent.get("consent_publish")),
        "photos": [hashlib.sha256(p.content).hexdigest() for p in sent.get("photos") or []],
        "reception_day": pk("reception_day"),
    }
    # Only when given, as sent (a date, not the moment it resolves to): the digests of
    # submissions without it stay what they were.
    if sent.get("occurred_at") is not None:
        fields["occurred_at"] = sent["occurred_at"].isoformat()
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
