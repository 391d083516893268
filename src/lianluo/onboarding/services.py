"""Writes of onboarding: roster imports (preview → confirm), the station checklist (七有) and
station masters (固定站长 + 轮值站长).

An import is two background steps. `import_check` reads the file and validates every row
against the database and the uploader's scope; it writes only the job (errors, counts). After
the uploader confirms, `import_run` checks again (the database may have moved on) and writes
everything in one transaction, in chunks, or nothing. Both steps run in a thread of the web
process, a Celery worker or inline (LIANLUO_IMPORT_MODE, defaulting to the outbox's mode), and
both are idempotent: they act only on jobs in the state they expect.
"""

from __future__ import annotations

import calendar
import logging
import threading
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import IO, Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile, File
from django.db import close_old_connections, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lianluo.core.errors import DomainError, Forbidden, NotFound
from lianluo.core.models import User
from lianluo.core.scope import scope_for
from lianluo.core.services import audit_record, outbox_enqueue
from lianluo.core.uploads import Evidence
from lianluo.deputies.models import Deputy
from lianluo.onboarding.importers import IMPORTERS, Importer
from lianluo.onboarding.models import ImportJob, ImportKind, ImportStatus
from lianluo.onboarding.permissions import can_import, can_manage_station, can_see_station
from lianluo.onboarding.selectors import (
    CHECK_PASSES,
    RUN_PASSES,
    export_reference,
    export_sheets,
    master_candidates,
    progress_key,
)
from lianluo.onboarding.sheets import (
    RowError,
    UnreadableFile,
    build_workbook,
    read_sheet,
)
from lianluo.stations.models import (
    ChecklistItem,
    MasterKind,
    Station,
    StationChecklist,
    StationMaster,
)

log = logging.getLogger(__name__)

MAX_ERRORS_KEPT = 1000  # a file with an error on every row: the first thousand are listed


class OnboardingError:
    """Stable codes of onboarding refusals (the message is translated where raised)."""

    NOT_ALLOWED = "not_allowed"
    NOT_READY = "not_ready"
    INVALID_VALUE = "invalid_value"
    NOT_A_CANDIDATE = "not_a_candidate"


def import_max_bytes() -> int:
    return int(getattr(settings, "LIANLUO_IMPORT_MAX_BYTES", 20 * 1024 * 1024))


# ---- imports -----------------------------------------------------------------------------


def import_upload(*, kind: str, upload: File[Any], actor: User) -> ImportJob:
    """Store an uploaded workbook privately and schedule its check (the preview).

    Nothing of the roster is written. Staff and the administrator only."""
    if not can_import(actor):
        raise Forbidden(OnboardingError.NOT_ALLOWED, _("Only congress staff can import."))
    if kind not in ImportKind.values:
        raise DomainError(OnboardingError.INVALID_VALUE, _("Choose what the file contains."))
    filename = (getattr(upload, "name", "") or "roster.xlsx").rsplit("/", 1)[-1][:200]
    with transaction.atomic():
        job = ImportJob(
            kind=kind,
            filename=filename,
            created_by=actor,
            summary={"language": translation.get_language() or settings.LANGUAGE_CODE},
        )
        job.file.save(f"{uuid.uuid4().hex}.xlsx", upload, save=False)
        job.save()
        audit_record(
            actor=actor, verb="import_upload", target=job, data={"kind": kind, "file": filename}
        )
        pk = job.pk
        transaction.on_commit(lambda: dispatch("check", pk))
    return job


def import_confirm(*, job: ImportJob, actor: User) -> ImportJob:
    """Start writing a previewed import: only its uploader (or the administrator), only when
    the preview found no errors. The writing runs in the background."""
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().filter(pk=job.pk).first()
        if locked is None or (locked.created_by_id != actor.pk and not actor.is_superuser):
            raise NotFound("not_found", _("Import not found."))
        if locked.status != ImportStatus.READY:
            raise DomainError(
                OnboardingError.NOT_READY, _("This import cannot be confirmed in its state.")
            )
        locked.status = ImportStatus.IMPORTING
        locked.processed_rows = 0
        locked.save(update_fields=["status", "processed_rows"])
        audit_record(actor=actor, verb="import_confirm", target=locked, data=_counts(locked))
        pk = locked.pk
        transaction.on_commit(lambda: dispatch("run", pk))
    return locked


