"""API v1 endpoints of the duty archive and points (a django-ninja Router mounted in api.api).

A deputy's archive for a year and their duty report (PDF, DOCX) for the deputy, the liaison
officers of their stations and congress staff in scope (404 for anyone else); registering a
duty record (officer, staff) or self-reporting one (deputy), with evidence as a multipart
upload; verifying a self-reported record; reversing a counted one; the verification queue.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from lianluo.api.common import Error, bearer_v1
from lianluo.board.archive import archive_for
from lianluo.board.reports import ReportDocument, report_document, report_docx, report_pdf
from lianluo.core.errors import CoreCode, DomainError, NotFound
from lianluo.core.http import ApiRequest
from lianluo.core.uploads import evidence_from_upload
from lianluo.deputies.models import Deputy
from lianluo.deputies.selectors import deputy_for_user
from lianluo.duty.catalog import item_label
from lianluo.duty.models import PointEntry
from lianluo.duty.selectors import (
    deputy_congress_ids,
    deputy_get,
    entry_get,
    entry_is_reversed,
    item_find,
    items_registrable,
    pending_entries,
)
from lianluo.duty.services import (
    EvidenceFile,
    PointsCode,
    points_register,
    points_reverse,
    points_self_report,
    points_verify,
)

router = Router(tags=["duty"], auth=bearer_v1)


class DeputyRef(Schema):
    code: str
    name: str
    levels: list[str]
    stations: list[str]


class ItemPoints(Schema):
    item: str
    item_code: str
    points: float
    count: int


class EntryOut(Schema):
    id: int
    at: date
    item: str
    item_code: str
    points: float
    source: str
    source_label: str
    status: str
    status_label: str
    note: str
    reason: str
    reverses: int | None
    reversed: bool
    evidence: bool


class ArchiveOut(Schema):
    deputy: DeputyRef
    year: int
    points_total: float
    by_item: list[ItemPoints]
    entries: list[EntryOut]


def _num(value: Decimal) -> float:
    return float(value)


def _entry(e: PointEntry, reversed_ids: set[int] | None = None) -> dict[str, Any]:
    reversed_flag = e.pk in reversed_ids if reversed_ids is not None else entry_is_reversed(e)
    return {
        "id": e.pk,
        "at": e.occurred_on,
        "item": item_label(e.item),
        "item_code": e.item.code,
        "points": _num(e.points),
        "source": e.source,
        "source_label": str(e.get_source_display()),
        "status": e.status,
        "status_label": str(e.get_status_display()),
        "note": e.note,
        "reason": e.reason,
        "reverses": e.reverses_id,
        "reversed": reversed_flag,
        "evidence": bool(e.evidence),
    }


def _year(year: int | None) -> int:
    return year or timezone.localdate().year


@router.get("/deputies/{code}/archive", response={200: ArchiveOut, 404: Error})
def archive(request: ApiRequest, code: str, year: int | None = None):
    """A deputy's duty archive for a year (default: this year): the counted points in total and
    by item, and every entry of the ledger with its source and status. For the deputy, the
    liaison officers of their stations and congress staff in scope; 404 for anyone else."""
    a = archive_for(viewer=request.auth, deputy_code=code, year=_year(year))
    reversed_ids = {e.reverses_id for e in a.entries if e.reverses_id}
    return {
        "deputy": {
            "code": a.deputy.code,
            "name": a.deputy.name,
            "levels": a.levels,
            "stations": [s.name for s in a.stations],
        },
        "year": a.year,
        "points_total": _num(a.points_total),
        "by_item": [
            {
                "item": item_label(row.item),
                "item_code": row.item.code,
                "points": _num(row.points),
                "count": row.count,
            }
            for row in a.by_item
        ],
        "entries": [_entry(e, reversed_ids) for e in a.entries],
    }


def _report(
    request: ApiRequest, code: str, year: int | None, lang: str | None
) -> tuple[ReportDocument, str]:
    a = archive_for(viewer=request.auth, deputy_code=code, year=_year(year))
    language = lang if lang in ("zh-hans", "en") else (translation.get_language() or "zh-hans")
    with translation.override(language):
        return report_document(a), language


@router.get("/deputies/{code}/report.pdf", response={404: Error})
def report_as_pdf(request: ApiRequest, code: str, year: int | None = None, lang: str | None = None):
    """The deputy's yearly duty report (述职报告) as an A4 PDF, Chinese font embedded."""
    doc, language = _report(request, code, year, lang)
    with translation.override(language):
        content = report_pdf(doc)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{doc.filename}.pdf"'
    response["Content-Language"] = language
    return response


