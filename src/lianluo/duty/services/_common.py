"""What the ledger's writes share: the error codes, the evidence file, the per-deputy lock, the
yearly cap and who hears about an entry."""

from __future__ import annotations

import uuid
from decimal import Decimal
from enum import StrEnum

from django.core.files.base import ContentFile
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import override

from lianluo.core.errors import CoreCode, NotFound
from lianluo.core.models import Role, User
from lianluo.core.selectors import users_with_role
from lianluo.core.uploads import Evidence
from lianluo.deputies.models import Deputy
from lianluo.duty.models import DutyItem, EntryStatus, PointEntry
from lianluo.stations.models import Station


class PointsCode(StrEnum):
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
    MISSING_FIELD = "missing_field"


# An evidence file already checked by the form (a photo re-encoded without metadata, or a PDF):
# the upload cleaning (`lianluo.core.uploads.evidence_clean`) makes these.
EvidenceFile = Evidence


# A withdrawn automatic entry may be credited again (the officer corrects a record twice): the
# next credit of the same event uses "<key>#2", "<key>#3" … up to this many times.
MAX_RECREDITS = 9


def deputy_not_found() -> NotFound:
    return NotFound(CoreCode.NOT_FOUND, _("No deputy has this code."))


def entry_not_found() -> NotFound:
    return NotFound(CoreCode.NOT_FOUND, _("Entry not found."))


def keys_of(base: str) -> list[str]:
    """The source keys one event may have been credited under (its re-credits included)."""
    return [base] + [f"{base}#{n}" for n in range(2, MAX_RECREDITS + 1)]


def lock_deputy(deputy: Deputy) -> None:
    """Serialize ledger writes of one deputy (caps are checked then written)."""
    Deputy.objects.select_for_update().filter(pk=deputy.pk).values_list("pk", flat=True).first()


def _counted(deputy_id: int, item: DutyItem) -> Decimal:
    total = PointEntry.objects.filter(
        year=item.year, deputy_id=deputy_id, status=EntryStatus.APPROVED, item=item
    ).aggregate(total=Sum("points"))["total"]
    return Decimal(total or 0)


def within_cap(deputy_id: int, item: DutyItem, points: Decimal) -> tuple[Decimal, str]:
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


def users_of_deputy(deputy: Deputy) -> list[User]:
    return users_with_role(Role.DEPUTY, deputy=deputy)


def officers_of_deputy(deputy: Deputy) -> list[User]:
    stations = Station.objects.filter(memberships__deputy=deputy).values("pk")
    return users_with_role(Role.LIAISON, station__in=stations)


def archive_link(deputy: Deputy, year: int) -> str:
    return f"/points/deputies/{deputy.code}/?year={year}"


def store_evidence(entry: PointEntry, evidence: EvidenceFile | None) -> None:
    if evidence is not None:
        entry.evidence.save(
            f"{uuid.uuid4().hex}.{evidence.extension}", ContentFile(evidence.content), save=False
        )