def _counts(job: ImportJob) -> dict[str, Any]:
    return {k: job.summary.get(k, 0) for k in ("create", "update", "changed")}


def _reporter(job: ImportJob, *, offset: int, to_db: bool) -> Callable[[int], None]:
    def report(done: int) -> None:
        value = offset + done
        cache.set(progress_key(job.pk), value, 3600)
        if to_db:
            ImportJob.objects.filter(pk=job.pk).update(processed_rows=value)

    return report


def _check(job: ImportJob, *, offset: int, to_db: bool) -> Importer:
    """Read and validate the job's file; the errors land in the importer.

    Progress, in rows: reading the file counts the first `total`, validating the second."""
    assert job.created_by is not None
    importer = IMPORTERS[job.kind](actor=job.created_by, scope=scope_for(job.created_by))
    try:
        fileobj: IO[bytes] = job.file.open("rb")
    except (FileNotFoundError, ValueError):
        importer.errors.append(RowError(0, "", "", "expired"))
        return importer
    report = _reporter(job, offset=offset, to_db=to_db)

    def reading(done: int, expected: int) -> None:
        if job.total_rows != expected:
            job.total_rows = expected
            ImportJob.objects.filter(pk=job.pk).update(total_rows=expected)
        report(done)

    try:
        with fileobj:
            sheet = read_sheet(fileobj, job.kind, reading)
    except UnreadableFile as exc:
        importer.errors.append(RowError(0, "", "", exc.code, exc.params))
        return importer
    job.total_rows = len(sheet.rows)
    ImportJob.objects.filter(pk=job.pk).update(total_rows=job.total_rows)
    report(job.total_rows)
    importer.check(sheet, _reporter(job, offset=offset + job.total_rows, to_db=to_db))
    return importer


def _errors_json(importer: Importer) -> list[dict[str, Any]]:
    ordered = sorted(importer.errors, key=lambda e: (e.row, e.column))
    return [e.as_json() for e in ordered[:MAX_ERRORS_KEPT]]


