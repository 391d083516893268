"""The station checklist (七有): whether each item is in place, with a note and an evidence
file (photos re-encoded without metadata, PDFs kept as sent)."""

from __future__ import annotations

import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from lianluo.core.errors import DomainError
from lianluo.core.models import User
from lianluo.core.services import audit_record
from lianluo.core.uploads import Evidence
from lianluo.onboarding.services.base import OnboardingCode, _require_manager
from lianluo.stations.models import ChecklistItem, Station, StationChecklist

# ---- the station checklist (七有) --------------------------------------------------------


def checklist_update(
    *,
    station: Station,
    item: str,
    done: bool,
    note: str,
    actor: User,
    evidence: Evidence | None = None,
    remove_evidence: bool = False,
) -> StationChecklist:
    """Record whether one 七有 item is in place, with a note and an evidence file.

    The station's liaison officers and staff of its area only; audited."""
    _require_manager(actor, station)
    if item not in ChecklistItem.values:
        raise DomainError(OnboardingCode.INVALID_VALUE, _("Unknown checklist item."))
    with transaction.atomic():
        row, _created = StationChecklist.objects.select_for_update().get_or_create(
            station=station, item=item
        )
        old_file = row.evidence.name if row.evidence else ""
        row.done = done
        row.note = note[:200]
        row.updated_by = actor
        if evidence is not None:
            name = f"{item}-{uuid.uuid4().hex[:12]}.{evidence.extension}"
            row.evidence.save(name, ContentFile(evidence.content), save=False)
        elif remove_evidence:
            row.evidence = ""  # type: ignore[assignment]
        row.save()
        audit_record(
            actor=actor,
            verb="checklist_update",
            target=row,
            data={
                "station": station.code,
                "item": item,
                "done": done,
                "evidence": bool(row.evidence),
            },
        )
        if old_file and old_file != (row.evidence.name if row.evidence else ""):
            storage = row.evidence.storage
            transaction.on_commit(lambda: storage.delete(old_file))
    return row
