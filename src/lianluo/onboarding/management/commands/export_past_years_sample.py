"""Write a past year's ledger and reception records of the demo county as two Excel workbooks,
for a tester to import through the page (导入与导出 → 历史数据): every row valid, dated in the
chosen year, made of the demo's own stations and deputies."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from lianluo.core.models import User
from lianluo.onboarding.models import PAST_KINDS
from lianluo.onboarding.samples import past_sample_rows
from lianluo.onboarding.selectors import export_reference
from lianluo.onboarding.sheets import SheetData, build_workbook


class Command(BaseCommand):
    help = "Write var/demo-past-cases.xlsx and var/demo-past-receptions.xlsx to import."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--user", default="staff", help="whose stations to use (staff)")
        parser.add_argument("--year", type=int, default=2023)
        parser.add_argument("--rows", type=int, default=60, help="rows per workbook (≤ 300)")
        parser.add_argument("--output", default=str(Path(settings.DATA_DIR)))
        parser.add_argument("--language", default=settings.LANGUAGE_CODE, help="zh-hans or en")

    def handle(self, *args, **options) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user {options['user']!r}: run `manage.py seed_demo` first.")
        folder = Path(options["output"])
        folder.mkdir(parents=True, exist_ok=True)
        with translation.override(options["language"]):
            for kind in PAST_KINDS:
                rows = past_sample_rows(
                    viewer=user, kind=kind, count=options["rows"], year=options["year"]
                )
                data = build_workbook([SheetData(kind, rows)], export_reference(viewer=user))
                path = folder / f"demo-past-{kind}.xlsx"
                path.write_bytes(data)
                self.stdout.write(f"wrote {path} ({len(rows)} rows)")