def import_check(*, job_id: int) -> ImportJob | None:
    """Validate every row of an uploaded file (the preview) and record errors or counts.

    Claims the job (UPLOADED → CHECKING) so that a second worker does nothing; ends in
    INVALID (errors listed, with row numbers) or READY (counts of creations and updates)."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.UPLOADED).update(
        status=ImportStatus.CHECKING, processed_rows=0
    )
    if not claimed:
        return None
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    language = job.summary.get("language") or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            importer = _check(job, offset=0, to_db=True)
            job.errors = _errors_json(importer)
            job.summary = {
                "language": language,
                **importer.summary(),
                "error_count": len(importer.errors),
            }
            job.status = ImportStatus.INVALID if importer.errors else ImportStatus.READY
            job.processed_rows = job.total_rows * CHECK_PASSES
    except Exception:
        log.exception("import %s: check failed", job_id)
        job.status = ImportStatus.FAILED
        job.errors = [RowError(0, "", "", "internal").as_json()]
    job.save(update_fields=["errors", "summary", "status", "processed_rows", "total_rows"])
    return job


def import_run(*, job_id: int) -> ImportJob | None:
    """Write a confirmed import: check every row again, then write all of it in one
    transaction (in chunks), or nothing. Ends in DONE, INVALID (the database changed since
    the preview) or FAILED (an unexpected error; the transaction rolled back).

    Side effects: an audit entry and a notification to the uploader; the stored file is
    deleted once the import is done (it holds personal data)."""
    job = ImportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or job.status != ImportStatus.IMPORTING:
        return None
    language = job.summary.get("language") or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            importer = _check(job, offset=0, to_db=True)
            if importer.errors:
                job.errors = _errors_json(importer)
                job.summary = {
                    **job.summary,
                    **importer.summary(),
                    "error_count": len(importer.errors),
                }
                job.status = ImportStatus.INVALID
                job.save(update_fields=["errors", "summary", "status", "total_rows"])
                return job
            with transaction.atomic():
                locked = ImportJob.objects.select_for_update().get(pk=job_id)
                if locked.status != ImportStatus.IMPORTING:
                    return None  # another worker got here first
                importer.apply(_reporter(job, offset=job.total_rows * CHECK_PASSES, to_db=False))
                job.status = ImportStatus.DONE
                job.finished_at = timezone.now()
                job.processed_rows = job.total_rows * RUN_PASSES
                job.errors = []
                job.summary = {
                    "language": language,
                    **importer.summary(),
                    "items": importer.items,
                }
                job.save(
                    update_fields=[
                        "status",
                        "finished_at",
                        "processed_rows",
                        "errors",
                        "summary",
                        "total_rows",
                    ]
                )
                audit_record(
                    actor=job.created_by, verb="import_done", target=job, data=_counts(job)
                )
                if job.created_by is not None:
                    outbox_enqueue(
                        recipients=[job.created_by],
                        kind="import_done",
                        subject=_("Import finished: %(file)s") % {"file": job.filename},
                        body=_("%(create)d created, %(update)d updated (%(changed)d with changes).")
                        % _counts(job),
                        link=f"/imports/{job.pk}/",
                    )
                transaction.on_commit(lambda: _forget_file(job_id))
    except Exception:
        log.exception("import %s: run failed", job_id)
        ImportJob.objects.filter(pk=job_id, status=ImportStatus.IMPORTING).update(
            status=ImportStatus.FAILED, errors=[RowError(0, "", "", "internal").as_json()]
        )
        return ImportJob.objects.get(pk=job_id)
    return job


def _forget_file(job_id: int) -> None:
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is not None and job.file:
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job_id).update(file="")


def import_sweep(*, stale_after: timedelta = timedelta(minutes=10)) -> int:
    """Pick up what a lost thread or a broker outage left behind: uploaded files not yet
    checked, confirmed imports not yet written, checks interrupted long ago. Idempotent."""
    handled = 0
    stale = timezone.now() - stale_after
    ImportJob.objects.filter(status=ImportStatus.CHECKING, created_at__lt=stale).update(
        status=ImportStatus.UPLOADED
    )
    for pk in ImportJob.objects.filter(status=ImportStatus.UPLOADED).values_list("pk", flat=True):
        handled += import_check(job_id=pk) is not None
    for pk in ImportJob.objects.filter(status=ImportStatus.IMPORTING).values_list("pk", flat=True):
        handled += import_run(job_id=pk) is not None
    return handled


def dispatch(step: str, job_id: int) -> None:
    """Run a step in the configured way: inline, in a thread, or on a Celery worker."""
    mode = getattr(settings, "LIANLUO_IMPORT_MODE", "") or settings.LIANLUO_OUTBOX_MODE
    func = import_check if step == "check" else import_run
    if mode == "sync":
        func(job_id=job_id)
    elif mode == "celery":
        from lianluo.onboarding.tasks import check_import, run_import

        task = check_import if step == "check" else run_import
        try:
            task.delay(job_id)
        except Exception:  # broker down: the periodic sweep picks the job up
            log.warning("import %s: broker unavailable, %s deferred", job_id, step, exc_info=True)
    else:
        threading.Thread(target=_in_thread, args=(func, job_id), daemon=True).start()


def _in_thread(func: Callable[..., object], job_id: int) -> None:
    try:
        func(job_id=job_id)
    except Exception:
        log.exception("import %s: background step failed", job_id)
    finally:
        close_old_connections()


def roster_export(*, actor: User, kinds: list[str]) -> bytes:
    """The roster sheets of the actor's area as a workbook that imports back unchanged.

    It holds deputies' phone numbers: staff only, and every export is audited."""
    if not can_import(actor):
        raise Forbidden(OnboardingError.NOT_ALLOWED, _("Only congress staff can export."))
    sheets = export_sheets(viewer=actor, kinds=kinds)
    data = build_workbook(sheets, export_reference(viewer=actor))
    audit_record(
        actor=actor,
        verb="roster_export",
        target=actor,
        data={"kinds": kinds, "rows": {s.kind: len(s.rows) for s in sheets}},
    )
    return data


# ---- the station checklist (七有) --------------------------------------------------------


def _require_manager(actor: User, station: Station) -> None:
    if not can_see_station(actor, station):
        raise NotFound("not_found", _("No station has this code."))
    if not can_manage_station(actor, station):
        raise Forbidden(OnboardingError.NOT_ALLOWED, _("You may only look at this station."))


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
        raise DomainError(OnboardingError.INVALID_VALUE, _("Unknown checklist item."))
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


# ---- station masters (固定站长 + 轮值站长) -----------------------------------------------------


