"""Write the demo county's roster (areas, stations, deputies) as an Excel workbook that an
officer can import back into the demo: every row is an update, nothing is duplicated."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from lianluo.core.models import User
from lianluo.onboarding.services import roster_export


class Command(BaseCommand):
    help = "Export the demo county's areas, stations and deputies to var/demo-roster.xlsx."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--user", default="staff", help="whose area to export (a staff user)")
        parser.add_argument("--output", default=str(Path(settings.DATA_DIR) / "demo-roster.xlsx"))
        parser.add_argument("--language", default=settings.LANGUAGE_CODE, help="zh-hans or en")

    def handle(self, *args, **options) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user {options['user']!r}: run `manage.py seed_demo` first.")
        with translation.override(options["language"]):
            data = roster_export(actor=user, kinds=["areas", "stations", "deputies"])
        path = Path(options["output"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.stdout.write(f"wrote {path} ({len(data) // 1024} KB)")
