from datetime import date

from django.core.management.base import BaseCommand, CommandError

from lianluo.core.errors import DomainError
from lianluo.core.models import User
from lianluo.stations.models import Station
from lianluo.stations.services import reception_days_generate


class Command(BaseCommand):
    help = (
        "Generate draft reception days from a station's active rules for a period (idempotent: "
        "days already there are kept). Acts as the given user, who must run the station."
    )

    def add_arguments(self, parser):
        parser.add_argument("station", help="station code")
        parser.add_argument("start", type=date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("end", type=date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--as", dest="username", required=True, help="acting user")

    def handle(self, *args, station: str, start: date, end: date, username: str, **options):
        actor = User.objects.filter(username=username, is_active=True).first()
        target = Station.objects.filter(code=station).first()
        if actor is None or target is None:
            raise CommandError("unknown user or station")
        try:
            result = reception_days_generate(actor=actor, station=target, start=start, end=end)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(
            f"{len(result.created)} day(s) created, {result.existing} already there, "
            f"{len(result.holidays)} holiday(s) skipped, {len(result.short)} short of deputies."
        )
