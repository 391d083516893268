"""Writes of onboarding: roster imports (preview → confirm), the station checklist (七有) and
station masters (固定站长 + 轮值站长).

An import is two background steps. `import_check` reads the file and validates every row
against the database and the uploader's scope; it writes only the job (errors, counts) and
keeps the rows it read beside the file (`sheets.kept`). After the uploader confirms,
`import_run` validates the kept rows again (the database may have moved on; the file is not
parsed a second time) and writes everything in one transaction, in chunks, or nothing. Both
steps run in a thread of the web process, a Celery worker or inline (LIANLUO_IMPORT_MODE,
defaulting to the outbox's mode), and both are idempotent: they act only on jobs in the state
they expect.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import IO, Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile, File
from django.db import close_old_connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lianluo.core.errors import CoreCode, DomainError, Forbidden, NotFound
from lianluo.core.models import User
from lianluo.core.scope import scope_for
from lianluo.core.services import audit_record, outbox_enqueue
from lianluo.onboarding.importers import IMPORTERS, Importer
from lianluo.onboarding.models import ImportJob, ImportKind, ImportStatus
from lianluo.onboarding.permissions import can_import
from lianluo.onboarding.selectors import (
    CHECK_PASSES,
    RUN_PASSES,
    export_reference,
    export_sheets,
    progress_key,
)
from lianluo.onboarding.services.base import OnboardingCode
from lianluo.onboarding.sheets import (
    RowError,
    Sheet,
    UnreadableFile,
    build_workbook,
    read_sheet,
)
from lianluo.onboarding.sheets.kept import sheet_dump, sheet_load

log = logging.getLogger(__name__)

MAX_ERRORS_KEPT = 1000  # a file with an error on every row: the first thousand are listed


def import_max_bytes() -> int:
    return int(getattr(settings, "LIANLUO_IMPORT_MAX_BYTES", 20 * 1024 * 1024))


# ---- imports -----------------------------------------------------------------------------


def import_upload(*, kind: str, upload: File[Any], actor: User) -> ImportJob:
    """Store an uploaded workbook privately and schedule its check (the preview).

    Nothing of the roster is written. Staff and the administrator only."""
    if not can_import(actor):
        raise Forbidden(OnboardingCode.NOT_ALLOWED, _("Only congress staff can import."))
    if kind not in ImportKind.values:
        raise DomainError(OnboardingCode.INVALID_VALUE, _("Choose what the file contains."))
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
            raise NotFound(CoreCode.NOT_FOUND, _("Import not found."))
        if locked.status != ImportStatus.READY:
            raise DomainError(
                OnboardingCode.NOT_READY, _("This import cannot be confirmed in its state.")
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


def _check(job: ImportJob, *, offset: int, to_db: bool, reuse: bool = False) -> Importer:
    """Read and validate the job's file; the errors land in the importer.

    The preview (`reuse=False`) reads the file and keeps its rows; the confirmation
    (`reuse=True`) validates the kept rows, and reads the file only for a job checked before
    rows were kept. Progress, in rows: reading counts the first `total`, validating the
    second."""
    assert job.created_by is not None
    importer = IMPORTERS[job.kind](actor=job.created_by, scope=scope_for(job.created_by))
    report = _reporter(job, offset=offset, to_db=to_db)
    sheet = _kept_sheet(job) if reuse else None
    if sheet is None:
        read = _read(job, report)
        if isinstance(read, RowError):
            importer.errors.append(read)
            return importer
        sheet = read
        if not reuse:
            _keep_sheet(job, sheet)
    job.total_rows = len(sheet.rows)
    ImportJob.objects.filter(pk=job.pk).update(total_rows=job.total_rows)
    report(job.total_rows)
    importer.check(sheet, _reporter(job, offset=offset + job.total_rows, to_db=to_db))
    return importer


def _read(job: ImportJob, report: Callable[[int], None]) -> Sheet | RowError:
    """The job's file read, or the reason it cannot be."""
    try:
        fileobj: IO[bytes] = job.file.open("rb")
    except (FileNotFoundError, ValueError):
        return RowError(0, "", "", "expired")

    def reading(done: int, expected: int) -> None:
        if job.total_rows != expected:
            job.total_rows = expected
            ImportJob.objects.filter(pk=job.pk).update(total_rows=expected)
        report(done)

    try:
        with fileobj:
            return read_sheet(fileobj, job.kind, reading)
    except UnreadableFile as exc:
        return RowError(0, "", "", exc.code, exc.params)


# The rows read by the preview live beside the uploaded file, in the same private storage, and
# go with it: a file rather than a column of the job, so that the job's row (read by every list
# and progress poll) stays small, and the personal data it holds is deleted with the upload.


def _kept_name(job: ImportJob) -> str:
    return f"{job.file.name.rsplit('.', 1)[0]}.rows.json.gz" if job.file else ""


def _keep_sheet(job: ImportJob, sheet: Sheet) -> None:
    name = _kept_name(job)
    if not name:
        return
    storage = job.file.storage
    data = sheet_dump(sheet, kind=job.kind, source=job.file.name)
    try:
        storage.delete(name)  # a check run again (the sweep) replaces what an earlier one kept
        saved = storage.save(name, ContentFile(data))
    except OSError:  # the confirmation will read the file instead
        log.warning("import %s: rows not kept", job.pk, exc_info=True)
        return
    if saved != name:  # a name taken meanwhile: never confirm from rows not found by name
        storage.delete(saved)


def _kept_sheet(job: ImportJob) -> Sheet | None:
    name = _kept_name(job)
    if not name:
        return None
    try:
        with job.file.storage.open(name, "rb") as fh:
            raw = fh.read()
    except (OSError, ValueError):  # a job checked before rows were kept, or its rows gone
        return None
    return sheet_load(raw, kind=job.kind, source=job.file.name)


def _forget_kept(job: ImportJob) -> None:
    name = _kept_name(job)
    if name:
        job.file.storage.delete(name)


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
            if importer.errors:  # never confirmed: its kept rows serve nothing
                _forget_kept(job)
    except Exception:
        log.exception("import %s: check failed", job_id)
        job.status = ImportStatus.FAILED
        job.errors = [RowError(0, "", "", "internal").as_json()]
    job.save(update_fields=["errors", "summary", "status", "processed_rows", "total_rows"])
    return job


def import_run(*, job_id: int) -> ImportJob | None:
    """Write a confirmed import: check every row kept by the preview again (the file is read
    only for a job previewed before rows were kept), then write all of it in one
    transaction (in chunks), or nothing. Ends in DONE, INVALID (the database changed since
    the preview) or FAILED (an unexpected error; the transaction rolled back).

    Side effects: an audit entry and a notification to the uploader; the stored file is
    deleted once the import is done, with its kept rows (they hold personal data)."""
    job = ImportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or job.status != ImportStatus.IMPORTING:
        return None
    language = job.summary.get("language") or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            importer = _check(job, offset=0, to_db=True, reuse=True)
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
        _forget_kept(job)
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
        raise Forbidden(OnboardingCode.NOT_ALLOWED, _("Only congress staff can export."))
    sheets = export_sheets(viewer=actor, kinds=kinds)
    data = build_workbook(sheets, export_reference(viewer=actor))
    audit_record(
        actor=actor,
        verb="roster_export",
        target=actor,
        data={"kinds": kinds, "rows": {s.kind: len(s.rows) for s in sheets}},
    )
    return data