def _check_candidates(station: Station, deputies: list[Deputy]) -> None:
    allowed = {d.pk for d in master_candidates(station=station)}
    if not deputies or any(d.pk not in allowed for d in deputies):
        raise DomainError(
            OnboardingError.NOT_A_CANDIDATE,
            _("Choose deputies of this station or of its sub-stations."),
            field="deputies",
        )


def _notify_master(deputies: list[Deputy], station: Station, text: str) -> None:
    users = [d.user for d in deputies if d.user_id and d.user is not None and d.user.is_active]
    if users:
        outbox_enqueue(
            recipients=users,
            kind="station_master",
            subject=_("Station master: %(station)s") % {"station": station.name},
            body=text,
            link=f"/masters/{station.code}/",
        )


def master_set_fixed(
    *, station: Station, deputy: Deputy, start: date, actor: User
) -> StationMaster:
    """Make a deputy the fixed master from `start`; the previous fixed master ends the day
    before (one not yet started is replaced). Audited; the deputy is notified."""
    _require_manager(actor, station)
    _check_candidates(station, [deputy])
    with transaction.atomic():
        current = StationMaster.objects.select_for_update().filter(
            Q(end__isnull=True) | Q(end__gte=start), station=station, kind=MasterKind.FIXED
        )
        current.filter(start__gte=start).delete()
        current.filter(start__lt=start).update(end=start - timedelta(days=1))
        master = StationMaster.objects.create(
            station=station, deputy=deputy, kind=MasterKind.FIXED, start=start
        )
        audit_record(
            actor=actor,
            verb="master_set_fixed",
            target=master,
            data={"station": station.code, "deputy": deputy.code, "start": start.isoformat()},
        )
        _notify_master(
            [deputy],
            station,
            _("You are the fixed station master from %(date)s.") % {"date": start.isoformat()},
        )
    return master


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    return date(day.year + index // 12, index % 12 + 1, 1)


MAX_ROTATION_MONTHS = 36


def master_rotation_generate(
    *, station: Station, deputies: list[Deputy], start: date, months: int, actor: User
) -> list[StationMaster]:
    """A monthly rotation (轮值站长): month i of the period goes to deputies[i mod n].

    Rotating entries inside the period are replaced, one running into it is cut short the
    day before. Audited; each deputy is notified once with their months."""
    _require_manager(actor, station)
    _check_candidates(station, deputies)
    if not 1 <= months <= MAX_ROTATION_MONTHS:
        raise DomainError(
            OnboardingError.INVALID_VALUE,
            _("Between 1 and %(max)d months.") % {"max": MAX_ROTATION_MONTHS},
            field="months",
        )
    first = start.replace(day=1)
    last = _month_end(_add_months(first, months - 1))
    with transaction.atomic():
        rotating = StationMaster.objects.select_for_update().filter(
            station=station, kind=MasterKind.ROTATING
        )
        rotating.filter(start__gte=first, start__lte=last).delete()
        rotating.filter(start__lt=first).filter(Q(end__isnull=True) | Q(end__gte=first)).update(
            end=first - timedelta(days=1)
        )
        rows = []
        for i in range(months):
            month = _add_months(first, i)
            rows.append(
                StationMaster(
                    station=station,
                    deputy=deputies[i % len(deputies)],
                    kind=MasterKind.ROTATING,
                    start=month,
                    end=_month_end(month),
                )
            )
        created = StationMaster.objects.bulk_create(rows)
        audit_record(
            actor=actor,
            verb="master_rotation",
            target=station,
            data={
                "from": first.isoformat(),
                "until": last.isoformat(),
                "deputies": [d.code for d in deputies],
            },
        )
        for deputy in {d.pk: d for d in deputies}.values():
            mine = [r.start.strftime("%Y-%m") for r in rows if r.deputy.pk == deputy.pk]
            _notify_master(
                [deputy],
                station,
                _("You are the rotating station master in: %(months)s.")
                % {"months": ", ".join(mine)},
            )
    return created


def master_remove(*, master: StationMaster, actor: User) -> None:
    """Remove one master entry (a rotation month, a fixed master set by mistake). Audited."""
    _require_manager(actor, master.station)
    with transaction.atomic():
        audit_record(
            actor=actor,
            verb="master_remove",
            target=master.station,
            data={
                "kind": master.kind,
                "deputy": master.deputy.code,
                "start": master.start.isoformat(),
            },
        )
        master.delete()
