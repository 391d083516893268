from django.core.management.base import BaseCommand

from lianluo.suggestions.reminders import suggestion_reminders_send


class Command(BaseCommand):
    help = (
        "Remind departments of suggestions due in 30/7/1 days, overdue (then weekly) or without "
        "contact with the deputy; deputies of ratings due; staff of change requests and of "
        "ratings past their time. Each reminder once: safe to run as often as you like."
    )

    def handle(self, *args, **options):
        sent = suggestion_reminders_send()
        self.stdout.write(f"{sent} suggestion reminder(s) queued.")