@router.get("/deputies/{code}/report.docx", response={404: Error})
def report_as_docx(
    request: ApiRequest, code: str, year: int | None = None, lang: str | None = None
):
    """The same report as an editable Word document (.docx)."""
    doc, language = _report(request, code, year, lang)
    response = HttpResponse(
        report_docx(doc),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{doc.filename}.docx"'
    response["Content-Language"] = language
    return response


class RecordIn(Schema):
    item: int
    occurred_on: date
    note: str
    deputy: str = ""


def _evidence(upload: UploadedFile | None) -> EvidenceFile | None:
    if upload is None:
        return None
    try:
        return evidence_from_upload(upload)
    except forms.ValidationError as exc:
        raise DomainError(
            PointsCode.INVALID_VALUE, " ".join(exc.messages), field="evidence"
        ) from exc


@router.post(
    "/duty/records",
    response={201: EntryOut, 403: Error, 404: Error, 409: Error, 422: Error},
)
def record_create(
    request: ApiRequest,
    payload: Form[RecordIn],
    evidence: File[UploadedFile | None] = None,
):
    """A duty record, as multipart/form-data: `item` (a catalog item id), `occurred_on`
    (YYYY-MM-DD), `note`, `evidence` (a photo or a PDF; required when the item says so) and,
    for an officer or staff, `deputy` (the deputy's code): registered, it counts at once
    (status `approved`). Without `deputy`, a deputy self-reports: status `pending` until an
    officer verifies it. An officer registers only for the deputies of their stations (404
    otherwise). 409 `cap_reached` or `duplicate`; 422 `evidence_required`, `automatic_item`,
    `invalid_value`."""
    user = request.auth
    item = item_find(pk=payload.item)
    own = deputy_for_user(user)
    if payload.deputy:
        deputy = deputy_get(viewer=user, code=payload.deputy)
    elif own is not None:
        deputy = own
    else:
        raise DomainError(
            PointsCode.MISSING_FIELD, _("Name the deputy (their code)."), field="deputy"
        )
    if item is None or item.congress_id not in deputy_congress_ids(deputy):
        raise DomainError(
            PointsCode.INVALID_VALUE, _("This item is not in the deputy's catalog."), field="item"
        )
    kwargs: dict[str, Any] = {
        "actor": user,
        "item": item,
        "occurred_on": payload.occurred_on,
        "note": payload.note,
        "evidence": _evidence(evidence),
    }
    if own is not None and own.pk == deputy.pk:
        # Their own record, even for an officer who is also a deputy: it waits for another.
        entry = points_self_report(**kwargs)
    else:
        entry = points_register(deputy=deputy, **kwargs)
    return Status(201, _entry(entry, set()))


class VerifyIn(Schema):
    approve: bool
    reason: str = ""


@router.post(
    "/duty/records/{entry_id}/verify",
    response={200: EntryOut, 403: Error, 404: Error, 409: Error, 422: Error},
)
def record_verify(request: ApiRequest, entry_id: int, payload: VerifyIn):
    """Approve or reject a self-reported record (`reason` required to reject): an officer of
    one of the deputy's stations or congress staff in scope. 409 `invalid_status` when it is not
    pending, `cap_reached` when the item's yearly cap leaves nothing to approve."""
    entry = entry_get(viewer=request.auth, pk=entry_id)
    entry = points_verify(
        actor=request.auth,
        entry=entry,
        approve=payload.approve,
        reason=payload.reason,
    )
    return _entry(entry, set())


class ReverseIn(Schema):
    reason: str


@router.post(
    "/duty/records/{entry_id}/reverse",
    response={201: EntryOut, 404: Error, 409: Error, 422: Error},
)
def record_reverse(request: ApiRequest, entry_id: int, payload: ReverseIn):
    """Correct a counted entry by a reversing one (negative points), once; returns the
    reversal. 409 `already_reversed`."""
    entry = entry_get(viewer=request.auth, pk=entry_id)
    reversal = points_reverse(actor=request.auth, entry=entry, reason=payload.reason)
    return Status(201, _entry(reversal, set()))


class PendingOut(EntryOut):
    deputy: str
    deputy_name: str


@router.get("/duty/pending", response=list[PendingOut])
def pending(request: ApiRequest):
    """The verification queue of the caller (officers, staff): oldest first."""
    rows = pending_entries(viewer=request.auth)
    return [
        {**_entry(e, set()), "deputy": e.deputy.code, "deputy_name": e.deputy.name} for e in rows
    ]


class ItemOut(Schema):
    id: int
    code: str
    name: str
    year: int
    points: float
    yearly_cap: float | None
    evidence_required: bool


@router.get("/duty/items", response={200: list[ItemOut], 404: Error})
def items(request: ApiRequest, deputy: str = "", year: int | None = None):
    """The items one may register or self-report for a deputy (default: the caller)."""
    user = request.auth
    target: Deputy | None = (
        deputy_get(viewer=user, code=deputy) if deputy else deputy_for_user(user)
    )
    if target is None:
        raise NotFound(CoreCode.NOT_FOUND, _("No deputy has this code."))
    return [
        {
            "id": i.pk,
            "code": i.code,
            "name": item_label(i),
            "year": i.year,
            "points": _num(i.points),
            "yearly_cap": _num(i.yearly_cap) if i.yearly_cap is not None else None,
            "evidence_required": i.evidence_required,
        }
        for i in items_registrable(deputy=target, year=_year(year))
    ]
