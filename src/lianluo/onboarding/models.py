"""Excel onboarding: an import is previewed (every bad row reported), then confirmed."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lianluo.core.fields import actor_field
from lianluo.core.storage import private_storage


class ImportKind(models.TextChoices):
    AREAS = "areas", _("Areas")
    STATIONS = "stations", _("Stations")
    DEPUTIES = "deputies", _("Deputies")
    CASES = "cases", _("Past cases (ledger)")  # 历史群众意见台账
    RECEPTIONS = "receptions", _("Past reception records")  # 历史接待记录


# The roster (exported and imported back) and the past years' ledgers (imported only).
ROSTER_KINDS = (ImportKind.AREAS, ImportKind.STATIONS, ImportKind.DEPUTIES)
PAST_KINDS = (ImportKind.CASES, ImportKind.RECEPTIONS)


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")  # file stored, not yet checked
    CHECKING = "checking", _("Checking")  # rows being validated (progress in processed_rows)
    INVALID = "invalid", _("Has errors")  # preview done, errors listed, nothing written
    READY = "ready", _("Ready to import")  # preview done, no errors, waiting for confirmation
    IMPORTING = "importing", _("Importing")  # confirmed, rows being written
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")  # an unexpected error; nothing was written


def _upload_path(instance: ImportJob, filename: str) -> str:
    return f"imports/{instance.kind}/{filename}"


# Migrations reference this name; the one definition lives in core.storage.
_private_storage = private_storage


class ImportJob(models.Model):
    """One uploaded spreadsheet and what became of it."""

    kind = models.CharField(_("kind"), max_length=10, choices=ImportKind.choices)
    file = models.FileField(upload_to=_upload_path, storage=_private_storage, max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    # [{"row": 7, "column": "phone", "message": "…"}] — every bad row with its line number.
    errors = models.JSONField(default=list, blank=True)
    # {"create": 12, "update": 3} from the preview, then what was written.
    summary = models.JSONField(default=dict, blank=True)
    created_by = actor_field()
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.filename}"
