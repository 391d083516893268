"""Send this month's activity reminders to every station that has not had one (idempotent)."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandParser

from lianluo.activities.services import monthly_reminders_send


class Command(BaseCommand):
    help = "Monthly activity reminders (站内活动月提醒): once per station and month."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", help="Act as if today were this day (YYYY-MM-DD); default: today."
        )

    def handle(self, *args, **options) -> None:
        today = date.fromisoformat(options["date"]) if options.get("date") else None
        sent = monthly_reminders_send(today=today)
        self.stdout.write(f"monthly activity reminders: {sent} station(s) reminded")
