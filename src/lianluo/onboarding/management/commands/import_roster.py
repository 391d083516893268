"""Import a roster sheet from the command line: the same preview and the same write as the
import page, on behalf of a staff user."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from lianluo.core.errors import DomainError
from lianluo.core.models import User
from lianluo.onboarding.models import ImportKind, ImportStatus
from lianluo.onboarding.selectors import import_errors
from lianluo.onboarding.services import import_check, import_confirm, import_run, import_upload


class Command(BaseCommand):
    help = "Check a roster workbook (areas, stations or deputies) and, with --yes, import it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path")
        parser.add_argument("--kind", required=True, choices=ImportKind.values)
        parser.add_argument("--user", required=True, help="the staff user who imports")
        parser.add_argument("--yes", action="store_true", help="write it if the check passes")
        parser.add_argument("--language", default=settings.LANGUAGE_CODE)

    def handle(self, *args, **options) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user {options['user']!r}.")
        settings.LIANLUO_IMPORT_MODE = "sync"  # this process does the work, no thread
        path = Path(options["path"])
        with translation.override(options["language"]):
            try:
                with path.open("rb") as fh:
                    job = import_upload(
                        kind=options["kind"], upload=File(fh, path.name), actor=user
                    )
            except DomainError as exc:
                raise CommandError(str(exc.message)) from exc
            import_check(job_id=job.pk)  # no-op if it already ran after the commit
            job.refresh_from_db()
            for line in import_errors(job=job):
                self.stdout.write(f"row {line.row} · {line.column} · {line.message}")
            s = job.summary
            self.stdout.write(
                f"{job.get_status_display()}: {s.get('create', 0)} new, "
                f"{s.get('update', 0)} existing ({s.get('changed', 0)} with changes)"
            )
            if job.status != ImportStatus.READY:
                raise CommandError("nothing was written")
            if options["yes"]:
                import_confirm(job=job, actor=user)
                import_run(job_id=job.pk)
                job.refresh_from_db()
                self.stdout.write(f"{job.get_status_display()}")
                if job.status != ImportStatus.DONE:
                    raise CommandError("nothing was written")
