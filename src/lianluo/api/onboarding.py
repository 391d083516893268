"""API v1 endpoints of the onboarding context (a django-ninja Router mounted in api.api)."""

from __future__ import annotations

from typing import Any

from ninja import Router, Schema

from lianluo.api.common import Error, bearer
from lianluo.core.http import ApiRequest
from lianluo.onboarding.selectors import (
    import_errors,
    import_get,
    import_progress,
    masters_on,
    station_get,
)

router = Router(tags=["onboarding"])


class ImportErrorOut(Schema):
    row: int
    column: str
    message: str


class ImportOut(Schema):
    id: int
    kind: str
    filename: str
    status: str
    status_label: str
    running: bool
    processed: int
    total: int
    percent: int
    total_rows: int
    create: int | None = None
    update: int | None = None
    changed: int | None = None
    errors: list[ImportErrorOut]


@router.get("/imports/{job_id}", response={200: ImportOut, 404: Error}, auth=bearer)
def import_status(request: ApiRequest, job_id: int) -> dict[str, Any]:
    """Progress and outcome of one of your roster imports (the import page polls the same)."""
    job = import_get(viewer=request.auth, pk=job_id)
    progress = import_progress(job=job)
    summary = job.summary or {}
    return {
        "id": job.pk,
        "kind": job.kind,
        "filename": job.filename,
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "running": progress.running,
        "processed": progress.processed,
        "total": progress.total,
        "percent": progress.percent,
        "total_rows": job.total_rows,
        "create": summary.get("create"),
        "update": summary.get("update"),
        "changed": summary.get("changed"),
        "errors": [e.__dict__ for e in import_errors(job=job)],
    }


class MasterOut(Schema):
    deputy_code: str
    deputy_name: str
    start: str
    end: str | None


class MastersOut(Schema):
    station: str
    fixed: MasterOut | None
    rotating: MasterOut | None


def _master(m) -> dict[str, Any] | None:
    if m is None:
        return None
    return {
        "deputy_code": m.deputy.code,
        "deputy_name": m.deputy.name,
        "start": m.start.isoformat(),
        "end": m.end.isoformat() if m.end else None,
    }


@router.get("/stations/{code}/masters", response={200: MastersOut, 404: Error}, auth=bearer)
def station_masters(request: ApiRequest, code: str) -> dict[str, Any]:
    """Today's fixed and rotating station masters (固定站长 + 轮值站长) of a station you see."""
    station = station_get(viewer=request.auth, code=code)
    today = masters_on(station=station)
    return {
        "station": station.code,
        "fixed": _master(today.fixed),
        "rotating": _master(today.rotating),
    }
