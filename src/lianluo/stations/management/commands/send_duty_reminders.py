from django.core.management.base import BaseCommand

from lianluo.stations.services import duty_reminders_send, reminder_days


class Command(BaseCommand):
    help = (
        "Remind each deputy on duty on a published reception day within the next N days "
        "(LIANLUO_DUTY_REMINDER_DAYS, default 1), once per duty. Safe to run as often as you like."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="override N")

    def handle(self, *args, days: int | None, **options):
        sent = duty_reminders_send(days_before=days)
        n = reminder_days() if days is None else days
        self.stdout.write(f"{sent} duty reminder(s) queued (duties within {n} day(s)).")
