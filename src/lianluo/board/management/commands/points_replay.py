"""Credit every platform event of a year that has not been credited (idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from lianluo.board.replay import points_replay
from lianluo.board.tasks import replay_due_years


class Command(BaseCommand):
    help = (
        "Duty points: credit reception records, activity attendance, cases answered or closed "
        "out and suggestions filed that have no entry yet (each event once; safe to re-run)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year", type=int, help="The year to replay; default: this year (and last in January)."
        )

    def handle(self, *args, **options) -> None:
        if options.get("year"):
            done = {options["year"]: points_replay(year=options["year"])}
        else:
            done = replay_due_years()
        for year, written in done.items():
            self.stdout.write(f"points replay {year}: {written} entries written")
