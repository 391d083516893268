"""`manage.py make_briefing --scope CODE --from YYYY-MM-DD --to YYYY-MM-DD --out file.pdf|.docx`:
the briefing of an area or station as a file, for the demo and for cron (no viewer, no scope
check: whoever runs manage.py runs the server). Without --from/--to: the last whole month."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lianluo.core.errors import DomainError
from lianluo.insights.briefing.build import briefing_for, last_month
from lianluo.insights.briefing.docx import briefing_docx
from lianluo.insights.briefing.pdf import briefing_pdf
from lianluo.insights.selectors import period_from, target_of
from lianluo.insights.topics import topic_lines, topics_compute, topics_latest


class Command(BaseCommand):
    help = "Write the briefing (联络动态) of an area or station for a period as PDF or DOCX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scope", required=True, help="area code or station code")
        parser.add_argument("--from", dest="start", help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="last day, YYYY-MM-DD (inclusive)")
        parser.add_argument("--out", required=True, help="file.pdf or file.docx")

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        if out.suffix.lower() not in (".pdf", ".docx"):
            raise CommandError("--out must end in .pdf or .docx")
        try:
            target = target_of(options["scope"])
            start, end = options["start"], options["end"]
            period = period_from(start, end) if start or end else last_month()
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        # The kept hot topics of this target and period; computed now when there are none.
        run = topics_latest(target=target, period=period) or topics_compute(
            target=target, period=period
        )
        briefing = briefing_for(target=target, period=period, topics=topic_lines(run))
        render = briefing_pdf if out.suffix.lower() == ".pdf" else briefing_docx
        out.write_bytes(render(briefing))
        self.stdout.write(f"{out}: {briefing.title}")
