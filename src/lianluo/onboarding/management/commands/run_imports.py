"""Run pending roster imports without a broker: uploaded files to check, confirmed imports to
write (the same sweep as the periodic Celery task)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from lianluo.onboarding.services import import_sweep


class Command(BaseCommand):
    help = "Check uploaded roster files and write confirmed imports that are still pending."

    def handle(self, *args, **options) -> None:
        handled = import_sweep()
        self.stdout.write(f"{handled} import step(s) run")
